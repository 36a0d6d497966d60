"""Text to the words the understanding compares: typography folded, contractions expanded, stems.

`words` is skill.core.text.word_list (the one word splitter) after contractions are expanded, with
what is left of an apostrophe splitting a word ("o'clock" -> o, clock); `stem` is a light stemmer.
"""

from __future__ import annotations

import re
from functools import cache

from skill.core.text import word_list

# Typographic characters, and letters with no decomposition, as a person would type them in ASCII.
TYPOGRAPHY = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-",
    "\u2014": "-", "\u2026": "...", "\u00a0": " ", "\u00df": "ss", "\u00e6": "ae", "\u0153": "oe",
    "\u00f8": "o", "\u0142": "l", "\u00f0": "d", "\u00fe": "th",
})  # fmt: skip
_CONTRACTIONS = (
    (re.compile(r"\bcan't\b"), "can not"), (re.compile(r"\bwon't\b"), "will not"),
    (re.compile(r"\blet's\b"), "let us"), (re.compile(r"n't\b"), " not"),
    (re.compile(r"'re\b"), " are"), (re.compile(r"'m\b"), " am"), (re.compile(r"'ve\b"), " have"),
    (re.compile(r"'ll\b"), " will"), (re.compile(r"'d\b"), " would"),
    (re.compile(r"\b(it|what|that|there|he|she|who|where|how|here|this)'s\b"), r"\1 is"),
    (re.compile(r"'s\b"), ""), (re.compile(r"s'(?=\s|$)"), "s"),
)  # fmt: skip


def words(text: str) -> list[str]:
    """Lowercase words with contractions expanded and punctuation dropped."""
    text = text.lower().translate(TYPOGRAPHY)
    for pattern, repl in _CONTRACTIONS:
        text = pattern.sub(repl, text)
    return [part for word in word_list(text) for part in word.split("'")]


# Words that end like an inflection but are not one: "evening" is not "even" ("my legs twitch
# even when I sit" is not a question about the evening), "during" not "dur".
_WHOLE = frozenset({
    "evening", "evenings", "morning", "mornings", "during", "nothing", "something", "anything",
    "everything", "thing", "things", "spring", "ceiling", "sibling", "siblings", "wedding", "pudding",
})  # fmt: skip


@cache
def stem(word: str) -> str:
    """A light stemmer: plurals and -ing/-ed/-ly endings, so 'twitches' and 'twitching' meet."""
    w = word
    if len(w) <= 3 or w.isdigit():
        return w
    if w in _WHOLE:
        return w[:-1] if w.endswith("s") and w[:-1] in _WHOLE else w
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("sses"):
        w = w[:-2]
    elif w.endswith(("ches", "shes", "xes", "zes")):
        w = w[:-2]
    elif w.endswith("che"):  # "ache" meets "aches" and "aching"
        w = w[:-1]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is", "ous")):
        w = w[:-1]
    for suffix in ("ing", "ed", "ly"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            base = w[: -len(suffix)]
            if not any(v in base for v in "aeiouy"):
                continue
            if suffix == "ed" and base.endswith("i"):
                base = base[:-1] + "y"
            if len(base) > 3 and base[-1] == base[-2] and base[-1] not in "lsz":
                base = base[:-1]
            w = base
            break
    return w


def stems(text: str) -> tuple[str, ...]:
    """The stems of the words of `text`."""
    return tuple(stem(w) for w in words(text))
