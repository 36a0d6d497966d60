"""The input policy: what typed text a person could have said, and why other text is refused."""

from __future__ import annotations

import re

import pytest

from skill.errors import InputError
from skill.simulator.utterance import MAX_CHARS, check_utterance


@pytest.mark.parametrize(
    ("typed", "heard"),
    [
        ("why’s my leg twitching?", "why's my leg twitching?"),
        ("  café   leg\ttwitching ", "cafe leg twitching"),
        ("Naïve question — legs", "Naive question - legs"),
    ],
)
def test_typography_and_accents_fold_to_plain_text(typed: str, heard: str) -> None:
    assert check_utterance(typed) == heard


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("", "nothing to say"),
        ("   ?! ", "nothing to say"),
        ("a" * 10_000, "10,000 characters"),
        ("legs\x07twitch", "control character U+0007"),
        ("legs\x00", "control character U+0000"),
        ("why \U0001f600", "U+1F600 (GRINNING FACE)"),
        ("脚为什么抽搐", "cannot be spoken"),
    ],
)
def test_text_nobody_could_say_is_refused_with_the_reason(typed: str, says: str) -> None:
    with pytest.raises(InputError, match=re.escape(says)):
        check_utterance(typed)

def test_the_longest_utterance_allowed_is_accepted() -> None:
    assert check_utterance("a" * MAX_CHARS) == "a" * MAX_CHARS
    with pytest.raises(InputError, match="the most is 500"):
        check_utterance("a" * (MAX_CHARS + 1))
