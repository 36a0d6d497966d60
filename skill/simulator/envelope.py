"""Real Alexa request envelopes (ask_sdk_model): launch, intent, can-fulfill and session-ended.

Each builder takes who asks (`Caller`) and the session (`SessionState`, or None for a request
outside any session) and, keyword-only, `at`: the request's timestamp (default now).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ask_sdk_model import (
    Application,
    Context,
    Device,
    Intent,
    IntentConfirmationStatus,
    IntentRequest,
    LaunchRequest,
    Request,
    RequestEnvelope,
    Session,
    SessionEndedReason,
    SessionEndedRequest,
    Slot,
    SlotConfirmationStatus,
    SupportedInterfaces,
    User,
)
from ask_sdk_model.canfulfill import CanFulfillIntentRequest
from ask_sdk_model.interfaces.alexa.presentation.apl import AlexaPresentationAplInterface, Runtime
from ask_sdk_model.interfaces.system import SystemState
from ask_sdk_model.simple_slot_value import SimpleSlotValue
from ask_sdk_model.slu.entityresolution import (
    Resolution,
    Resolutions,
    Status,
    StatusCode,
    Value,
    ValueWrapper,
)

from skill.core.datafiles import DEFAULT_LOCALE
from skill.simulator.interpretation import Interpretation, SlotFill

# The application id the local doors (text simulator, spoken mode) put in their request envelopes.
LOCAL_SKILL_ID = "amzn1.ask.skill.00000000-0000-4000-8000-1e9741c40001"
LOCALE = DEFAULT_LOCALE
API_ENDPOINT = "https://api.amazonalexa.com"
ENVELOPE_VERSION = "1.0"


def _id(kind: str) -> str:
    return f"amzn1.echo-api.{kind}.{uuid.uuid4()}"


APL_VERSION = "2023.2"  # the newest APL a simulated screen device reports

@dataclass(frozen=True)
class Caller:
    """Who is asking: the skill's application id and a simulated user and device."""

    application_id: str
    user_id: str = field(default_factory=lambda: f"amzn1.ask.account.SIMULATOR-{uuid.uuid4().hex}")
    device_id: str = field(default_factory=lambda: f"amzn1.ask.device.SIMULATOR-{uuid.uuid4().hex}")
    locale: str = LOCALE
    screen: bool = False  # a device with a screen (APL), as an Echo Show

    def interfaces(self) -> SupportedInterfaces:
        """What the device reports it supports: APL on a screen device, nothing otherwise."""
        if not self.screen:
            return SupportedInterfaces()
        return SupportedInterfaces(alexa_presentation_apl=AlexaPresentationAplInterface(
            runtime=Runtime(max_version=APL_VERSION)))


@dataclass(frozen=True)
class SessionState:
    """The session a request belongs to: its id, whether it is new, and the attributes so far."""

    session_id: str
    new: bool = True
    attributes: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def start(cls) -> SessionState:
        return cls(_id("session"))

    def after(self, attributes: Mapping[str, Any] | None) -> SessionState:
        """The same session one turn later, carrying the attributes the skill returned."""
        return SessionState(self.session_id, False, dict(attributes or {}))


