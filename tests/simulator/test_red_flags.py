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


# Signs of an emergency said beside twitching (a hostile tester's phrasings, 2026-12-07): each
# gets the red-flag answer, before any topic the question also names (a child, a body part, a
# near miss such as swelling or chills).
EMERGENCIES = [
    "my kid's leg keeps jerking and he won't wake up", "my baby is twitching and won't wake up",
    "my newborn's legs are jerking and he is floppy", "my leg twitches and i fainted",
    "i passed out and my legs were jerking", "my leg started twitching after i hit my head",
    "twitching after a concussion", "my leg twitched after i fell off a ladder",
    "stop, i can't breathe", "twitching and chest pain", "my leg is twitching and my face is drooping",
    "my arm and leg on one side are weak", "my leg twitching spreads to my arms",
    "my legs twitch and i have a bad headache and stiff neck",
    "my leg twitches and my back hurts and i can't pee",
    "my leg twitches and it is swollen and red and hot", "my legs twitch and i am shaking with chills",
    "my leg won't stop shaking and i can't control it", "is it tetanus", "could it be kidney failure",
]


@pytest.mark.parametrize("text", EMERGENCIES)
def test_an_emergency_gets_the_red_flag_answer_first(simulator: Simulator, text: str) -> None:
    simulator.reset()
    assert simulator.say(text).topic == "red_flag"


@pytest.mark.parametrize(
    ("text", "intent"),
    [("why do i shiver without a fever", "NearMissIntent"),  # a red flag denied is not the subject
     ("my leg twitches and i have a fever", "RedFlagIntent"),
     ("i don't think it's als but my leg twitches", "RedFlagIntent")],  # doubt is no denial
)  # fmt: skip
def test_a_denied_red_flag_is_not_the_subject(simulator: Simulator, text: str, intent: str) -> None:
    simulator.reset()
    assert simulator.say(text).intent == intent


@pytest.mark.parametrize("text", ["can leg twitching kill you", "can leg twitching be fatal"])
def test_asking_whether_it_can_kill_gets_when_to_see_a_doctor(simulator: Simulator, text: str) -> None:
    simulator.reset()
    assert simulator.say(text).topic == "serious"


@pytest.mark.parametrize("text", ["a faint twitch in my calf", "which has more caffeine black tea or coffee",
                                  "i fell asleep and my leg jerked", "will it pass on its own"])
def test_common_words_of_an_emergency_phrase_alone_are_no_emergency(simulator: Simulator, text: str) -> None:
    simulator.reset()
    assert simulator.say(text).topic != "red_flag"


def test_the_sets_are_as_the_issue_asks() -> None:
    assert len(RED_FLAGS["dev"]) + len(RED_FLAGS["held_out"]) >= 60
