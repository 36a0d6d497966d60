"""Typing slips are read as the known word one edit away; short and unknown words are left alone."""

from __future__ import annotations

import pytest

from skill.simulator.simulator import default_nlu
from skill.simulator.spelling import Speller

SPELLER = Speller(["twitch", "twitching", "night", "coffee", "caffeine", "sleep", "thigh", "magnesium"])


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("twich", "twitch"), ("twitchng", "twitching"), ("nigth", "night"), ("cofee", "coffee"),
     ("magnesum", "magnesium"), ("sleap", "sleep")],
)  # fmt: skip
def test_one_slip_is_corrected(typed: str, meant: str) -> None:
    assert SPELLER.correct(typed) == meant


@pytest.mark.parametrize("typed", ["nite", "tea", "xylophone", "twitch", "b12"])
def test_short_unknown_or_known_words_are_left_alone(typed: str) -> None:
    assert SPELLER.correct(typed) == typed


@pytest.mark.parametrize(
    ("said", "topic"),
    [("why does my leg twich at nigth", "night"), ("can cofee make my legs twitch", "caffeine"),
     ("why does my baby twich in her sleap", "child"), ("is magnesum good for twitching legs", "magnesium")],
)  # fmt: skip
def test_misspelt_questions_reach_their_topic(said: str, topic: str) -> None:
    result = default_nlu().parse(said)
    assert topic in {s.resolved_id for s in result.slots}, result
