"""The public pages and icons over HTTP on loopback: every address skill.json names is served."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

from skill.authoring import manifest
from skill.authoring.icons import SIZES, file_name
from skill.core import datafiles
from skill.core.locales import load_locales
from tests.support.loopback import call, serving
from tests.support.png import read_png

BASE = "https://twitch.example.com"


@pytest.fixture(scope="module")
def port(make_app: Any) -> Iterator[int]:
    with serving(make_app()) as port:
        yield port


# What each page must say plainly (the certification reviewer and the listener read these).
PAGES = {
    "/privacy": ["keeps no personal data beyond the session", "gone when the session ends",
                 "does not record what you asked"],
    "/terms": ["not medical advice", "see a doctor", "call emergency services", "privacy policy"],
}


@pytest.mark.parametrize("path", PAGES)
def test_the_page_is_plain_html_saying_what_it_must(port: int, path: str) -> None:
    reply = call(port, "GET", path)
    assert reply.status == 200
    assert reply.headers["content-type"] == "text/html; charset=utf-8"
    text = reply.body.decode("utf-8")
    assert text.startswith("<!DOCTYPE html>") and "<script" not in text
    words_said = " ".join(text.split())
    for words in PAGES[path]:
        assert words in words_said, words
    assert reply.body == (datafiles.pages_dir() / f"{path[1:]}.html").read_bytes()


@pytest.mark.parametrize("size", sorted(SIZES.values()))
def test_the_icon_is_served_as_png(port: int, size: int) -> None:
    reply = call(port, "GET", f"/icons/{file_name(size)}")
    assert (reply.status, reply.headers["content-type"]) == (200, "image/png")
    png = read_png(reply.body)
    assert (png.width, png.height) == (size, size)


def test_every_address_the_published_manifest_names_is_served(port: int) -> None:
    locales = load_locales()
    document = manifest.published(manifest.load_manifest(datafiles.manifest_path()), BASE, locales)
    types = {"smallIconUri": "image/png", "largeIconUri": "image/png",
             "privacyPolicyUrl": "text/html; charset=utf-8", "termsOfUseUrl": "text/html; charset=utf-8"}
    seen = 0
    for _, section, paths in manifest.sections(document):
        for field in paths:
            reply = call(port, "GET", urlsplit(section[field]).path)
            assert (reply.status, reply.headers["content-type"]) == (200, types[field]), field
            seen += 1
    assert seen == 4 * len(locales.tags)


@pytest.mark.parametrize(("method", "path", "status"), [
    ("GET", "/icons/nothing.png", 404), ("GET", "/icons/../skill.json", 404),
    ("GET", "/privacy.html", 404), ("POST", "/privacy", 405), ("DELETE", "/icons/icon-108.png", 405),
])
def test_other_requests_get_a_json_refusal(port: int, method: str, path: str, status: int) -> None:
    reply = call(port, method, path, body=b"{}" if method == "POST" else None)
    assert reply.status == status
    assert reply.headers["content-type"] == "application/json" and "error" in reply.json()


def test_a_missing_page_stops_start_up_naming_it(make_app: Any, tmp_path: Any,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    from skill.errors import ContentError

    shutil.copytree(datafiles.content_dir(), tmp_path, dirs_exist_ok=True)
    (tmp_path / "pages" / "terms.html").unlink()
    monkeypatch.setenv("LEGTWITCH_CONTENT_DIR", str(tmp_path))
    with pytest.raises(ContentError, match=r"terms.html: file: cannot be read .* Fix: restore it"):
        make_app()


def test_a_page_that_is_no_regular_file_stops_start_up_unread(make_app: Any, tmp_path: Any,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    import os
    import shutil

    from skill.errors import ContentError

    shutil.copytree(datafiles.content_dir(), tmp_path, dirs_exist_ok=True)
    (tmp_path / "pages" / "privacy.html").unlink()
    os.mkfifo(tmp_path / "pages" / "privacy.html")  # reading it would wait for a writer forever
    monkeypatch.setenv("LEGTWITCH_CONTENT_DIR", str(tmp_path))
    with pytest.raises(ContentError, match=r"privacy.html: file: cannot be read .* give a regular file"):
        make_app()
