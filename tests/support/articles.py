"""The two source articles as the faithfulness tests read them: text, and sections by heading.

They live in shared/seeds beside the checkout (as in CI) or in $LEGTWITCH_SEEDS. A newcomer's clone
has neither: `articles()` then skips the calling test with one line saying how to enable it.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from skill.core.content import Content

SEEDS = Path(os.environ.get("LEGTWITCH_SEEDS") or Path(__file__).resolve().parents[3] / "shared" / "seeds")
SKIP_REASON = (f"the source articles are not at {SEEDS}: put shared/seeds beside the checkout "
               "or set LEGTWITCH_SEEDS to run the faithfulness tests")
_HEADING_MAX = 60
_STOP = frozenset("""a about after all also an and any are as at be because been being but by can
could did do does doing for from had has have having he her his how i if in into is it its itself
just may might more most much my no not of on one or other our out over own same she should so
some such than that the their them then there these they this those through to too under until
up very was we were what when where which while who why will with would you your yours it's isn't
don't doesn't can't won't you're that's there's it'd you'll""".split())


@dataclass(frozen=True)
class Article:
    text: str
    sections: dict[str, str]  # heading -> the heading and the text under it


def _sections(text: str) -> dict[str, str]:
    """Headings are the first line and every short line that does not end a sentence."""
    sections: dict[str, list[str]] = {}
    current = None
    for number, line in enumerate(text.splitlines()):
        stripped = line.strip()
        if not stripped:
            continue
        if number == 0 or (len(stripped) <= _HEADING_MAX and not stripped.endswith(".")):
            current = stripped
            sections[current] = []
        if current is not None:
            sections[current].append(stripped)
    return {heading: "\n".join(lines) for heading, lines in sections.items()}


@cache
def _load(file: str) -> Article | None:
    path = SEEDS / file
    if not path.is_file():
        return None
    text = path.read_text(encoding="utf-8")
    return Article(text, _sections(text))


def articles(content: Content) -> dict[str, Article]:
    """Every article the content cites, by id; skips the test if they are not on this machine."""
    found = {a.id: _load(a.file) for a in content.articles.values()}
    if any(a is None for a in found.values()):
        pytest.skip(SKIP_REASON)
    return {k: v for k, v in found.items() if v is not None}


def words(text: str) -> list[str]:
    """Lowercase words, typographic apostrophes folded, for comparing with the articles."""
    return re.findall(r"[a-z]+(?:'[a-z]+)?", text.lower().replace("\u2019", "'"))


def stem(word: str) -> str:
    """A crude stem, enough to meet 'twitches' with 'twitching' and 'muscles' with 'muscle'."""
    for suffix in ("ing", "ies", "es", "ed", "ly", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


def content_stems(text: str) -> set[str]:
    """The stems of a text's content words (stop words dropped)."""
    return {stem(w) for w in words(text) if w not in _STOP and len(w) > 2}
