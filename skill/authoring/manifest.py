"""The skill manifest's public addresses: icons, privacy policy and terms under LEGTWITCH_PUBLIC_URL.

`published(document, base)` gives skill.json with every locale's `smallIconUri`, `largeIconUri`,
`privacyPolicyUrl` and `termsOfUseUrl` pointing at the endpoint's own pages (empty without a base
URL); `problems(document, base)` says which of them certification would refuse.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from skill.authoring.icons import SIZES, file_name
from skill.errors import ModelError

#: Each address field, where it lives in the manifest, and its path under the base URL.
ICON_PATHS = {"smallIconUri": f"/icons/{file_name(SIZES['small'])}",
              "largeIconUri": f"/icons/{file_name(SIZES['large'])}"}
POLICY_PATHS = {"privacyPolicyUrl": "/privacy", "termsOfUseUrl": "/terms"}
FIX = "set LEGTWITCH_PUBLIC_URL and run `make model` to fill it in"


def load_manifest(path: Path) -> dict[str, Any]:
    """skill.json as a mapping; ModelError naming the file if it cannot be read."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ModelError(path, "file", f"cannot be read ({exc.strerror})",
                         "restore it from the repository") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(path, "file", f"is not UTF-8 JSON ({exc})",
                         "restore it from the repository") from exc
    if not isinstance(document, dict) or not isinstance(document.get("manifest"), dict):
        raise ModelError(path, "manifest", "is missing", "restore skill.json from the repository")
    return document


def sections(document: Mapping[str, Any]) -> Iterator[tuple[str, dict[str, Any], Mapping[str, str]]]:
    """(locale, its section, the address fields it holds) for every locale of the manifest."""
    manifest = document["manifest"]
    for where, paths in (("publishingInformation", ICON_PATHS), ("privacyAndCompliance", POLICY_PATHS)):
        locales = manifest.get(where, {}).get("locales", {})
        for locale, section in locales.items():
            yield locale, section, paths


def published(document: Mapping[str, Any], base: str | None) -> dict[str, Any]:
    """A copy of skill.json whose addresses point under `base` (empty when None)."""
    result = copy.deepcopy(dict(document))
    for _, section, paths in sections(result):
        for field, path in paths.items():
            section[field] = f"{base}{path}" if base else ""
    return result


def problems(document: Mapping[str, Any], base: str | None) -> Iterator[tuple[str, str, str]]:
    """With a public base URL, each address certification would refuse, as (item, problem, fix)."""
    if not base:
        return
    for locale, section, paths in sections(document):
        for field, path in paths.items():
            value = section.get(field)
            if not isinstance(value, str) or not value.strip():
                yield f"{locale} {field}", "is empty", FIX
            elif value != f"{base}{path}":
                yield (f"{locale} {field}", f"is {value!r}, not under LEGTWITCH_PUBLIC_URL {base}",
                       "run `make model` with LEGTWITCH_PUBLIC_URL set")


def check(document: Mapping[str, Any], base: str | None, path: Path | str = "skill.json") -> None:
    """ModelError for the first address certification would refuse."""
    for item, problem, fix in problems(document, base):
        raise ModelError(path, item, problem, fix)


def render(document: Mapping[str, Any]) -> str:
    """skill.json as committed: indented, with a final newline."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
