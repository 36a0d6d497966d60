"""Alexa request bodies for web tests, built by skill/envelope.py and signed like Amazon's."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from ask_sdk_core.serialize import DefaultSerializer

from skill.core.handlers import TOPIC_INTENT, TOPIC_SLOT, TOPIC_TYPE
from skill.simulator import envelope as envelopes
from skill.simulator.envelope import Caller, SessionState
from skill.simulator.interpretation import Interpretation, SlotFill
from tests.support.certauthority import SigningChain

TEST_SKILL_ID = "amzn1.ask.skill.11111111-2222-4333-8444-555555555555"
CHAIN_PATH = "/echo.api/echo-api-cert.pem"
CHAIN_URL = f"https://s3.amazonaws.com{CHAIN_PATH}"


#: The Content-Type header Amazon sends with every request.
JSON = {"Content-Type": "application/json; charset=utf-8"}


def asking(topic: str) -> Interpretation:
    """TopicIntent with the words heard for its `topic` slot."""
    return Interpretation(TOPIC_INTENT, (SlotFill(TOPIC_SLOT, TOPIC_TYPE, topic),))


def envelope(
    said: Interpretation | None = None,
    skill_id: str = TEST_SKILL_ID,
    timestamp: dt.datetime | None = None,
    screen: bool = False,
) -> bytes:
    """A serialized request envelope, as the Alexa service would send it: a LaunchRequest, or an
    IntentRequest for `said` (slot values without entity resolution), in a new session, from a
    device with a screen (APL) or without."""
    caller, session = Caller(skill_id, screen=screen), SessionState.start()
    if said is None:
        request = envelopes.launch(caller, session, at=timestamp)
    else:
        request = envelopes.intent(caller, session, said, resolutions=False, at=timestamp)
    return json.dumps(DefaultSerializer().serialize(request)).encode("utf-8")


def signed_headers(body: bytes, chain: SigningChain, url: str = CHAIN_URL) -> dict[str, str]:
    """The headers Amazon sends with `body`: content type, chain URL and Signature-256."""
    return {
        "Content-Type": "application/json",
        "SignatureCertChainUrl": url,
        "Signature-256": chain.sign(body),
    }


def _authority(values: Any) -> dict[str, Any]:
    return {"authority": "amzn1.er-authority.echo-sdk.x.TOPIC", "status": {"code": "ER_SUCCESS_MATCH"},
            "values": values}


#: Slots as no Alexa request carries them: each refused by the endpoint and the Lambda handler.
MALFORMED_SLOTS: dict[str, dict[str, Any]] = {
    "a null authority": {"resolutions": {"resolutionsPerAuthority": [None]}},
    "a null resolved value": {"resolutions": {"resolutionsPerAuthority": [_authority([None])]}},
    "a resolved value that is a string": {"resolutions": {"resolutionsPerAuthority": [_authority(["x"])]}},
    "a resolved name that is a number": {
        "resolutions": {"resolutionsPerAuthority": [_authority([{"value": {"name": 5, "id": "caffeine"}}])]}},
    "authorities that are an object": {"resolutions": {"resolutionsPerAuthority": {"a": 1}}},
    "resolutions that are a list": {"resolutions": [1]},
    "a status that is a string": {"resolutions": {"resolutionsPerAuthority": [
        {"authority": "a", "status": "ER_SUCCESS_MATCH", "values": []}]}},
}

#: Slot values that are not words: each refused by the endpoint and the Lambda handler (the SDK's
#: deserializer would turn them into their Python repr, "['a']", and the skill would say it).
NON_STRING_SLOTS: dict[str, dict[str, Any]] = {
    "a number": {"value": 5},
    "a list": {"value": ["a"]},
    "an object": {"value": {"a": 1}},
    "true": {"value": True},
    "a number as the slot's name": {"name": 7},
}

#: The requests that read a slot: (request type, intent, slot name).
SLOTTED = [("IntentRequest", "TopicIntent", "topic"), ("IntentRequest", "NearMissIntent", "near_miss"),
           ("CanFulfillIntentRequest", "TopicIntent", "topic")]


def with_slot(kind: str, intent: str, slot_name: str, slot: dict[str, Any]) -> dict[str, Any]:
    """A request envelope (JSON object) of type `kind` for `intent`, its one slot `slot_name`
    heard as "coffee" and then edited by `slot`."""
    data = json.loads(envelope(asking("coffee")))
    fields = {"name": slot_name, "value": "coffee", "confirmationStatus": "NONE", **slot}
    data["request"].update(type=kind, intent={"name": intent, "confirmationStatus": "NONE",
                                              "slots": {slot_name: fields}})
    return data
