"""The content's YAML files parsed once at build time (`make model`) into content/compiled.json,
with the digest of every interaction model checked against Alexa's rules then.

A cold start (AWS Lambda above all) reads that JSON instead of importing and running a YAML
parser, but only for a file whose bytes are still those it was compiled from (same digest): an
edited file, or a content folder without compiled.json (LEGTWITCH_CONTENT_DIR), is parsed as YAML, so
what is served is always what the YAML says. `make model` checks the content in full before it
compiles it; at start-up, content.py reads compiled data as it reads any (its structure, ids,
sources, placeholders) but does not repeat the two costliest checks (control characters and
spoken lengths), which an edited file gets. Likewise a model whose bytes were checked at build
time is not checked rule by rule again at start-up; any other model file (edited, LEGTWITCH_MODEL) is.
A test checks that the committed compiled.json is current.

The digest (CRC-32 and length) tells an edited file from the one compiled; it is not a defence
against tampering, which needs none here: whoever can change a file can change compiled.json. It
is zlib's, which every Python process has loaded already, where hashlib's import (OpenSSL) costs
a cold start about 3 ms.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from skill import files

COMPILED = "compiled.json"
FILES = ("topics.yaml", "responses.yaml", "locales.yaml")  # what the skill reads at start-up
VALIDATED = "validated models"  # the digest of each model JSON checked at build time


class YamlSyntaxError(ValueError):
    """The file is not valid YAML (the parser's message)."""


def parse(path: Path, raw: bytes) -> Any:
    """The data of the YAML file `path`, whose bytes are `raw` (datafiles.read_bytes): from
    compiled.json beside it when that was compiled from these very bytes, else parsed.
    UnicodeDecodeError or YamlSyntaxError on a bad file."""
    return load(path, raw)[0]


def load(path: Path, raw: bytes, use_compiled: bool = True) -> tuple[Any, bool]:
    """`parse`, and whether the data came from compiled.json (so was checked at build time);
    with `use_compiled` False, always parsed from the YAML."""
    entry = _compiled(path.parent).get(path.name) if use_compiled else None
    if entry is not None and entry.get("digest") == digest(raw):
        return entry["data"], True
    return _parse_yaml(raw.decode("utf-8")), False


def validated(raw: bytes, folder: Path) -> bool:
    """Whether the model JSON `raw` was checked against Alexa's rules when `folder`'s
    compiled.json was made."""
    return digest(raw) in _compiled(folder).get(VALIDATED, ())


def render(content_dir: Path, models: Mapping[Path, bytes] | None = None) -> bytes:
    """compiled.json for the YAML files of `content_dir` and the interaction models `models` (each
    file's JSON by its path), for `make model`. The content is checked in full first, parsed from
    its YAML (ContentError naming the file), and each model against Alexa's rules (ModelError)."""
    from skill.core.content import load_content
    from skill.core.model import validate

    load_content(content_dir, use_compiled=False)
    entries: dict[str, Any] = {}
    for name in FILES:
        raw = (content_dir / name).read_bytes()
        entries[name] = {"digest": digest(raw),
                         "data": _parse_yaml(raw.decode("utf-8"))}
    entries[VALIDATED] = []
    for path, raw in (models or {}).items():
        validate(json.loads(raw), path)
        entries[VALIDATED].append(digest(raw))
    return (json.dumps(entries, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def digest(raw: bytes) -> str:
    """What compiled.json records of a file's bytes: CRC-32 (hex) and length."""
    return f"{zlib.crc32(raw):08x}-{len(raw)}"


@cache
def _compiled(folder: Path) -> dict[str, Any]:
    try:  # bounded, and never waiting on a FIFO (LEGTWITCH_CONTENT_DIR may be anything)
        raw = files.read_regular(folder / COMPILED, files.MAX_DATA_BYTES, OSError)
        data = json.loads(raw.decode("utf-8"))
    except (OSError, ValueError):
        return {}  # none, or unreadable: every file is parsed as YAML
    return data if isinstance(data, dict) else {}


def _parse_yaml(text: str) -> Any:
    import yaml  # only when a file changed since it was compiled, or has never been

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser when there is one
    try:
        return yaml.load(text, Loader=loader)
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(str(exc)) from exc
