"""Handlers: each request type and intent, a golden answer per topic, and the negative cases."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest
from ask_sdk_model import RequestEnvelope

from skill.core.content import load_content
from skill.core.locales import DEFAULT, load_locales
from skill.core.ssml import ssml, to_plain_text
from skill.simulator import envelope
from skill.simulator.envelope import Caller, SessionState
from tests.conftest import SERIALIZER, Conversation, empty_slot, intent, resolved_slot, wire_json
from tests.support.alexarequest import MALFORMED_SLOTS, SLOTTED, with_slot

GOLDEN = Path(__file__).parent / "golden"
CONTENT = load_content()
TOPIC_IDS = tuple(CONTENT.topics)  # the topics are defined by content/ alone
LOCALES = load_locales()
MAX_SPEECH = 8000


def speech(response: dict) -> str:
    return response["response"]["outputSpeech"]["ssml"]


def reprompt(response: dict) -> str | None:
    return (response["response"].get("reprompt") or {}).get("outputSpeech", {}).get("ssml")


def ends(response: dict) -> bool:
    return response["response"]["shouldEndSession"]


def answered(response: dict) -> str | None:
    """The topic answered: the one whose title the reply's card carries (only answers have one)."""
    card = response["response"].get("card")
    return next((t.id for t in CONTENT.topics.values() if card and t.title == card["title"]), None)


@pytest.mark.parametrize("locale", LOCALES.tags)
@pytest.mark.parametrize("topic_id", TOPIC_IDS)
def test_golden_topic_answer(skill, topic_id, locale, update_golden):
    """Asking about each topic by its resolved id gives the pinned short answer, card, reprompt,
    in every locale as that locale spells it (the golden files are en-US)."""
    name = CONTENT.topics[topic_id].title
    talk = Conversation(skill, locale)
    response = talk.send(intent("TopicIntent", topic=resolved_slot("topic", name, topic_id)))
    got = {"speech": speech(response), "reprompt": reprompt(response),
           "card": response["response"]["card"], "end_session": ends(response),
           "session": {k: response["sessionAttributes"][k] for k in ("last_topic", "offer")}}
    path = GOLDEN / f"{topic_id}.json"
    if update_golden and locale == DEFAULT:
        path.parent.mkdir(exist_ok=True)
        path.write_text(json.dumps(got, indent=2) + "\n")
    golden = json.loads(path.read_text())
    spell = LOCALES.get(locale).spell
    card = {key: spell(text) if key in ("title", "content") else text
            for key, text in golden["card"].items()}
    assert got == {**golden, "speech": spell(golden["speech"]), "reprompt": spell(golden["reprompt"]),
                   "card": card}
    assert len(got["speech"]) < MAX_SPEECH


@pytest.mark.parametrize("topic_id", TOPIC_IDS)
def test_topic_answer_is_short_answer_then_offer(talk, topic_id):
    topic = CONTENT.topics[topic_id]
    talk.send(envelope.launch)  # in a session, so no one-shot disclaimer before the answer
    response = talk.send(intent("TopicIntent", topic=resolved_slot("topic", "x", topic_id)))
    assert speech(response) == ssml(topic.short.text, topic.offer.question)
    assert reprompt(response) == ssml(topic.offer.question)
    assert response["response"]["card"]["title"] == topic.title
    assert response["response"]["card"]["content"].startswith(topic.short.text)
    assert "Source: " in response["response"]["card"]["content"]
    assert response["sessionAttributes"]["offer"] == topic.offer.topic
    assert not ends(response)


def test_launch_welcomes_with_disclaimer_and_example(talk):
    response = talk.send(envelope.launch)
    assert "not medical advice" in speech(response)
    assert CONTENT.examples[0] in speech(response)
    assert reprompt(response) and not ends(response)


def test_help_says_what_to_ask_with_disclaimer(talk):
    response = talk.send(intent("AMAZON.HelpIntent"))
    assert "not medical advice" in speech(response)
    assert CONTENT.examples[0] in speech(response) and CONTENT.examples[1] in speech(response)
    assert reprompt(response) and not ends(response)


@pytest.mark.parametrize("name", ["AMAZON.StopIntent", "AMAZON.CancelIntent", "AMAZON.NoIntent"])
def test_stop_cancel_and_no_say_goodbye_and_end(talk, name):
    talk.send(intent("TopicIntent", topic="coffee"))
    response = talk.send(intent(name))
    assert "Goodbye" in speech(response)
    assert ends(response) and reprompt(response) is None


def test_navigate_home_returns_to_the_welcome(talk):
    response = talk.send(intent("AMAZON.NavigateHomeIntent"))
    assert "Welcome" in speech(response) and not ends(response)


def test_fallback_gives_two_examples(talk):
    response = talk.send(intent("AMAZON.FallbackIntent"))
    text = to_plain_text(speech(response))
    assert CONTENT.examples[0] in text and CONTENT.examples[1] in text
    assert not ends(response)


