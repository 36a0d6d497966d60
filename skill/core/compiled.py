"""The content's YAML files parsed once at build time (`make model`) into content/compiled.json.

A cold start (AWS Lambda above all) reads that JSON instead of importing and running a YAML
parser, but only for a file whose bytes are still those it was compiled from (SHA-256): an edited
file, or a content folder without compiled.json (LEGTWITCH_CONTENT_DIR), is parsed as YAML, so
what is served is always what the YAML says. Validation is the same either way: content.py checks
the parsed data, wherever it came from. A test checks that the committed compiled.json is current.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path
from typing import Any

COMPILED = "compiled.json"
FILES = ("topics.yaml", "responses.yaml", "locales.yaml")  # what the skill reads at start-up


class YamlSyntaxError(ValueError):
    """The file is not valid YAML (the parser's message)."""


def parse(path: Path) -> Any:
    """The data of the YAML file `path`: from compiled.json beside it when that was compiled from
    these very bytes, else parsed. OSError, UnicodeDecodeError or YamlSyntaxError on a bad file."""
    raw = path.read_bytes()
    entry = _compiled(path.parent).get(path.name)
    if entry is not None and entry.get("sha256") == hashlib.sha256(raw).hexdigest():
        return entry["data"]
    return _parse_yaml(raw.decode("utf-8"))


def render(content_dir: Path) -> bytes:
    """compiled.json for the YAML files of `content_dir` (for `make model`)."""
    entries = {}
    for name in FILES:
        raw = (content_dir / name).read_bytes()
        entries[name] = {"sha256": hashlib.sha256(raw).hexdigest(),
                         "data": _parse_yaml(raw.decode("utf-8"))}
    return (json.dumps(entries, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


@cache
def _compiled(folder: Path) -> dict[str, Any]:
    try:
        data = json.loads((folder / COMPILED).read_text(encoding="utf-8"))
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
