"""Checks on a request envelope: its raw JSON's shape, then the deserialized envelope (request
present, application id).

Light (no cryptography, no Flask) so the Lambda entry point runs the same checks as the HTTPS
endpoint at cold start. `envelope_request` and `check_request` read the raw JSON, before the
SDK's deserializer (which lets a null through and turns 5 into "5"); the verifiers have the
`verify(headers, serialized_request_env, deserialized_request_env)` method of
ask-sdk-webservice-support's `AbstractVerifier`. Each raises `RequestError` (or its subclass
`VerificationError`) with a short reason.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ask_sdk_model import RequestEnvelope

from skill.errors import RequestError, VerificationError

#: Largest accepted gap between a request's timestamp and now, either side (Amazon: 150 s).
TIMESTAMP_TOLERANCE_S = 150.0

#: Seconds since the epoch, as time.time gives them; tests pin it.
Clock = Callable[[], float]


def envelope_request(body: object) -> Mapping[str, Any]:
    """The `request` object of the raw envelope `body`; RequestError if it has none."""
    request = body.get("request") if isinstance(body, dict) else None
    if not isinstance(request, dict):
        raise RequestError("body is not an Alexa request envelope: no request")
    return request


def check_request(request: Mapping[str, Any]) -> None:
    """What the handlers rely on, in the raw JSON: an intent request (or a CanFulfillIntentRequest)
    names its intent, and its slots are as Alexa sends them (`check_slots`)."""
    if request.get("type") in ("IntentRequest", "CanFulfillIntentRequest"):
        intent = request.get("intent")
        if not isinstance(intent, dict) or not isinstance(intent.get("name"), str):
            raise RequestError("intent request has no intent name")
        check_slots(intent.get("slots"))


def _objects(value: object) -> bool:
    """Whether `value` is absent (None) or a list of JSON objects, none of them null."""
    return value is None or (isinstance(value, list) and all(isinstance(v, dict) for v in value))


def _text(value: object) -> bool:
    return value is None or isinstance(value, str)


def check_slots(slots: object) -> None:
    """An intent's slots: an object of slot objects, each slot's name and words a string, and its
    entity resolutions objects all the way down (no null authority or value)."""
    if slots is None:
        return
    if not isinstance(slots, dict) or not all(slot is None or isinstance(slot, dict)
                                              for slot in slots.values()):
        raise RequestError("intent slots are not slot objects")
    for slot in filter(None, slots.values()):
        if not _text(slot.get("name")) or not _text(slot.get("value")):
            raise RequestError("slot value is not a string")
        resolutions = slot.get("resolutions")
        if resolutions is None:
            continue
        authorities = resolutions.get("resolutionsPerAuthority") if isinstance(resolutions, dict) else []
        if not isinstance(resolutions, dict) or not _objects(authorities):
            raise RequestError("slot resolutions are malformed")
        for authority in authorities or []:
            status, values = authority.get("status"), authority.get("values")
            if not (status is None or isinstance(status, dict) and _text(status.get("code"))):
                raise RequestError("slot resolutions are malformed")
            if not _objects(values) or not all(_resolved_value(v.get("value")) for v in values or []):
                raise RequestError("slot resolutions are malformed")


def _resolved_value(value: object) -> bool:
    """Whether `value` is absent or a resolved value object whose id and name are strings."""
    return value is None or (isinstance(value, dict) and _text(value.get("id"))
                             and _text(value.get("name")))


@dataclass(frozen=True)
class EnvelopeVerifier:
    """Refuses envelopes without a request: they deserialize, but there is nothing to answer."""

    def verify(
        self,
        headers: Mapping[str, str],
        serialized_request_env: str,
        deserialized_request_env: RequestEnvelope | None,
    ) -> None:
        if getattr(deserialized_request_env, "request", None) is None:
            raise RequestError("body is not an Alexa request envelope: no request")


def application_id(envelope: RequestEnvelope | None) -> str | None:
    """The application id of a request envelope (context first, then session), or None."""
    system = getattr(getattr(envelope, "context", None), "system", None)
    for holder in (system, getattr(envelope, "session", None)):
        app_id = getattr(getattr(holder, "application", None), "application_id", None)
        if app_id:
            return str(app_id)
    return None


@dataclass(frozen=True)
class ApplicationIdVerifier:
    """Checks that the request is for skill `skill_id`."""

    skill_id: str

    def verify(
        self,
        headers: Mapping[str, str],
        serialized_request_env: str,
        deserialized_request_env: RequestEnvelope | None,
    ) -> None:
        found = application_id(deserialized_request_env)
        if found is None:
            raise VerificationError("request has no application id")
        if found != self.skill_id:
            raise VerificationError("request is for another skill")