def test_yes_gives_the_offered_topic(talk):
    talk.send(intent("TopicIntent", topic="coffee"))
    response = talk.send(intent("AMAZON.YesIntent"))
    offered = CONTENT.topics[CONTENT.topics["caffeine"].offer.topic]
    assert speech(response) == ssml(offered.short.text, offered.offer.question)
    assert answered(response) == offered.id


def test_yes_without_offer_asks_what_to_know(talk):
    response = talk.send(intent("AMAZON.YesIntent"))
    assert "What would you like to know" in speech(response) and not ends(response)


def test_tell_me_more_gives_the_longer_answer_of_the_last_topic(talk):
    talk.send(intent("TopicIntent", topic="at night"))
    talk.send(intent("AMAZON.HelpIntent"))  # the last topic survives other turns
    response = talk.send(intent("TellMeMoreIntent"))
    topic = CONTENT.topics["night"]
    assert speech(response) == ssml(topic.more.text, topic.offer.question)
    assert response["response"]["card"]["content"].startswith(topic.more.text)


def test_tell_me_more_without_a_topic_says_to_ask_first(talk):
    response = talk.send(intent("TellMeMoreIntent"))
    assert "Ask me about a topic first" in speech(response)


def test_repeat_says_the_last_speech_again_and_keeps_the_offer(talk):
    first = talk.send(intent("TopicIntent", topic="toe"))
    response = talk.send(intent("AMAZON.RepeatIntent"))
    assert speech(response) == speech(first) and reprompt(response) == reprompt(first)
    assert response["sessionAttributes"]["offer"] == "above_knee"
    assert speech(talk.send(intent("AMAZON.YesIntent"))).startswith(
        ssml(CONTENT.topics["above_knee"].short.text)[:-len("</speak>")])


def test_repeat_with_nothing_said_yet(talk):
    assert "nothing to repeat" in speech(talk.send(intent("AMAZON.RepeatIntent")))


@pytest.mark.parametrize("name,topic_id", [("WhenToWorryIntent", "serious"),
                                           ("RemedyIntent", "remedies"),
                                           ("TopicIntent", "overview")])
def test_intent_without_slot_answers_its_topic(talk, name, topic_id):
    response = talk.send(intent(name))
    assert answered(response) == topic_id


def test_slot_without_resolution_is_resolved_from_the_model(talk):
    response = talk.send(intent("TopicIntent", topic="Coffee"))
    assert answered(response) == "caffeine"


def test_slot_with_no_match_says_what_it_can_talk_about(talk):
    response = talk.send(intent("TopicIntent", topic=resolved_slot("topic", "eyelids", None)))
    assert "I don't have anything on eyelids" in to_plain_text(speech(response))
    assert answered(response) is None and not ends(response)


def test_empty_slot_value_answers_the_overview(talk):
    response = talk.send(intent("TopicIntent", topic=empty_slot("topic")))
    assert answered(response) == "overview"


def test_heard_text_is_escaped_in_ssml(talk):
    heard = 'knees & "elbows" <b>'
    response = talk.send(intent("TopicIntent", topic=resolved_slot("topic", heard, None)))
    assert "knees &amp; &quot;elbows&quot; &lt;b&gt;" in speech(response)
    assert heard in to_plain_text(speech(response))


def test_unknown_intent_name_gets_the_fallback(talk, caplog):
    with caplog.at_level(logging.WARNING):
        response = talk.send(intent("OrderPizzaIntent"))
    assert "I answer questions about leg twitching" in speech(response)
    assert "OrderPizzaIntent" in caplog.text


@pytest.mark.parametrize("attributes", [
    None, {}, [], "junk", 42,
    {"last_topic": 7, "offer": ["x"], "last_speech": {"a": 1}},
    {"last_topic": "elbow", "offer": "<script>", "last_speech": "not ssml"},
    {"last_speech": '<speak><audio src="https://evil.example/a.mp3"/></speak>'},
    {"last_speech": "<speak>hi</speak><speak>", "last_reprompt": "<speak>a</speak>"},
])
def test_garbage_session_attributes_are_ignored(talk, attributes):
    talk.attributes = attributes
    assert "Ask me about a topic first" in speech(talk.send(intent("TellMeMoreIntent")))
    talk.attributes = attributes
    assert "What would you like to know" in speech(talk.send(intent("AMAZON.YesIntent")))
    talk.attributes = attributes
    assert "nothing to repeat" in speech(talk.send(intent("AMAZON.RepeatIntent")))


def test_session_ended_says_nothing(talk):
    response = talk.send(envelope.session_ended)
    assert "outputSpeech" not in response["response"]


