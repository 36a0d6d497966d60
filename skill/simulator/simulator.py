"""The text simulator: typed words become real request envelopes for the skill; each answer a Turn.

No answer logic here: the words go through the local language understanding (skill/nlu.py) into a
request envelope (skill/envelope.py), which goes to the very Skill object the endpoint serves (in
process) or to a running endpoint over HTTP, and the response envelope comes back as a Turn.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Protocol

from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope, ResponseEnvelope, SessionEndedReason

from skill.core.memory import Card
from skill.errors import TransportError
from skill.simulator import envelope
from skill.simulator.envelope import Caller, SessionState
from skill.simulator.interpretation import Interpretation
from skill.simulator.understanding import Nlu
from skill.simulator.utterance import check_utterance

log = logging.getLogger(__name__)

HTTP_TIMEOUT = 10.0
_serializer = DefaultSerializer()


class Transport(Protocol):
    """Where request envelopes go: the skill in this process, or an endpoint over HTTP."""

    def send(self, request: RequestEnvelope) -> ResponseEnvelope: ...


class LocalTransport:
    """The process-wide Skill object (skill.core.assembly.get_skill), invoked directly."""

    def __init__(self, skill: Any = None) -> None:
        if skill is None:
            from skill.core.assembly import get_skill

            skill = get_skill()
        self.skill = skill

    def send(self, request: RequestEnvelope) -> ResponseEnvelope:
        return self.skill.invoke(request_envelope=request, context=None)


class HttpTransport:
    """A running endpoint (legtwitch serve, or any Alexa HTTPS endpoint): POSTs the envelope."""

    def __init__(self, url: str, timeout: float = HTTP_TIMEOUT) -> None:
        if not url.startswith(("http://", "https://")):
            raise TransportError(f"--url {url!r}: give a full URL, e.g. http://127.0.0.1:8000/")
        self.url, self.timeout = url, timeout

    def send(self, request: RequestEnvelope) -> ResponseEnvelope:
        body = json.dumps(_serializer.serialize(request)).encode("utf-8")
        req = urllib.request.Request(
            self.url, data=body, method="POST",
            headers={"Content-Type": "application/json; charset=utf-8", "Accept": "application/json"},
        )  # fmt: skip
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as reply:
                text = reply.read().decode("utf-8")
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace").strip()[:200]
            raise TransportError(
                f"{self.url} answered HTTP {exc.code} {exc.reason}"
                + (f": {detail}" if detail else "")
                + ". If it checks Alexa signatures, run it with verification off for local tests"
            ) from exc
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise TransportError(
                f"cannot reach {self.url} ({reason}): start the endpoint (legtwitch serve) "
                "or check the URL"
            ) from exc
        try:
            return _serializer.deserialize(text, ResponseEnvelope)
        except Exception as exc:  # the SDK raises its own SerializationException or ValueError
            raise TransportError(
                f"{self.url} did not answer with an Alexa response envelope: {text[:120]!r}"
            ) from exc


@dataclass(frozen=True)
class Turn:
    """One exchange: what was said (or done), how it was understood, and what Alexa answered."""

    utterance: str | None
    intent: str | None
    slots: Mapping[str, str | None]
    topic: str | None
    speech: str
    ssml: str | None
    reprompt: str | None
    card: Card | None
    end_session: bool
    request: Mapping[str, Any]
    response: Mapping[str, Any]
    attributes: Mapping[str, Any] = field(default_factory=dict)
    request_type: str = "IntentRequest"

    def to_json(self) -> dict[str, Any]:
        """The turn as `legtwitch ask --json` prints it: exactly the documented keys."""
        return {
            "utterance": self.utterance,
            "intent": self.intent,
            "slots": dict(self.slots),
            "topic": self.topic,
            "speech": self.speech,
            "ssml": self.ssml,
            "reprompt": self.reprompt,
            "card": None if self.card is None else {"title": self.card.title, "text": self.card.text},
            "end_session": self.end_session,
            "request": self.request,
            "response": self.response,
        }


@cache
def default_nlu() -> Nlu:
    """The language understanding for the shipped interaction model, built once per process."""
    from skill.core.model import default_model

    return Nlu(default_model())


def default_application_id() -> str:
    from skill.core.assembly import SKILL_ID

    return SKILL_ID


class Simulator:
    """A conversation with the skill: keeps the session across turns, as an Echo device does."""

    def __init__(self, transport: Transport, nlu: Nlu | None = None, caller: Caller | None = None):
        self.transport = transport
        self.nlu = nlu or default_nlu()
        self.caller = caller or Caller(default_application_id())
        self.session: SessionState | None = None

    @property
    def in_session(self) -> bool:
        return self.session is not None

    def reset(self) -> None:
        """Forget the session without telling the skill, as when a session times out unseen."""
        self.session = None

    def launch(self) -> Turn:
        """ "Alexa, open leg twitch guide": a LaunchRequest in a new session."""
        self.session = SessionState.start()
        return self._exchange(envelope.launch(self.caller, self.session), None, None)

    def say(self, text: str) -> Turn:
        """What a person says: understood locally, sent as an IntentRequest (new session if none)."""
        heard = check_utterance(text)
        return self.send_intent(self.nlu.parse(heard), heard)

    def send_intent(self, interpretation: Interpretation, utterance: str | None = None) -> Turn:
        """An intent with its slots, as understood (or given directly by a conversation script)."""
        if self.session is None:
            self.session = SessionState.start()
        log.debug("understood %r as %s (%s)", utterance, interpretation.intent, interpretation.why)
        request = envelope.intent(self.caller, self.session, interpretation)
        return self._exchange(request, utterance, interpretation)

    def end(self, reason: SessionEndedReason = SessionEndedReason.USER_INITIATED) -> Turn | None:
        """Close the open session with a SessionEndedRequest (nothing to do if none is open)."""
        if self.session is None:
            return None
        turn = self._exchange(envelope.session_ended(self.caller, self.session, reason), None, None)
        self.session = None
        return turn

    def _exchange(
        self, request: RequestEnvelope, utterance: str | None, interpretation: Interpretation | None
    ) -> Turn:
        response = self.transport.send(request)
        body = response.response
        attributes = dict(response.session_attributes or {})
        ended = bool(body is None or body.should_end_session) or request.request.object_type == (
            "SessionEndedRequest"
        )
        assert self.session is not None
        self.session = None if ended else self.session.after(attributes)
        ssml, speech = _speech(body.output_speech if body else None)
        reprompt = None
        if body is not None and body.reprompt is not None:
            reprompt = _speech(body.reprompt.output_speech)[1] or None
        slots = {}
        if interpretation is not None:
            slots = {s.name: s.resolved_id or s.value for s in interpretation.slots}
        return Turn(
            utterance=utterance,
            intent=interpretation.intent if interpretation else None,
            slots=slots,
            topic=attributes.get("answered"),
            speech=speech,
            ssml=ssml,
            reprompt=reprompt,
            card=_card(body.card if body else None),
            end_session=ended,
            request=_serializer.serialize(request),
            response=_serializer.serialize(response),
            attributes=attributes,
            request_type=request.request.object_type,
        )


def _speech(output: Any) -> tuple[str | None, str]:
    from skill.core.ssml import to_plain_text

    if output is None:
        return None, ""
    ssml = getattr(output, "ssml", None)
    if ssml is not None:
        return ssml, to_plain_text(ssml)
    return None, getattr(output, "text", "") or ""


def _card(card: Any) -> Card | None:
    if card is None:
        return None
    text = getattr(card, "content", None) or getattr(card, "text", None) or ""
    return Card(getattr(card, "title", None) or "", text)
