"""Certification checks: what Amazon's review tests, run on the skill as it is.

Example phrases are samples; the invocation name follows the rules; launch, one-shot, help,
stop, cancel, fallback and session-ended behave as the functional tests describe; the
description carries the health disclaimer; no response is over Alexa's limits.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from functools import partial
from typing import Any

import pytest
from ask_sdk_model import SessionEndedReason

from skill.core import datafiles, model
from skill.core.content import load_content
from skill.core.ssml import to_plain_text
from skill.errors import ModelError
from skill.simulator import envelope
from tests.conftest import Conversation, Request, intent, resolved_slot

CONTENT = load_content()
LANGUAGE = model.load_model()
MANIFEST = json.loads(datafiles.manifest_path().read_text())["manifest"]
LOCALES = MANIFEST["publishingInformation"]["locales"]

# Alexa's limits (Request and Response JSON Reference): speech and reprompt 8,000 characters
# each, a card's title and content 8,000 together, the whole response 24 kilobytes.
MAX_SPEECH, MAX_CARD, MAX_RESPONSE = 8000, 8000, 24 * 1024
# The first example phrase opens the skill by name; the others ask it something by name.
FIRST_PHRASE = re.compile(rf"^Alexa, (open|launch|start|talk to) {re.escape(LANGUAGE.invocation)}$")
OTHER_PHRASE = re.compile(rf"^Alexa, (ask|tell) {re.escape(LANGUAGE.invocation)} (?:(?:to|about|for|if) )?"
                          r"(?P<said>[A-Za-z' ]+)$")


def samples_match(utterance: str, language: model.InteractionModel = LANGUAGE) -> bool:
    """Whether `utterance` is a sample of the model, with slot values where it has {slots}."""
    for spec in language.intents.values():
        for sample in spec.samples:
            pattern = re.escape(sample.lower())
            for slot in spec.slots:
                pattern = pattern.replace(re.escape("{" + slot + "}"), f"(?P<{slot}>.+)")
            match = re.fullmatch(pattern, utterance.lower())
            if match and all(language.resolve(spec.slots[s], v) for s, v in match.groupdict().items()):
                return True
    return False


@pytest.mark.parametrize("locale", LOCALES)
def test_example_phrases_are_samples(locale: str) -> None:
    phrases = LOCALES[locale]["examplePhrases"]
    assert 1 <= len(phrases) <= 3
    assert FIRST_PHRASE.match(phrases[0]), phrases[0]
    for phrase in phrases[1:]:
        match = OTHER_PHRASE.match(phrase)
        assert match, phrase
        language = model.load_model(datafiles.model_path(locale))
        assert samples_match(match["said"], language), f"{phrase!r} is not a sample utterance of {locale}"


def test_a_phrase_that_is_no_sample_is_caught() -> None:
    assert samples_match("why does my leg twitch at night")
    assert not samples_match("why does my leg twitch at the opera")
    assert not samples_match("what is the weather")


@pytest.mark.parametrize("locale", LOCALES)
def test_the_description_carries_the_health_disclaimer(locale: str) -> None:
    listing = LOCALES[locale]
    assert "not medical advice" in listing["description"]
    assert "see a doctor" in listing["description"]
    assert len(listing["summary"]) <= 160 and len(listing["description"]) <= 4000
    assert MANIFEST["publishingInformation"]["category"] == "HEALTH_AND_FITNESS"
    assert MANIFEST["privacyAndCompliance"]["usesPersonalInfo"] is False


def test_the_invocation_name_follows_the_rules() -> None:
    words = LANGUAGE.invocation.split()
    assert LANGUAGE.invocation == LANGUAGE.invocation.lower() and len(words) >= 2
    assert all(word.isalpha() for word in words)
    assert not set(words) & model.FORBIDDEN_INVOCATION_WORDS


@pytest.mark.parametrize(("name", "kind"), [
    ("twitch", "two or more lowercase words"), ("Leg Twitch Guide", "two or more lowercase words"),
    ("leg twitch 2", "lowercase"),
    ("echo leg guide", "wake word"), ("computer leg guide", "wake word"), ("leg twitch app", "wake word"),
    ("ask leg twitch", "launch word"), ("open leg guide", "launch word"), ("leg guide tell", "launch word"),
    ("guide to legs", "connecting word"), ("leg twitch for you", "connecting word"),
])
def test_a_name_against_the_rules_is_refused(name: str, kind: str) -> None:
    document = json.loads(datafiles.model_path().read_text())
    broken = copy.deepcopy(document)
    broken["interactionModel"]["languageModel"]["invocationName"] = name
    with pytest.raises(ModelError, match=f"invocationName: .*{kind}"):
        model.validate(broken)


# The functional tests, each as (what is sent after what, what must hold).
def topic(topic_id: str) -> Request:
    return intent("TopicIntent", topic=resolved_slot("topic", CONTENT.topics[topic_id].title, topic_id))


def plain(response: dict[str, Any], key: str = "outputSpeech") -> str:
    speech = (response["response"].get(key) or {})
    speech = speech.get("outputSpeech", speech) if key == "reprompt" else speech
    return to_plain_text(speech.get("ssml", "<speak></speak>"))


def stays_open_with_a_question(response: dict[str, Any]) -> None:
    assert response["response"]["shouldEndSession"] is False
    assert plain(response).rstrip().endswith("?"), "an open session must end by asking"
    assert plain(response, "reprompt").strip(), "an open session needs a reprompt"


def closes(response: dict[str, Any]) -> None:
    assert response["response"]["shouldEndSession"] is True
    assert "reprompt" not in response["response"]


def launches(response: dict[str, Any]) -> None:
    stays_open_with_a_question(response)
    assert "leg twitching" in plain(response) and "not medical advice" in plain(response)


def answers_one_shot(response: dict[str, Any]) -> None:
    stays_open_with_a_question(response)
    assert plain(response).startswith(CONTENT.say("disclaimer"))


def helps(response: dict[str, Any]) -> None:
    stays_open_with_a_question(response)
    assert "For example" in plain(response)


def falls_back(response: dict[str, Any]) -> None:
    assert response["response"]["shouldEndSession"] is False
    assert plain(response, "reprompt").endswith("?") and "leg twitching" in plain(response)


FUNCTIONAL: dict[str, tuple[list[Request], Callable[[dict[str, Any]], None]]] = {
    "launch says what the skill does and asks": ([envelope.launch], launches),
    "a one-shot question is answered, disclaimer first": ([topic("night")], answers_one_shot),
    "help says what to ask and asks": ([envelope.launch, intent("AMAZON.HelpIntent")], helps),
    "help at the start of a session": ([intent("AMAZON.HelpIntent")], helps),
    "stop ends the session": ([envelope.launch, intent("AMAZON.StopIntent")], closes),
    "cancel ends the session": ([envelope.launch, intent("AMAZON.CancelIntent")], closes),
    "stop after an answer ends the session": ([topic("stress"), intent("AMAZON.StopIntent")], closes),
    "no to an offer ends the session": ([topic("stress"), intent("AMAZON.NoIntent")], closes),
    "fallback says what the skill can do and asks": (
        [envelope.launch, intent("AMAZON.FallbackIntent")], falls_back),
}


@pytest.mark.parametrize("case", FUNCTIONAL)
def test_functional(talk: Conversation, case: str) -> None:
    requests, check = FUNCTIONAL[case]
    responses = [talk.send(request) for request in requests]
    check(responses[-1])


@pytest.mark.parametrize("reason", list(SessionEndedReason))
def test_session_ended_gets_no_speech(talk: Conversation, reason: SessionEndedReason) -> None:
    talk.send(envelope.launch)
    response = talk.send(partial(envelope.session_ended, reason=reason))
    assert "outputSpeech" not in response["response"] and "reprompt" not in response["response"]


def every_reply(talk: Conversation) -> list[dict[str, Any]]:
    """Every kind of response the skill gives: each topic short and long, each fixed reply."""
    replies = [talk.send(envelope.launch)]
    for topic_id in CONTENT.topics:
        replies += [talk.send(topic(topic_id)), talk.send(intent("TellMeMoreIntent")),
                    talk.send(intent("AMAZON.RepeatIntent")), talk.send(intent("AMAZON.YesIntent"))]
    for value in LANGUAGE.types["NEAR_MISS"]:
        replies.append(talk.send(intent("NearMissIntent", near_miss=value.name)))
    long_words = " ".join(["twitchy"] * 300)
    replies += [talk.send(intent("RedFlagIntent")), talk.send(intent("AMAZON.HelpIntent")),
                talk.send(intent("AMAZON.FallbackIntent")),
                talk.send(intent("TopicIntent", topic=long_words)),
                talk.send(intent("AMAZON.StopIntent"))]
    return replies


def test_no_response_is_over_alexas_limits(talk: Conversation) -> None:
    replies = every_reply(talk)
    near_misses = len(LANGUAGE.types["NEAR_MISS"])
    assert len(replies) == 1 + 4 * len(CONTENT.topics) + near_misses + 5
    for response in replies:
        body = response["response"]
        assert len(body["outputSpeech"]["ssml"]) <= MAX_SPEECH
        if "reprompt" in body:
            assert len(body["reprompt"]["outputSpeech"]["ssml"]) <= MAX_SPEECH
        if "card" in body:
            assert len(body["card"]["title"]) + len(body["card"]["content"]) <= MAX_CARD
        assert len(json.dumps(response).encode("utf-8")) <= MAX_RESPONSE
