"""Worried questions as people ask them (tests/data/red_flags.yaml, the part tuned on) reach the
red-flag answer or when to see a doctor; ordinary questions never reach the red-flag answer.
`make bench` reports the held-out part."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from skill.simulator.simulator import Simulator
from skill.simulator.transport import LocalTransport

DATA = Path(__file__).resolve().parents[1] / "data"
RED_FLAGS = yaml.safe_load((DATA / "red_flags.yaml").read_text(encoding="utf-8"))
ORDINARY = [
    e["text"] for e in yaml.safe_load((DATA / "nlu_dev.yaml").read_text(encoding="utf-8"))["in_scope"]
    if "serious" not in (e["topic"] if isinstance(e["topic"], list) else [e["topic"]])
]


@pytest.fixture(scope="module")
def simulator() -> Simulator:
    return Simulator(LocalTransport())


@pytest.mark.parametrize("text", [e["text"] for e in RED_FLAGS["dev"]])
def test_a_worried_question_gets_see_a_doctor(simulator: Simulator, text: str) -> None:
    simulator.reset()
    assert simulator.say(text).topic in ("red_flag", "serious")


@pytest.mark.parametrize("text", ORDINARY)
def test_an_ordinary_question_is_not_sent_to_the_red_flag_answer(simulator: Simulator, text: str) -> None:
    simulator.reset()
    assert simulator.say(text).topic != "red_flag"


def test_the_sets_are_as_the_issue_asks() -> None:
    assert len(RED_FLAGS["dev"]) + len(RED_FLAGS["held_out"]) >= 60
