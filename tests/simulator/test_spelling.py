"""Typing slips are read as the known word one edit away; short and unknown words are left alone."""

from __future__ import annotations

import pytest

from skill.simulator.lexicon import Lexicon
from skill.simulator.normalise import stem
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


@pytest.mark.parametrize(
    ("typed", "near"), [("paper", "vaper"), ("halves", "calves"), ("shopping", "stopping")]
)
def test_words_of_english_are_left_alone(typed: str, near: str) -> None:
    speller = Speller([near], english={typed})
    assert speller.correct(typed) == typed
    assert Speller([near]).correct(typed) == near  # without the word list it would be a slip


@pytest.mark.parametrize("typed", ["paper", "shopping", "halves", "worse", "month", "waking", "climb"])
def test_the_understanding_reads_english_words_as_typed(typed: str) -> None:
    """Each is one edit from a word the model uses (vaper, stopping, calves, horse, mouth, walking,
    limb), and is read as itself."""
    assert default_nlu().features(typed)[0] == stem(typed)


def test_the_shipped_word_list_has_words_not_its_header() -> None:
    english = Lexicon.default().english
    assert len(english) > 10_000 and "paper" in english
    assert not any(w.startswith("#") or not w.isalpha() for w in english)
