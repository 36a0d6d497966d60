"""The skill manifest: its locales, and its public addresses under LEGTWITCH_PUBLIC_URL.

`published(document, base, locales)` gives skill.json with a store listing for every locale of
content/locales.yaml (the en-US listing, spelled as each locale spells), the countries they are
sold in, and every locale's `smallIconUri`, `largeIconUri`, `privacyPolicyUrl` and
`termsOfUseUrl` pointing at the endpoint's own pages (empty without a base URL);
`problems(document, base)` says which of them certification would refuse.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from skill.authoring.icons import SIZES, file_name
from skill.core import datafiles
from skill.core.locales import DEFAULT, Locale, Locales
from skill.errors import ModelError

#: Each address field, where it lives in the manifest, and its path under the base URL.
ICON_PATHS = {"smallIconUri": f"/icons/{file_name(SIZES['small'])}",
              "largeIconUri": f"/icons/{file_name(SIZES['large'])}"}
POLICY_PATHS = {"privacyPolicyUrl": "/privacy", "termsOfUseUrl": "/terms"}
FIX = "set LEGTWITCH_PUBLIC_URL and run `make model` to fill it in"


def load_manifest(path: Path) -> dict[str, Any]:
    """skill.json as a mapping; ModelError naming the file if it cannot be read."""
    document = datafiles.read_json(path, ModelError, "restore it from the repository")
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


def _spelled(value: Any, locale: Locale) -> Any:
    """A listing's texts as `locale` spells them."""
    if isinstance(value, str):
        return locale.spell(value)
    if isinstance(value, list):
        return [_spelled(v, locale) for v in value]
    if isinstance(value, dict):
        return {k: _spelled(v, locale) for k, v in value.items()}
    return value


def published(document: Mapping[str, Any], base: str | None, locales: Locales) -> dict[str, Any]:
    """A copy of skill.json with every locale listed, and addresses under `base` (empty when None)."""
    result = copy.deepcopy(dict(document))
    manifest = result["manifest"]
    publishing = manifest.setdefault("publishingInformation", {})
    listings = publishing.setdefault("locales", {})
    if DEFAULT not in listings:
        raise ModelError("skill.json", f"publishingInformation.locales.{DEFAULT}", "is missing",
                         f"write the {DEFAULT} store listing: the other locales are made from it")
    publishing["locales"] = {locale.tag: _spelled(listings[DEFAULT], locale) for locale in locales}
    publishing["distributionCountries"] = [c for locale in locales for c in locale.countries]
    privacy = manifest.setdefault("privacyAndCompliance", {})
    privacy["locales"] = {locale.tag: {} for locale in locales}  # filled in with the addresses below
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
