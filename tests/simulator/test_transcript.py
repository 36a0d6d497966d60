"""How turns are shown: speech only, a readable transcript, JSON lines; all from the Turn's text."""

from __future__ import annotations

import io
import json

import pytest
from ask_sdk_core.skill import CustomSkill

from skill.simulator.simulator import Simulator, Turn
from skill.simulator.transcript import JsonLines, SpeechOnly, Transcript
from skill.simulator.transport import LocalTransport


@pytest.fixture
def turn(skill: CustomSkill) -> Turn:
    return Simulator(LocalTransport(skill)).say("why do my legs twitch at night")


def test_speech_only_prints_the_plain_speech_on_one_line(turn: Turn) -> None:
    out = io.StringIO()
    SpeechOnly(out).show(turn)
    assert out.getvalue() == turn.speech + "\n" and "<" not in out.getvalue()


def test_the_transcript_shows_speech_reprompt_and_the_card_not_said(turn: Turn) -> None:
    out = io.StringIO()
    Transcript(out).show(turn)
    text = out.getvalue()
    assert text.startswith("Alexa: This is general information, not medical advice. Several explanations")
    assert "  (if you say nothing) Would you like" in text
    assert "  [card] Twitching at night\n" in text and "Source: " in text
    assert "(session ended)" not in text


def test_details_add_what_was_understood(turn: Turn) -> None:
    out = io.StringIO()
    Transcript(out, details=True).show(turn)
    assert out.getvalue().startswith("  [TopicIntent topic=night -> topic night]\n")


def test_json_lines_print_the_turn_on_one_line(turn: Turn) -> None:
    out = io.StringIO()
    JsonLines(out).show(turn)
    (line,) = out.getvalue().splitlines()
    assert json.loads(line) == json.loads(json.dumps(turn.to_json()))
