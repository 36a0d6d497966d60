"""What a screen device (an Echo Show) shows with an answer: the APL document kept as data in
content/screen.json, filled from the answer's card (title, answer, source, disclaimer).

The document is read and checked once, at start-up, like the rest of the content: a bad file
stops the skill naming the file, the item and the fix. Devices that do not report
`Alexa.Presentation.APL` among their supported interfaces get the card alone.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from ask_sdk_core.handler_input import HandlerInput

from skill.core import datafiles
from skill.core.reply import Card
from skill.errors import ContentError

if TYPE_CHECKING:  # imported when a screen asks: most devices have none, and a cold start pays
    from ask_sdk_model.interfaces.alexa.presentation.apl import RenderDocumentDirective

FILE = "screen.json"
TOKEN = "legtwitch-answer"  # the document's token: what a later APL command would name
DATASOURCE = "answer"
FIELDS = ("title", "body", "source", "disclaimer")  # what the card gives the document
_REFERENCE = re.compile(r"\$\{payload\.([A-Za-z_]\w*)\.([A-Za-z_]\w*)")


class Screen(NamedTuple):
    """The APL document every answer is shown with on a screen."""

    document: Mapping[str, Any]

    def directive(self, card: Card) -> RenderDocumentDirective:
        """The RenderDocument directive showing `card`."""
        from ask_sdk_model.interfaces.alexa.presentation.apl import RenderDocumentDirective

        answer = {name: getattr(card, name) for name in FIELDS}
        return RenderDocumentDirective(token=TOKEN, document=dict(self.document),
                                       datasources={DATASOURCE: answer})


def has_screen(handler_input: HandlerInput) -> bool:
    """Whether the requesting device reports the APL interface."""
    context = handler_input.request_envelope.context
    device = context.system.device if context is not None and context.system is not None else None
    interfaces = device.supported_interfaces if device is not None else None
    return interfaces is not None and interfaces.alexa_presentation_apl is not None


def load_screen(path: Path | None = None) -> Screen:
    """Read and check the APL document (default: content/screen.json)."""
    path = path or datafiles.content_dir() / FILE
    document = datafiles.read_json(path, ContentError, "restore it from the repository, or correct "
                                   "the JSON at the place shown")
    for problem in _problems(document):
        raise ContentError(path, *problem)
    return Screen(document)


def _problems(document: Any) -> list[tuple[str, str, str]]:
    """Each breach of the rules an APL document for RenderDocument must keep, as (item, problem,
    fix): what ask_sdk_model's directive needs and what the datasource gives."""
    if not isinstance(document, dict):
        return [("file", "is not a JSON object", "write the APL document as an object")]
    problems = []
    if document.get("type") != "APL":
        problems.append(("type", f"is {document.get('type')!r}, not 'APL'", 'write "type": "APL"'))
    if not isinstance(document.get("version"), str):
        problems.append(("version", "is missing or not a string", 'write e.g. "version": "2023.2"'))
    template = document.get("mainTemplate")
    if not isinstance(template, dict):
        return [*problems, ("mainTemplate", "is missing or not an object",
                            'write "mainTemplate": {"parameters": ["payload"], "items": [...]}')]
    if template.get("parameters") != ["payload"]:
        problems.append(("mainTemplate.parameters", "is not [\"payload\"]",
                         'write "parameters": ["payload"]: the datasources arrive as payload'))
    if not isinstance(template.get("items"), list) or not template["items"]:
        problems.append(("mainTemplate.items", "is missing or empty", "give the template its components"))
    used = _REFERENCE.findall(json.dumps(document))
    for source, name in sorted(set(used)):
        if source != DATASOURCE or name not in FIELDS:
            problems.append((f"${{payload.{source}.{name}}}", "names nothing the skill sends",
                             f"use payload.{DATASOURCE}.<{'|'.join(FIELDS)}>"))
    for name in ("title", "body"):
        if (DATASOURCE, name) not in used:
            problems.append((f"${{payload.{DATASOURCE}.{name}}}", "is never shown",
                             "show at least the title and the answer"))
    return problems
