"""Normalising: typed text to lowercase words, contractions expanded, and words to stems."""

from __future__ import annotations

import pytest

from skill.core.text import word_list
from skill.simulator.normalise import stem, stems, words


def test_words_expand_contractions_and_drop_possessives() -> None:
    assert words("What's wrong? I can't sleep, my baby's legs won't stop") == [
        "what", "is", "wrong", "i", "can", "not", "sleep", "my", "baby", "legs", "will", "not", "stop",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("word", "same_as"),
    [("twitches", "twitching"), ("twitched", "twitch"), ("worried", "worry"), ("babies", "baby"),
     ("toes", "toe"), ("running", "run"), ("calves", "calve"), ("muscles", "muscle"), ("aches", "ache"),
     ("aching", "ache"), ("headaches", "headache")],
)  # fmt: skip
def test_stems_meet_across_inflections(word: str, same_as: str) -> None:
    assert stem(word) == stem(same_as)


def test_stems_leave_short_words_and_words_ending_in_s_alone() -> None:
    assert [stem(w) for w in ("is", "was", "serious", "nervous", "stress")] == [
        "is", "was", "serious", "nervous", "stress",
    ]  # fmt: skip


def test_words_fold_typographic_apostrophes_and_split_what_an_apostrophe_leaves() -> None:
    assert words("It\u2019s my calf\u2019s muscle") == ["it", "is", "my", "calf", "muscle"]
    assert words("at 2 o'clock, rock'n'roll!") == ["at", "2", "o", "clock", "rock", "n", "roll"]


def test_words_are_the_core_word_splitter_once_contractions_are_expanded() -> None:
    text = "why do my legs twitch at night, doctor? (3 times a day)"
    assert words(text) == word_list(text)


def test_stems_of_a_text_are_the_stems_of_its_words() -> None:
    assert stems("Twitching legs") == (stem("twitching"), stem("legs")) == ("twitch", "leg")


@pytest.mark.parametrize("word, not_as", [("evening", "even"), ("during", "dur"),
                                          ("something", "some"), ("morning", "morn")])
def test_words_that_only_look_inflected_keep_their_stem(word: str, not_as: str) -> None:
    assert stem(word) != stem(not_as)


def test_a_plural_of_a_whole_word_meets_its_singular() -> None:
    assert stem("evenings") == stem("evening") == "evening"
