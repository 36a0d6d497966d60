"""Where the shipped data lives: content/ and interaction_model/, in a checkout or in a wheel.

The repository keeps both folders at its top level; a built wheel maps them into the package as
`skill/_data/content` and `skill/_data/interaction_model` (pyproject.toml), and the Lambda zip
copies them beside `skill/`. LEGTWITCH_CONTENT_DIR and LEGTWITCH_MODEL point elsewhere.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from skill import files, settings
from skill.errors import DataError

_PACKAGE = Path(__file__).resolve().parent.parent
#: The locale the content and templates are written in, whose model the skill loads.
DEFAULT_LOCALE = "en-US"


def shipped(folder: str) -> Path:
    """The folder `content` or `interaction_model`: inside the package if a wheel put it there,
    else beside the package (a checkout, an editable install, the Lambda zip)."""
    inside = _PACKAGE / "_data" / folder
    return inside if inside.is_dir() else _PACKAGE.parent / folder


def content_dir() -> Path:
    """The folder of topics.yaml, responses.yaml and utterances.yaml."""
    return settings.CONTENT_DIR.read() or shipped("content")


def model_path(locale: str = DEFAULT_LOCALE) -> Path:
    """The committed interaction model JSON of `locale` (en-US: the one the skill loads, which
    LEGTWITCH_MODEL may replace)."""
    default = shipped("interaction_model") / "interactionModels" / "custom" / f"{locale}.json"
    return (settings.MODEL.read() if locale == DEFAULT_LOCALE else None) or default


def manifest_path() -> Path:
    """The skill manifest, skill.json, of the shipped skill package."""
    return shipped("interaction_model") / "skill.json"


def icons_dir() -> Path:
    """Where the skill package keeps its icons (interaction_model/assets/images)."""
    return shipped("interaction_model") / "assets" / "images"


def pages_dir() -> Path:
    """The public pages (privacy policy, terms of use) as HTML files."""
    return content_dir() / "pages"


def templates_path() -> Path:
    """The interaction model's source templates."""
    return content_dir() / "utterances.yaml"


def read_bytes(path: Path, error: type[DataError], fix: str) -> bytes:
    """The bytes of the data file `path`; `error` naming the file, the fault and `fix` if it
    cannot be read, or, refused unread, the fix of giving a regular file if it is a FIFO, device
    or directory, or is over files.MAX_DATA_BYTES."""
    return files.read_regular(
        path, files.MAX_DATA_BYTES,
        lambda reason: error(path, "file", f"cannot be read ({reason})", fix),
        lambda reason: error(path, "file", f"cannot be read ({reason})",
                             f"give a regular file of at most {files.MAX_DATA_BYTES:,} bytes"))


def read_yaml(path: Path, error: type[DataError]) -> Any:
    """The data of the YAML file `path` (from compiled.json while that is current); `error`
    naming the file, the fault and the fix if it cannot be read, is not UTF-8 or is not YAML."""
    from skill.core import compiled

    raw = read_bytes(path, error, "restore it from the repository")
    try:
        return compiled.parse(path, raw)
    except (UnicodeDecodeError, compiled.YamlSyntaxError) as exc:
        raise error(path, "file", f"is not valid UTF-8 YAML ({exc})",
                    "correct the YAML at the line shown") from exc


def read_json(path: Path, error: type[DataError], fix: str) -> Any:
    """The JSON document in `path`; `error` naming the file, the fault and `fix` if it cannot be
    read (read_bytes), is not UTF-8 or is not JSON."""
    return parse_json(path, read_bytes(path, error, fix), error, fix)


def parse_json(path: Path, raw: bytes, error: type[DataError], fix: str) -> Any:
    """The JSON document `raw` read from `path`; `error` naming the file, the fault and `fix` if
    it is not UTF-8 or is not JSON."""
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise error(path, f"byte {exc.start}", "is not UTF-8 text", fix) from exc
    except ValueError as exc:
        raise error(path, "file", f"is not valid JSON ({exc})", fix) from exc


def dev_set_path() -> Path:
    """The dev phrasings the understanding's classifier is trained on (a checkout's tests/data)."""
    return _PACKAGE.parent / "tests" / "data" / "nlu_dev.yaml"
