"""The Alexa interaction model at run time: the committed JSON, validated against Alexa's rules.

`load_model()` gives the skill and the local language understanding a typed view of it; the JSON
itself is generated from content/utterances.yaml by skill.authoring.templates (`make model`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from skill.core import compiled, datafiles
from skill.errors import ModelError

# Amazon's invocation name rules: no wake words, no "skill"/"app", no launch phrases and no
# connecting words (they would split "Alexa, ask NAME to ..." in the wrong place).
WAKE_WORDS = frozenset({"alexa", "amazon", "echo", "computer", "skill", "app"})
LAUNCH_WORDS = frozenset({"run", "start", "play", "resume", "use", "launch", "ask", "open", "tell",
                          "load", "begin", "enable"})
CONNECTING_WORDS = frozenset({"to", "from", "in", "using", "with", "about", "for", "that", "by", "if",
                              "and", "whether"})
FORBIDDEN_INVOCATION_WORDS = WAKE_WORDS | LAUNCH_WORDS | CONNECTING_WORDS
# Letters, spaces, apostrophes, periods in spoken abbreviations ("vitamin B."), {Slot} references.
_DIGIT = re.compile(r"\d")
_UTTERANCE = re.compile(r"^(?:[A-Za-z' ]|[A-Za-z]\.|\{[A-Za-z_][A-Za-z0-9_]*\})+$")
SLOT_REF = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


class SlotValue(NamedTuple):
    """A custom slot value: canonical id, spoken name and synonyms."""

    id: str
    name: str
    synonyms: tuple[str, ...]


class Intent(NamedTuple):
    """An intent: its name, slots (name to type) and sample utterances."""

    name: str
    slots: Mapping[str, str]
    samples: tuple[str, ...]


class InteractionModel:
    """The validated language model: invocation name, intents and custom slot types."""

    def __init__(self, invocation: str, intents: Mapping[str, Intent],
                 types: Mapping[str, tuple[SlotValue, ...]]) -> None:
        self.invocation, self.intents, self.types = invocation, intents, types
        # Every (type, lowercase name or synonym) to its value; the first value wins.
        self._by_words: dict[tuple[str, str], SlotValue] = {}
        for type_name, values in types.items():
            for value in values:
                for spoken in (value.name, *value.synonyms):
                    self._by_words.setdefault((type_name, " ".join(spoken.lower().split())), value)

    def resolve(self, slot_type: str, spoken: str) -> SlotValue | None:
        """The value whose name or synonym is `spoken` (case-insensitive), as Alexa's ER would."""
        return self._by_words.get((slot_type, " ".join(spoken.lower().split())))


# Validation ---------------------------------------------------------------------------------


def _problems(language: Mapping[str, Any]) -> Iterator[tuple[str, str, str]]:
    """Each breach of Alexa's rules as (item, problem, fix)."""
    invocation = language.get("invocationName", "")
    words = invocation.split()
    if invocation != invocation.lower() or len(words) < 2 or not all(w.isalpha() for w in words):
        yield ("invocationName", f"'{invocation}' is not two or more lowercase words",
               "use lowercase letters only, at least two words")
    for forbidden, kind in ((WAKE_WORDS, "a wake word or 'skill'/'app'"),
                            (LAUNCH_WORDS, "a launch word"), (CONNECTING_WORDS, "a connecting word")):
        if forbidden & set(words):
            yield ("invocationName", f"'{invocation}' contains a word Alexa forbids ({kind})",
                   f"avoid {', '.join(sorted(forbidden))}")
    types = {t.get("name"): t for t in language.get("types", [])}
    seen: dict[str, str] = {}
    for intent in language.get("intents", []):
        name = intent.get("name", "?")
        slots = {s.get("name"): s.get("type") for s in intent.get("slots", [])}
        for slot, slot_type in slots.items():
            if not slot_type or (slot_type not in types and not slot_type.startswith("AMAZON.")):
                yield (f"intent {name} slot {slot}", f"has unknown type '{slot_type}'",
                       "declare the type under 'types' or use an AMAZON type")
        for sample in intent.get("samples", []):
            item = f"intent {name} utterance '{sample}'"
            if _DIGIT.search(sample):
                yield (item, "contains digits", "spell numbers out as words")
            elif not _UTTERANCE.match(sample):
                yield (item, "contains characters Alexa does not accept",
                       "use letters, spaces, apostrophes, periods in abbreviations and {Slot}")
            for ref in SLOT_REF.findall(sample):
                if ref not in slots:
                    yield (item, f"refers to slot {{{ref}}}, not declared on the intent",
                           f"declare slot '{ref}' on {name} or fix the reference")
            key = " ".join(sample.lower().split())
            if key in seen:
                yield (item, f"is also an utterance of {seen[key]}", "keep it in one intent, once")
            seen[key] = name
    for type_name, spec in types.items():
        for value in spec.get("values", []):
            if not value.get("id"):
                yield (f"type {type_name} value '{value.get('name', {}).get('value')}'",
                       "has no id", "give every slot value an id")


def validate(document: Mapping[str, Any], path: Path | str = "<model>", *,
             checked: bool = False) -> InteractionModel:
    """Check the JSON against Alexa's rules (unless `checked` already, by `make model`) and return
    the typed model; ModelError on a breach."""
    try:
        language = document["interactionModel"]["languageModel"]
    except (KeyError, TypeError) as exc:
        raise ModelError(path, "interactionModel.languageModel", "is missing",
                         "run `make model` to regenerate the file") from exc
    for item, problem, fix in () if checked else _problems(language):
        raise ModelError(path, item, problem, fix)
    intents = {
        i["name"]: Intent(i["name"], {s["name"]: s["type"] for s in i.get("slots", [])},
                          tuple(i.get("samples", [])))
        for i in language.get("intents", [])
    }
    types = {
        t["name"]: tuple(
            SlotValue(v["id"], v["name"]["value"], tuple(v["name"].get("synonyms", [])))
            for v in t.get("values", [])
        )
        for t in language.get("types", [])
    }
    return InteractionModel(language["invocationName"], intents, types)


def load_model(path: Path | None = None) -> InteractionModel:
    """Read and validate the committed interaction model JSON (default: the shipped one)."""
    path = path or datafiles.model_path()
    fix = "run `make model` to regenerate it"
    raw = datafiles.read_bytes(path, ModelError, fix)
    document = datafiles.parse_json(path, raw, ModelError, fix)
    checked = compiled.validated(raw, datafiles.content_dir())
    return validate(document, path, checked=checked)


@cache
def default_model(locale: str = datafiles.DEFAULT_LOCALE) -> InteractionModel:
    """The interaction model shipped with the skill for `locale`, loaded once per process."""
    return load_model(datafiles.model_path(locale))
