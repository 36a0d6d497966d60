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
    names its intent."""
    if request.get("type") in ("IntentRequest", "CanFulfillIntentRequest"):
        intent = request.get("intent")
        if not isinstance(intent, dict) or not isinstance(intent.get("name"), str):
            raise RequestError("intent request has no intent name")


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
