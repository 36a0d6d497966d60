"""Pronunciations from eSpeak NG for words the dictionary lacks."""

from __future__ import annotations

from skill.voice.pronunciation import espeak_pronunciations


def test_espeak_pronounces_words_the_dictionary_lacks():
    spoken = espeak_pronunciations(["myoclonus", "hypnic", "fasciculation"])
    assert spoken["myoclonus"] == "M AY AH K L OW N AH S"
    assert spoken["hypnic"].split()[:3] == ["HH", "IH", "P"]
    assert set(spoken) == {"myoclonus", "hypnic", "fasciculation"}
