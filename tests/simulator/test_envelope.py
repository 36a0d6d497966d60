"""Request envelopes: real ask_sdk_model objects that serialize as Alexa sends them."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone
from typing import Any

from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope, SessionEndedReason

from skill.simulator import envelope
from skill.simulator.envelope import Caller, SessionState
from skill.simulator.interpretation import Interpretation, SlotFill

SERIALIZER = DefaultSerializer()
CALLER = Caller("amzn1.ask.skill.test")
ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


def wire(request: RequestEnvelope) -> dict[str, Any]:
    """The envelope as JSON on the wire, read back as Alexa's field names."""
    data = SERIALIZER.serialize(request)
    return json.loads(json.dumps(data))


def test_launch_envelope_has_session_context_and_request_as_alexa_sends_them() -> None:
    data = wire(envelope.launch(CALLER, SessionState.start()))
    assert data["version"] == "1.0"
    assert data["session"]["new"] is True
    assert data["session"]["sessionId"].startswith("amzn1.echo-api.session.")
    assert data["session"]["application"]["applicationId"] == "amzn1.ask.skill.test"
    assert data["session"]["attributes"] == {}
    system = data["context"]["System"]
    assert system["application"]["applicationId"] == "amzn1.ask.skill.test"
    assert system["user"]["userId"] == data["session"]["user"]["userId"] == CALLER.user_id
    assert system["device"]["deviceId"] == CALLER.device_id
    assert system["apiEndpoint"] == "https://api.amazonalexa.com"
    request = data["request"]
    assert request["type"] == "LaunchRequest"
    assert request["requestId"].startswith("amzn1.echo-api.request.")
    assert request["locale"] == "en-US"
    assert ISO.match(request["timestamp"])


def test_every_request_has_its_own_id() -> None:
    session = SessionState.start()
    ids = {wire(envelope.launch(CALLER, session))["request"]["requestId"] for _ in range(5)}
    assert len(ids) == 5


def test_a_resolved_slot_carries_er_success_match_with_the_canonical_id() -> None:
    fill = SlotFill("topic", "TOPIC", "coffee", "caffeine", "caffeine")
    data = wire(envelope.intent(CALLER, SessionState.start(), Interpretation("TopicIntent", (fill,))))
    slot = data["request"]["intent"]["slots"]["topic"]
    assert slot["value"] == "coffee"
    (authority,) = slot["resolutions"]["resolutionsPerAuthority"]
    assert authority["authority"] == "amzn1.er-authority.echo-sdk.amzn1.ask.skill.test.TOPIC"
    assert authority["status"]["code"] == "ER_SUCCESS_MATCH"
    assert authority["values"] == [{"value": {"name": "caffeine", "id": "caffeine"}}]
    assert slot["slotValue"]["type"] == "Simple" and slot["slotValue"]["value"] == "coffee"


def test_an_unresolved_slot_carries_er_success_no_match_and_no_values() -> None:
    fill = SlotFill("topic", "TOPIC", "hiccups")
    data = wire(envelope.intent(CALLER, SessionState.start(), Interpretation("TopicIntent", (fill,))))
    slot = data["request"]["intent"]["slots"]["topic"]
    (authority,) = slot["resolutions"]["resolutionsPerAuthority"]
    assert (slot["value"], authority["status"]["code"]) == ("hiccups", "ER_SUCCESS_NO_MATCH")
    assert not authority.get("values")


def test_an_empty_slot_is_named_with_no_value_and_an_intent_without_slots_has_none() -> None:
    data = wire(envelope.intent(CALLER, SessionState.start(),
                                Interpretation("TopicIntent", (SlotFill("topic", "TOPIC"),))))
    assert data["request"]["intent"]["slots"] == {"topic": {"name": "topic", "confirmationStatus": "NONE"}}
    data = wire(envelope.intent(CALLER, SessionState.start(), Interpretation("AMAZON.HelpIntent")))
    assert data["request"]["type"] == "IntentRequest"
    assert data["request"]["intent"]["name"] == "AMAZON.HelpIntent"
    assert "slots" not in data["request"]["intent"]


def test_a_later_turn_carries_the_session_id_and_the_attributes_returned() -> None:
    first = SessionState.start()
    later = first.after({"last_topic": "night", "offer": "falling_asleep"})
    data = wire(envelope.intent(CALLER, later, Interpretation("AMAZON.YesIntent")))
    assert data["session"]["sessionId"] == first.session_id
    assert data["session"]["new"] is False
    assert data["session"]["attributes"] == {"last_topic": "night", "offer": "falling_asleep"}


def test_session_ended_request_carries_the_reason() -> None:
    request = envelope.session_ended(CALLER, SessionState.start(), SessionEndedReason.EXCEEDED_MAX_REPROMPTS)
    data = wire(request)
    assert data["request"]["type"] == "SessionEndedRequest"
    assert data["request"]["reason"] == "EXCEEDED_MAX_REPROMPTS"


def test_envelopes_read_back_from_json_as_request_envelopes() -> None:
    fill = SlotFill("topic", "TOPIC", "at night", "night", "at night")
    built = envelope.intent(CALLER, SessionState.start(), Interpretation("TopicIntent", (fill,)))
    back = SERIALIZER.deserialize(json.dumps(SERIALIZER.serialize(built)), RequestEnvelope)
    slot = back.request.intent.slots["topic"]
    assert slot.resolutions.resolutions_per_authority[0].values[0].value.id == "night"
    assert back.session is not None and built.session is not None
    assert back.session.session_id == built.session.session_id


def test_slot_values_without_resolutions_carry_only_the_words_heard() -> None:
    fill = SlotFill("topic", "TOPIC", "coffee", "caffeine", "caffeine")
    data = wire(envelope.intent(CALLER, SessionState.start(), Interpretation("TopicIntent", (fill,)),
                                resolutions=False))
    assert data["request"]["intent"]["slots"] == {
        "topic": {"name": "topic", "value": "coffee", "confirmationStatus": "NONE"}
    }


def test_a_request_outside_a_session_has_no_session_but_keeps_its_context() -> None:
    for request in (envelope.launch(CALLER, None), envelope.session_ended(CALLER, None),
                    envelope.intent(CALLER, None, Interpretation("AMAZON.HelpIntent"))):
        data = wire(request)
        assert "session" not in data
        assert data["context"]["System"]["application"]["applicationId"] == "amzn1.ask.skill.test"


def test_a_given_time_is_the_timestamp_in_utc_to_the_second() -> None:
    at = datetime(2026, 11, 22, 5, 6, 7, 890, tzinfo=timezone(timedelta(hours=2)))
    for request in (envelope.launch(CALLER, SessionState.start(), at=at),
                    envelope.session_ended(CALLER, SessionState.start(), at=at),
                    envelope.intent(CALLER, None, Interpretation("AMAZON.HelpIntent"), at=at)):
        assert wire(request)["request"]["timestamp"] == "2026-11-22T03:06:07Z"
