"""Lambda function: the AWS Lambda entry point `handler(event, context)` serving the same skill.

Set the function's handler to `skill.alexa.lambda_function.handler`. Lambda needs no signature check
(the Alexa Skills Kit trigger calls it directly), but the application id must be checked: set
LEGTWITCH_SKILL_ID (and the trigger's skill id verification). An event that is not an Alexa
request envelope, or is for another skill, raises `RequestError` with a short reason, which
Lambda reports as a failed invocation; the skill is built once per container (cold start).
"""

from __future__ import annotations

import json
import logging
from typing import Any

from ask_sdk_core.exceptions import SerializationException
from ask_sdk_model import RequestEnvelope

from skill import settings
from skill.errors import RequestError

logger = logging.getLogger(__name__)


def check_event(event: object) -> None:
    """Refuse raw `event` unless it is shaped as the handlers rely on: the HTTPS endpoint's
    checks of the raw JSON (skill/alexa/request_checks.py), the same code."""
    from skill.alexa.request_checks import check_request, envelope_request

    check_request(envelope_request(event))


def check_envelope(envelope: RequestEnvelope, skill_id: str | None) -> None:
    """Refuse `envelope` without a request, or for another skill than `skill_id`."""
    from skill.alexa.request_checks import ApplicationIdVerifier, EnvelopeVerifier

    EnvelopeVerifier().verify({}, "", envelope)
    if skill_id:
        ApplicationIdVerifier(skill_id).verify({}, "", envelope)


def handler(event: Any, context: Any) -> dict[str, Any]:
    """Answer the Alexa request envelope `event` (a dict) with a response envelope dict."""
    from skill.core.assembly import get_skill

    skill = get_skill()
    if not isinstance(event, dict):
        logger.warning("refused event: not a JSON object")
        raise RequestError("event is not an Alexa request envelope")
    try:
        check_event(event)
    except RequestError as exc:
        logger.warning("refused event: %s", exc)
        raise
    try:
        envelope = skill.serializer.deserialize(json.dumps(event), RequestEnvelope)
    except (SerializationException, TypeError, ValueError) as exc:
        logger.warning("refused event: %s", exc)
        raise RequestError("event is not an Alexa request envelope") from exc
    try:
        check_envelope(envelope, settings.SKILL_ID.read())
    except RequestError as exc:
        logger.warning("refused event: %s", exc)
        raise
    response = skill.serializer.serialize(skill.invoke(request_envelope=envelope, context=context))
    if not isinstance(response, dict):
        raise TypeError(f"the skill's response serialized to {type(response).__name__}, not an object")
    return response
