"""The lexicon: general English read from skill/simulator/lexicon.yaml, the same for every model."""

from __future__ import annotations

from importlib import resources

import yaml

from skill.simulator.lexicon import LEXICON_FILE, Lexicon
from skill.simulator.normalise import stem


def test_the_shipped_lexicon_loads_once_with_every_section() -> None:
    lexicon = Lexicon.default()
    assert Lexicon.default() is lexicon
    for section in (lexicon.stopwords, lexicon.synonyms, lexicon.settings, lexicon.body_parts,
                    lexicon.conditions, lexicon.symptoms, lexicon.subjects, lexicon.builtins):
        assert section


def test_stop_words_and_settings_are_kept_as_stems() -> None:
    lexicon = Lexicon.default()
    assert stem("twitching") not in lexicon.stopwords
    assert stem("causes") in lexicon.stopwords and "cause" in lexicon.stopwords
    assert stem("nights") in lexicon.settings


def test_builtin_phrasings_stay_under_the_builtins_key_speech_in_reads() -> None:
    text = resources.files("skill.simulator").joinpath(LEXICON_FILE).read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert set(data["builtins"]) == set(Lexicon.default().builtins)
    assert "yes" in Lexicon.default().builtins["AMAZON.YesIntent"]


def test_a_lexicon_can_be_given_as_data() -> None:
    lexicon = Lexicon.from_dict({
        "stopwords": ["the"], "synonyms": [["calf", "leg"]], "settings": ["nights"],
        "body_parts": ["leg"], "conditions": [], "symptoms": [], "subjects": [],
        "builtins": {"AMAZON.YesIntent": ["yes"]},
    })  # fmt: skip
    assert lexicon.settings == frozenset({"night"})
    assert lexicon.builtins == {"AMAZON.YesIntent": ("yes",)}
