"""SSML building and stripping."""

from __future__ import annotations

import pytest

from skill.core.ssml import MAX_ECHO, echo, escape_text, is_own_ssml, ssml, to_plain_text


@pytest.mark.parametrize("text,escaped", [
    ("a & b", "a &amp; b"), ("<x>", "&lt;x&gt;"), ('say "hi"', "say &quot;hi&quot;"),
    ("it's", "it&apos;s"), ("plain", "plain"),
])
def test_escape_text(text, escaped):
    assert escape_text(text) == escaped


def test_ssml_joins_parts_with_a_pause_and_skips_empty_ones():
    assert ssml("One.", "", "Two?") == '<speak>One. <break time="300ms"/> Two?</speak>'


@pytest.mark.parametrize("speech,plain", [
    ('<speak>Hello <break time="300ms"/> there</speak>', "Hello. there"),
    ('<speak>Done. <break time="1s"/> Next?</speak>', "Done. Next?"),
    ("<speak>a &amp; b &lt;c&gt; it&apos;s</speak>", "a & b <c> it's"),
    ('<speak><say-as interpret-as="digits">12</say-as>  x</speak>', "12 x"),
    ("no tags", "no tags"),
])
def test_to_plain_text(speech, plain):
    assert to_plain_text(speech) == plain


def test_round_trip_keeps_the_words():
    text = 'Knees & "elbows" <maybe>, it\'s fine.'
    assert to_plain_text(ssml(text)) == text


@pytest.mark.parametrize("speech,own", [
    (ssml("Knees & elbows.", "Next?"), True),
    ("<speak></speak>", True),
    ('<speak><audio src="x.mp3"/></speak>', False),
    ("<speak>a <b>bold</b></speak>", False),
    ("not ssml", False),
    ("<speak>a</speak> trailing", False),
])
def test_is_own_ssml_accepts_only_what_ssml_writes(speech, own):
    assert is_own_ssml(speech) is own


@pytest.mark.parametrize("bad", ["\x00", "\ufffe", "\ud800", "\x1b"])
def test_xml_illegal_characters_never_reach_ssml(bad: str) -> None:
    speech = ssml(f"a{bad}b")
    assert bad not in speech and speech == "<speak>ab</speak>"


@pytest.mark.parametrize("replayed", ["<speak>fish & chips</speak>", "<speak>&foo;</speak>",
                                      "<speak>&#0;</speak>", "<speak>a\x00b</speak>"])
def test_replayed_speech_must_be_well_formed_and_the_skills_own(replayed: str) -> None:
    assert not is_own_ssml(replayed)


def test_the_skills_own_escapes_are_accepted_on_replay() -> None:
    assert is_own_ssml(ssml("fish & chips, \"quoted\" <tags>"))


def test_words_heard_are_capped_when_echoed() -> None:
    long = "word " * 10_000
    assert len(echo(long)) <= MAX_ECHO + 3 and echo("  a   b ") == "a b"