#: Requests that are no spoken turn (Alexa's device, player and task events, its error report),
#: none of which the skill asks for, with the fields Amazon documents for each.
QUIET_REQUESTS: dict[str, dict[str, Any]] = {
    "Alexa.Presentation.APL.UserEvent": {"token": "answer", "arguments": ["pressed"], "source": {}},
    "Display.ElementSelected": {"token": "answer"},
    "AudioPlayer.PlaybackStarted": {"token": "t", "offsetInMilliseconds": 0},
    "AudioPlayer.PlaybackFinished": {"token": "t", "offsetInMilliseconds": 10},
    "AudioPlayer.PlaybackStopped": {"token": "t", "offsetInMilliseconds": 10},
    "AudioPlayer.PlaybackNearlyFinished": {"token": "t", "offsetInMilliseconds": 10},
    "AudioPlayer.PlaybackFailed": {"token": "t", "error": {"type": "MEDIA_ERROR_UNKNOWN", "message": "x"}},
    "PlaybackController.PlayCommandIssued": {},
    "PlaybackController.PauseCommandIssued": {},
    "PlaybackController.NextCommandIssued": {},
    "PlaybackController.PreviousCommandIssued": {},
    "Connections.Response": {"name": "Buy", "status": {"code": "200", "message": "OK"}, "payload": {}},
    "Dialog.API.Invoked": {"apiRequest": {"name": "x", "arguments": {}, "slots": {}}},
    "SessionResumedRequest": {"cause": {"type": "ConnectionCompleted", "token": "t",
                                        "status": {"code": "200"}}},
    "Messaging.MessageReceived": {"message": {"a": "b"}},
    "System.ExceptionEncountered": {"error": {"type": "INVALID_RESPONSE", "message": "x"},
                                    "cause": {"requestId": "r"}},
}


def quiet_request(kind: str) -> Any:
    """A `kind` request: a launch envelope with its request replaced, as Alexa would send it."""

    def build(caller: Caller, session: SessionState | None) -> RequestEnvelope:
        data = wire_json(envelope.launch(caller, session))
        data["request"] = {**{k: data["request"][k] for k in ("requestId", "timestamp", "locale")},
                           "type": kind, **QUIET_REQUESTS[kind]}
        return SERIALIZER.deserialize(json.dumps(data), RequestEnvelope)

    return build


@pytest.mark.parametrize("in_session", [True, False], ids=["in a session", "outside a session"])
@pytest.mark.parametrize("kind", QUIET_REQUESTS)
def test_a_request_that_is_no_spoken_turn_gets_a_quiet_empty_response(talk, caplog, kind, in_session):
    """No speech, reprompt, card or directive, and no shouldEndSession (Amazon forbids all of
    them in answers to AudioPlayer and PlaybackController requests); nothing logged as an error;
    in a session, what it remembers is kept."""
    if in_session:
        talk.send(intent("TopicIntent", topic=resolved_slot("topic", "coffee", "caffeine")))
    remembered = talk.attributes
    with caplog.at_level(logging.INFO):
        response = talk.send(quiet_request(kind), session=in_session)
    assert response["response"] == {}, response
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING or r.exc_info]
    assert any(kind in r.getMessage() for r in caplog.records)
    if in_session:
        assert response["sessionAttributes"] == remembered


def test_every_response_stays_within_alexa_limits(talk):
    for topic_id in TOPIC_IDS:
        talk.send(intent("TopicIntent", topic=resolved_slot("topic", "x", topic_id)))
        response = talk.send(intent("TellMeMoreIntent"))
        assert len(speech(response)) < MAX_SPEECH
        assert len(response["response"]["card"]["content"]) < 8000


@pytest.mark.parametrize("request_body", [
    intent("TopicIntent", topic="coffee"), intent("AMAZON.RepeatIntent"), envelope.launch,
])
def test_request_without_a_session_is_answered(talk, request_body):
    response = talk.send(request_body, session=False)
    assert response["response"]["outputSpeech"]["ssml"].startswith("<speak>")
    assert "sessionAttributes" not in response or not response["sessionAttributes"]


NULL_RESOLUTIONS = {case: MALFORMED_SLOTS[case] for case in ("a null authority", "a null resolved value")}


@pytest.mark.parametrize(("kind", "name", "slot_name"), SLOTTED, ids=[f"{k} {i}" for k, i, _ in SLOTTED])
@pytest.mark.parametrize("case", NULL_RESOLUTIONS)
def test_a_null_in_slot_resolutions_is_skipped(talk, caplog, kind, name, slot_name, case):
    """The doors refuse it (skill/alexa/request_checks.py); the core, reached some other way,
    resolves the slot from the words heard instead of failing."""

    def build(caller: Caller, session: SessionState | None) -> RequestEnvelope:
        data = with_slot(kind, name, slot_name, NULL_RESOLUTIONS[case])
        data["session"] = wire_json(envelope.launch(caller, session))["session"]
        return SERIALIZER.deserialize(json.dumps(data), RequestEnvelope)

    with caplog.at_level(logging.WARNING):
        response = talk.send(build)["response"]
    assert not caplog.records
    if kind == "CanFulfillIntentRequest":
        assert response == {"canFulfillIntent": {"canFulfill": "YES", "slots": {
            "topic": {"canUnderstand": "YES", "canFulfill": "YES"}}}}
    else:
        assert "went wrong" not in response["outputSpeech"]["ssml"]
        assert ("Caffeine" in response["card"]["title"]) if name == "TopicIntent" else "card" not in response
