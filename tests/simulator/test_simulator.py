"""The text simulator: turns through the skill in process and over HTTP, sessions kept and ended."""

from __future__ import annotations

import json

import pytest
from ask_sdk_core.skill import CustomSkill

from skill.errors import InputError
from skill.simulator.simulator import Simulator, topics_by_title
from skill.simulator.transport import LocalTransport

JSON_KEYS = {"utterance", "intent", "slots", "topic", "speech", "ssml", "reprompt", "card",
             "end_session", "request", "response"}  # fmt: skip


@pytest.fixture
def sim(skill: CustomSkill) -> Simulator:
    return Simulator(LocalTransport(skill))


def test_a_turn_as_json_has_exactly_the_documented_keys(sim: Simulator) -> None:
    data = sim.say("why do my legs twitch at night").to_json()
    assert set(data) == JSON_KEYS
    assert data["intent"] == "TopicIntent" and data["slots"] == {"topic": "night"}
    assert data["topic"] == "night"
    assert data["ssml"].startswith("<speak>") and "<" not in data["speech"]
    assert data["card"]["title"] == "Twitching at night" and data["card"]["text"]
    assert data["reprompt"] and data["end_session"] is False
    assert data["request"]["request"]["type"] == "IntentRequest"
    assert data["response"]["sessionAttributes"]["last_topic"] == "night"
    assert "answered" not in data["response"]["sessionAttributes"]  # the wire format is Alexa's only
    json.dumps(data)  # all of it is JSON


def test_the_session_and_its_attributes_carry_over_between_turns(sim: Simulator) -> None:
    first = sim.say("can coffee make my legs twitch")
    second = sim.say("yes")
    assert first.request["session"]["new"] is True
    assert second.request["session"]["new"] is False
    assert second.request["session"]["sessionId"] == first.request["session"]["sessionId"]
    assert second.request["session"]["attributes"]["offer"] == first.attributes["offer"]
    assert second.topic == first.attributes["offer"]


def test_after_the_skill_ends_the_session_the_next_words_open_a_new_one(sim: Simulator) -> None:
    first = sim.launch()
    goodbye = sim.say("stop")
    assert goodbye.end_session and sim.session is None
    again = sim.say("what is myoclonus")
    assert again.request["session"]["new"] is True and again.end_session is False
    assert again.request["session"]["sessionId"] != first.request["session"]["sessionId"]


def test_ending_a_session_sends_session_ended_and_nothing_when_none_is_open(sim: Simulator) -> None:
    sim.say("why do my toes twitch")
    turn = sim.end()
    assert turn is not None and turn.request_type == "SessionEndedRequest"
    assert turn.request["request"]["reason"] == "USER_INITIATED" and turn.end_session
    assert sim.end() is None


def test_words_nobody_could_say_never_reach_the_skill(sim: Simulator) -> None:
    with pytest.raises(InputError):
        sim.say("\x1b[31m")
    assert sim.session is None


def test_the_topic_is_the_one_whose_answer_came_back_and_none_for_other_replies(sim: Simulator) -> None:
    said = [("why do my toes twitch", "toe"), ("tell me more", "toe"), ("repeat that", None),
            ("help", None), ("what's the weather tomorrow", None), ("yes", None)]  # fmt: skip
    for words, topic in said:
        assert sim.say(words).topic == topic, words
    assert sim.launch().topic is None


def test_every_topic_has_its_own_card_title() -> None:
    from skill.core.content import load_content

    content = load_content()
    topics = content.topics
    assert {topics[i].title: i for i in topics} | {content.say("red_flag_title"): "red_flag"} == dict(
        topics_by_title())