def _timestamp(at: datetime | None) -> str:
    """`at` (default now) as Alexa writes it: ISO 8601 in UTC to the second.

    The SDK's models declare the field a datetime, but its serializer would write one with an
    offset and microseconds; the requests carry this text, as Alexa's do (hence the ignores below).
    """
    return (at or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _envelope(caller: Caller, session: SessionState | None, request: Request) -> RequestEnvelope:
    application = Application(application_id=caller.application_id)
    user = User(user_id=caller.user_id)
    in_session = None
    if session is not None:
        in_session = Session(
            new=session.new,
            session_id=session.session_id,
            application=application,
            user=user,
            attributes=dict(session.attributes),
        )
    return RequestEnvelope(
        version=ENVELOPE_VERSION,
        session=in_session,
        context=Context(
            system=SystemState(
                application=application,
                user=user,
                device=Device(device_id=caller.device_id, supported_interfaces=caller.interfaces()),
                api_endpoint=API_ENDPOINT,
            )
        ),
        request=request,
    )


def launch(caller: Caller, session: SessionState | None, *, at: datetime | None = None) -> RequestEnvelope:
    """A LaunchRequest: "Alexa, open leg twitch guide"."""
    request = LaunchRequest(
        request_id=_id("request"), timestamp=_timestamp(at), locale=caller.locale  # type: ignore[arg-type]
    )
    return _envelope(caller, session, request)


def intent(
    caller: Caller,
    session: SessionState | None,
    interpretation: Interpretation,
    *,
    resolutions: bool = True,
    at: datetime | None = None,
) -> RequestEnvelope:
    """An IntentRequest carrying the interpretation's intent and slots.

    resolutions: each filled slot carries its entity resolution, as Alexa sends for a custom slot
    type; False sends the words heard only, leaving the skill to resolve them.
    """
    slots = {s.name: _slot(caller, s, resolutions) for s in interpretation.slots}
    request = IntentRequest(
        request_id=_id("request"),
        timestamp=_timestamp(at),  # type: ignore[arg-type]
        locale=caller.locale,
        intent=Intent(
            name=interpretation.intent,
            slots=slots or None,
            confirmation_status=IntentConfirmationStatus.NONE,
        ),
    )
    return _envelope(caller, session, request)


def can_fulfill(
    caller: Caller,
    session: SessionState | None,
    interpretation: Interpretation,
    *,
    resolutions: bool = True,
    at: datetime | None = None,
) -> RequestEnvelope:
    """A CanFulfillIntentRequest: Alexa asking, before routing a question that names no skill,
    whether the skill could answer the interpretation's intent and slots (sent in a new session)."""
    slots = {s.name: _slot(caller, s, resolutions) for s in interpretation.slots}
    request = CanFulfillIntentRequest(
        request_id=_id("request"),
        timestamp=_timestamp(at),  # type: ignore[arg-type]
        locale=caller.locale,
        intent=Intent(
            name=interpretation.intent,
            slots=slots or None,
            confirmation_status=IntentConfirmationStatus.NONE,
        ),
    )
    return _envelope(caller, session, request)


def session_ended(
    caller: Caller,
    session: SessionState | None,
    reason: SessionEndedReason = SessionEndedReason.USER_INITIATED,
    *,
    at: datetime | None = None,
) -> RequestEnvelope:
    """A SessionEndedRequest: the user left, or the session timed out (EXCEEDED_MAX_REPROMPTS)."""
    request = SessionEndedRequest(
        request_id=_id("request"), timestamp=_timestamp(at),  # type: ignore[arg-type]
        locale=caller.locale, reason=reason,
    )
    return _envelope(caller, session, request)


def _slot(caller: Caller, fill: SlotFill, resolve: bool) -> Slot:
    if fill.value is None:
        return Slot(name=fill.name, confirmation_status=SlotConfirmationStatus.NONE)
    if not resolve:
        return Slot(name=fill.name, value=fill.value, confirmation_status=SlotConfirmationStatus.NONE)
    authority = f"amzn1.er-authority.echo-sdk.{caller.application_id}.{fill.type}"
    if fill.resolved_id is not None:
        resolution = Resolution(
            authority=authority,
            status=Status(code=StatusCode.ER_SUCCESS_MATCH),
            values=[ValueWrapper(value=Value(name=fill.resolved_name, id=fill.resolved_id))],
        )
    else:
        resolution = Resolution(authority=authority, status=Status(code=StatusCode.ER_SUCCESS_NO_MATCH))
    resolutions = Resolutions(resolutions_per_authority=[resolution])
    return Slot(
        name=fill.name,
        value=fill.value,
        confirmation_status=SlotConfirmationStatus.NONE,
        resolutions=resolutions,
        slot_value=SimpleSlotValue(value=fill.value, resolutions=resolutions),
    )
