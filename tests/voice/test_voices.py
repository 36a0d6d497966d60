"""The voices eSpeak NG offers, listed and found by id, name or language."""

from __future__ import annotations

import pytest

from skill.errors import VoiceError
from skill.voice.voices import resolve_voice, variants, voices


def test_voices_lists_english_voices():
    found = voices()
    ids = {v.id for v in found}
    assert "gmw/en-us" in ids and len(found) > 50


@pytest.mark.parametrize(
    ("spec", "voice_id"),
    [("en-us", "gmw/en-us"), ("gmw/en-us", "gmw/en-us"), ("English (America)", "gmw/en-us"),
     ("EN-US+f3", "gmw/en-us+f3"), ("en-gb", "gmw/en")],
)
def test_resolve_voice_by_id_name_or_language(spec, voice_id):
    assert resolve_voice(spec, voices()) == voice_id


@pytest.mark.parametrize("spec", ["elvish", "en-us+f3; rm", ""])
def test_unknown_voice_says_how_to_list_them(spec):
    with pytest.raises(VoiceError, match="voice"):
        resolve_voice(spec, voices())


@pytest.mark.parametrize("spec", ["en-us+f3", "en-us+klatt", "en-us+whisper", "en-us+m7"])
def test_a_variant_espeak_has_is_taken(spec):
    assert resolve_voice(spec, voices(), variants()) == "gmw/" + spec


@pytest.mark.parametrize("spec", ["en-us+zzzz", "en-us+f9", "en-us+klat"])
def test_a_variant_espeak_lacks_says_how_to_list_them(spec):
    with pytest.raises(VoiceError) as caught:
        resolve_voice(spec, voices(), variants())
    assert str(caught.value) == (f"no voice variant {spec.split('+')[1]!r}: type `legtwitch "
                                 "voices` to list them, then e.g. --voice en-us+f3")
