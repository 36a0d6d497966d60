"""The input policy: what typed text counts as something a person could say to Alexa."""

from __future__ import annotations

import re
import unicodedata
from typing import TextIO

from skill.errors import InputError
from skill.simulator.normalise import TYPOGRAPHY

MAX_CHARS = 500  # far more than anyone says in one breath; Alexa's own limit is lower
#: The most of one line of standard input that is read: a longer line is refused, read no further.
MAX_LINE = 4096
_NON_WORD = re.compile(r"[^a-z0-9]+")


def check_utterance(text: str) -> str:
    """Return `text` as plain ASCII a person could have said, or raise InputError saying why not.

    Typographic quotes and dashes and accented letters are folded (what's, café); control
    characters and characters with no spoken ASCII form (emoji, other scripts) are refused.
    """
    if len(text) > MAX_CHARS:
        raise InputError(
            f"the utterance is {len(text):,} characters long; the most is {MAX_CHARS}: "
            "say one question at a time"
        )
    bad = [c for c in text if unicodedata.category(c) in ("Cc", "Cf") and c not in "\t"]
    if bad:
        raise InputError(
            f"the utterance contains control character {_codepoint(bad[0])}: "
            "type the words only, as you would say them"
        )
    folded = unicodedata.normalize("NFKD", text.translate(TYPOGRAPHY))
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    foreign = [c for c in folded if not c.isascii()]
    if foreign:
        raise InputError(
            f"the utterance contains {_codepoint(foreign[0])}, which cannot be spoken to an "
            "English (en-US) skill: use English words in plain letters"
        )
    folded = " ".join(folded.split())
    if not _NON_WORD.sub("", folded.lower()):
        raise InputError('nothing to say: type a question, e.g. "why do my legs twitch at night"')
    return folded


def read_line(stream: TextIO) -> str:
    """The next line of `stream` ("" at its end), reading at most MAX_LINE characters of it: a
    longer line raises InputError, so input with no newline (`</dev/zero`) is never held whole."""
    line = stream.readline(MAX_LINE)
    if len(line) == MAX_LINE and not line.endswith("\n"):
        raise InputError(
            f"the utterance is over {MAX_LINE:,} characters long; the most is {MAX_CHARS}: "
            "say one question at a time"
        )
    return line


def _codepoint(c: str) -> str:
    name = unicodedata.name(c, "")
    return f"U+{ord(c):04X}" + (f" ({name})" if name else "")
