"""The public files the skill's store listing links to: privacy policy, terms of use, icons.

Read once when the app is built (a missing file stops start-up naming it and the fix), served
as they are: `GET /privacy` and `GET /terms` (HTML from content/pages/), `GET /icons/NAME`
(the PNGs `make model` draws into interaction_model/assets/images/).
"""

from __future__ import annotations

from dataclasses import dataclass

from skill.authoring.icons import SIZES, file_name
from skill.core import datafiles
from skill.errors import ContentError, ModelError

PAGES = ("privacy", "terms")
HTML = "text/html"  # Flask adds "; charset=utf-8"


@dataclass(frozen=True)
class PublicFiles:
    """The pages (name to HTML bytes) and icons (file name to PNG bytes) the endpoint serves."""

    pages: dict[str, bytes]
    icons: dict[str, bytes]


def load_public_files() -> PublicFiles:
    """Every page and icon, read now (regular files of bounded size: datafiles.read_bytes);
    ContentError/ModelError naming a missing or unreadable one."""
    pages = {name: datafiles.read_bytes(datafiles.pages_dir() / f"{name}.html", ContentError,
                                        "restore it from the repository") for name in PAGES}
    icons = {file_name(size): datafiles.read_bytes(datafiles.icons_dir() / file_name(size), ModelError,
                                                   "run `make model` to draw it")
             for size in SIZES.values()}
    return PublicFiles(pages, icons)
