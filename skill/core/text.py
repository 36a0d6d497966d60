"""Words in text: the one word splitter every part uses (content limits, model, understanding, grammar)."""

from __future__ import annotations

import re

# A word: letters and digits, with apostrophes inside it kept ("don't", "baby's").
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z0-9]+)*")
# Typographic apostrophes folded to the plain one before splitting.
_APOSTROPHES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u02bc": "'"})


def word_list(text: str) -> list[str]:
    """The lowercase words of `text`, punctuation dropped, apostrophes inside words kept."""
    return _WORD.findall(text.lower().translate(_APOSTROPHES))


def word_count(text: str) -> int:
    """How many words a listener hears."""
    return len(word_list(text))
