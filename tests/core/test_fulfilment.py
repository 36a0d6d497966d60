"""CanFulfillIntentRequest: YES only for what gets a topic answer, NO for the rest, slot by slot."""

from __future__ import annotations

import json
from functools import partial
from typing import Any

import pytest
from ask_sdk_model import RequestEnvelope

from skill.core import datafiles
from skill.core.handlers import TOPIC_INTENT, TOPIC_SLOT, TOPIC_TYPE
from skill.simulator import envelope
from skill.simulator.envelope import LOCAL_SKILL_ID, Caller, SessionState
from skill.simulator.interpretation import Interpretation, SlotFill
from skill.simulator.simulator import Simulator
from skill.simulator.transport import LocalTransport
from tests.conftest import SERIALIZER, wire_json

# What a person says without the skill's name -> the intent understood, the verdict, each slot's
# (canUnderstand, canFulfill).
SAID = {
    "why does my leg twitch at night": ("TopicIntent", "YES", {"topic": ("YES", "YES")}),
    "can coffee make my legs twitch": ("TopicIntent", "YES", {"topic": ("YES", "YES")}),
    "why does my thigh keep twitching": ("TopicIntent", "YES", {"topic": ("YES", "YES")}),
    "why do my legs keep twitching": ("TopicIntent", "YES", {"topic": ("YES", "YES")}),
    "when should I worry about twitching": ("WhenToWorryIntent", "YES", {}),
    "how can I stop my legs twitching": ("RemedyIntent", "YES", {}),
    "could my leg twitching be a sign of ALS": ("RedFlagIntent", "NO", {"concern": ("YES", "NO")}),
    "my legs feel weak": ("RedFlagIntent", "NO", {"concern": ("YES", "NO")}),
    "should I go to the ER": ("RedFlagIntent", "NO", {"concern": ("YES", "NO")}),
    "what stops a calf cramp": ("NearMissIntent", "NO", {"near_miss": ("YES", "NO")}),
    "why does my eyelid keep twitching": ("NearMissIntent", "NO", {"near_miss": ("YES", "NO")}),
    "order a pizza": ("AMAZON.FallbackIntent", "NO", {}),
    "help": ("AMAZON.HelpIntent", "NO", {}),
    "tell me more": ("TellMeMoreIntent", "NO", {}),
    "yes": ("AMAZON.YesIntent", "NO", {}),
    "stop": ("AMAZON.StopIntent", "NO", {}),
}


@pytest.fixture(scope="module")
def simulator(skill: Any) -> Simulator:
    return Simulator(LocalTransport(skill))


@pytest.mark.parametrize("said", SAID)
def test_a_question_without_the_skills_name(simulator: Simulator, said: str) -> None:
    judgement = simulator.can_fulfill(said)
    assert (judgement.intent, judgement.verdict, dict(judgement.slots)) == SAID[said]


def test_the_answer_is_a_judgement_only(simulator: Simulator) -> None:
    judgement = simulator.can_fulfill("why does my leg twitch at night")
    assert judgement.request["request"]["type"] == "CanFulfillIntentRequest"
    response = judgement.response["response"]
    assert set(response) == {"canFulfillIntent"}  # no speech, no card, no end of session
    assert not judgement.response.get("sessionAttributes")
    assert simulator.session is None  # the conversation is untouched


def test_a_conversation_goes_on_after_a_judgement(simulator: Simulator) -> None:
    first = simulator.say("why does my leg twitch at night")
    simulator.can_fulfill("what stops a calf cramp")
    assert simulator.say("yes").topic == first.attributes["offer"]
    simulator.reset()


def judged(skill: Any, intent: str, *slots: SlotFill, resolutions: bool = True) -> dict[str, Any]:
    """The canFulfillIntent the skill answers to a CanFulfillIntentRequest sent as Alexa does."""
    build = partial(envelope.can_fulfill, interpretation=Interpretation(intent, slots),
                    resolutions=resolutions)
    wire = json.dumps(SERIALIZER.serialize(build(Caller(LOCAL_SKILL_ID), SessionState.start())))
    response = wire_json(skill.invoke(request_envelope=SERIALIZER.deserialize(wire, RequestEnvelope),
                                      context=None))
    return response["response"]["canFulfillIntent"]


def topic(heard: str, resolved: str | None = None) -> SlotFill:
    return SlotFill(TOPIC_SLOT, TOPIC_TYPE, heard, resolved, heard if resolved else None)


# Requests the local understanding would not make, as Alexa might send them.
Verdict = tuple[str, dict[str, tuple[str, str]]]
SENT: dict[str, tuple[str, tuple[SlotFill, ...], bool, Verdict]] = {
    "a topic Alexa resolved": (TOPIC_INTENT, (topic("coffee", "caffeine"),), True,
                               ("YES", {"topic": ("YES", "YES")})),
    "a topic Alexa did not resolve": (TOPIC_INTENT, (topic("elbows"),), True,
                                      ("NO", {"topic": ("NO", "NO")})),
    "a topic's words without resolutions": (TOPIC_INTENT, (topic("magnesium"),), False,
                                            ("YES", {"topic": ("YES", "YES")})),
    "unknown words without resolutions": (TOPIC_INTENT, (topic("the weather"),), False,
                                          ("NO", {"topic": ("NO", "NO")})),
    # "multiple sclerosis" is a synonym of the when-to-see-a-doctor topic, and a red flag.
    "a red-flag concern heard as a topic": (TOPIC_INTENT, (topic("multiple sclerosis", "serious"),), True,
                                            ("NO", {"topic": ("YES", "NO")})),
    "an empty topic slot": (TOPIC_INTENT, (SlotFill(TOPIC_SLOT, TOPIC_TYPE),), True, ("YES", {})),
    "an intent the model does not have": ("PlayMusicIntent", (), True, ("NO", {})),
    "a red flag with no concern heard": ("RedFlagIntent", (), True, ("NO", {})),
}


@pytest.mark.parametrize("case", SENT)
def test_a_request_as_alexa_sends_it(skill: Any, case: str) -> None:
    intent, slots, resolutions, (verdict, slot_verdicts) = SENT[case]
    answer = judged(skill, intent, *slots, resolutions=resolutions)
    assert answer["canFulfill"] == verdict
    assert {name: (s["canUnderstand"], s["canFulfill"]) for name, s in answer.get("slots", {}).items()
            } == slot_verdicts


def test_the_manifest_enables_the_interface() -> None:
    manifest = json.loads(datafiles.manifest_path().read_text())["manifest"]
    assert {"type": "CAN_FULFILL_INTENT_REQUEST"} in manifest["apis"]["custom"]["interfaces"]
