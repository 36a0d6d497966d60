"""The text simulator: typed words become real request envelopes for the skill; each answer a Turn.

No answer logic here: the words go through the local language understanding
(skill.simulator.understanding) into a request envelope (skill.simulator.envelope), which a
transport (skill.simulator.transport) takes to the very Skill object the endpoint serves (in
process) or to a running endpoint over HTTP; the response envelope comes back as a Turn.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope, ResponseEnvelope, SessionEndedReason
from ask_sdk_model.ui import Card as SdkCard
from ask_sdk_model.ui import OutputSpeech, SimpleCard, SsmlOutputSpeech, StandardCard

from skill.core.reply import Card
from skill.core.screen import DATASOURCE
from skill.core.ssml import to_plain_text
from skill.simulator import envelope
from skill.simulator.envelope import LOCAL_SKILL_ID, LOCALE, Caller, SessionState
from skill.simulator.interpretation import Interpretation
from skill.simulator.transport import Transport
from skill.simulator.understanding import Nlu
from skill.simulator.utterance import check_utterance

log = logging.getLogger(__name__)

_serializer = DefaultSerializer()


RENDER_DOCUMENT = "Alexa.Presentation.APL.RenderDocument"

@dataclass(frozen=True)
class Turn:
    """One exchange: what was said (or done), how it was understood, and what Alexa answered.

    ssml: the speech as the skill sent it; speech and reprompt: plain text, turned from SSML once
    here, for every output to use. topic: the content topic answered (from the answer's card).
    """

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

    @property
    def screen(self) -> Mapping[str, str] | None:
        """What a screen device shows (the RenderDocument directive's answer), or None."""
        body = self.response.get("response") if isinstance(self.response, Mapping) else None
        for directive in (body or {}).get("directives") or []:
            if isinstance(directive, Mapping) and directive.get("type") == RENDER_DOCUMENT:
                answer = (directive.get("datasources") or {}).get(DATASOURCE)
                if isinstance(answer, Mapping):
                    return {k: str(v) for k, v in answer.items()}
        return None

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


@dataclass(frozen=True)
class Judgement:
    """The skill's answer to a CanFulfillIntentRequest: can it take a question that names no skill?

    verdict: YES, NO or MAYBE; slots: each judged slot's (canUnderstand, canFulfill).
    """

    utterance: str
    intent: str
    verdict: str | None
    slots: Mapping[str, tuple[str | None, str | None]]
    request: Mapping[str, Any]
    response: Mapping[str, Any]


@cache
def default_nlu(locale: str = LOCALE) -> Nlu:
    """The language understanding for the shipped interaction model of `locale` with the shipped
    classifier (trained on the default locale's model), built once per process and locale. With
    no classifier file (a content directory of one's own, the Lambda bundle) the matcher answers
    alone, and says so once."""
    from skill.core import datafiles
    from skill.core.model import default_model
    from skill.simulator.classifier import CLASSIFIER, Classifier

    model = default_model(locale)
    path = datafiles.content_dir() / CLASSIFIER
    if not path.is_file():
        log.warning("%s is missing, so the matcher understands alone: `make model` trains it", path)
        return Nlu(model)
    return Nlu(model, classifier=Classifier.load(path, Nlu.labels(model)))


@cache
def topics_by_title() -> Mapping[str, str]:
    """Card title to topic id, for the shipped content: every topic answer carries a card titled
    with its topic's title, the red-flag answer one titled as content says (topic `red_flag`), and
    no other reply has a card. A title two topics share (the content allows it) names neither."""
    from skill.core.content import load_content
    from skill.core.handlers import RED_FLAG

    content = load_content()
    ids: dict[str, list[str]] = {content.say("red_flag_title"): [RED_FLAG]}
    for topic in content.topics.values():
        ids.setdefault(topic.title, []).append(topic.id)
    shared = sorted(title for title, same in ids.items() if len(same) > 1)
    if shared:
        log.warning("topics share the card title(s) %s: their turns show no topic", ", ".join(shared))
    return {title: same[0] for title, same in ids.items() if len(same) == 1}


class Simulator:
    """A conversation with the skill: keeps the session across turns, as an Echo device does."""

    def __init__(self, transport: Transport, nlu: Nlu | None = None, caller: Caller | None = None):
        self.transport = transport
        self.caller = caller or Caller(LOCAL_SKILL_ID)
        self.nlu = nlu or default_nlu(self.caller.locale)
        self.session: SessionState | None = None

    def reset(self) -> None:
        """Forget the session without telling the skill, as when a session times out unseen."""
        self.session = None

    def launch(self) -> Turn:
        """ "Alexa, open leg twitch guide": a LaunchRequest in a new session."""
        session = SessionState.start()
        return self._exchange(session, envelope.launch(self.caller, session), None, None)

    def say(self, text: str) -> Turn:
        """What a person says: understood locally, sent as an IntentRequest (new session if none)."""
        heard = check_utterance(text)
        return self.send_intent(self.nlu.parse(heard), heard)

    def send_intent(self, interpretation: Interpretation, utterance: str | None = None) -> Turn:
        """An intent with its slots, as understood (or given directly by a conversation script)."""
        session = self.session or SessionState.start()
        log.debug("understood %r as %s (%s)", utterance, interpretation.intent, interpretation.why)
        request = envelope.intent(self.caller, session, interpretation)
        return self._exchange(session, request, utterance, interpretation)

    def can_fulfill(self, text: str) -> Judgement:
        """What Alexa asks before routing `text`, said without the skill's name, to the skill: a
        CanFulfillIntentRequest in a session of its own (the conversation's is left as it is)."""
        heard = check_utterance(text)
        interpretation = self.nlu.parse(heard)
        request = envelope.can_fulfill(self.caller, SessionState.start(), interpretation)
        response = self.transport.send(request)
        answer = response.response.can_fulfill_intent if response.response else None
        slots = {name: (_value(slot.can_understand), _value(slot.can_fulfill))
                 for name, slot in ((answer.slots or {}) if answer else {}).items()}
        return Judgement(heard, interpretation.intent, _value(answer.can_fulfill) if answer else None,
                         slots, _as_json(request), _as_json(response))

    def end(self, reason: SessionEndedReason = SessionEndedReason.USER_INITIATED) -> Turn | None:
        """Close the open session with a SessionEndedRequest (nothing to do if none is open)."""
        if self.session is None:
            return None
        return self._exchange(self.session, envelope.session_ended(self.caller, self.session, reason),
                              None, None)  # fmt: skip

    def _exchange(
        self, session: SessionState, request: RequestEnvelope, utterance: str | None,
        interpretation: Interpretation | None,
    ) -> Turn:  # fmt: skip
        """Send `request` (in `session`) and read the answer; the session is kept unless it ended."""
        self.session = session
        response = self.transport.send(request)
        body = response.response
        attributes = dict(response.session_attributes or {})
        request_type = (request.request.object_type if request.request else None) or ""
        ended = bool(body is None or body.should_end_session) or request_type == "SessionEndedRequest"
        self.session = None if ended else session.after(attributes)
        ssml, speech = _speech(body.output_speech if body else None)
        reprompt = None
        if body is not None and body.reprompt is not None:
            reprompt = _speech(body.reprompt.output_speech)[1] or None
        card = _card(body.card if body else None)
        slots = {}
        if interpretation is not None:
            slots = {s.name: s.resolved_id or s.value for s in interpretation.slots}
        return Turn(
            utterance=utterance,
            intent=interpretation.intent if interpretation else None,
            slots=slots,
            topic=topics_by_title().get(card.title) if card else None,
            speech=speech,
            ssml=ssml,
            reprompt=reprompt,
            card=card,
            end_session=ended,
            request=_as_json(request),
            response=_as_json(response),
            attributes=attributes,
            request_type=request_type,
        )


def _value(enum: Any) -> str | None:
    """An ask_sdk_model enum's wire value (YES, NO, MAYBE), or None."""
    return None if enum is None else str(getattr(enum, "value", enum))


def _speech(output: OutputSpeech | None) -> tuple[str | None, str]:
    """The SSML (None for plain-text speech) and the plain text of an output speech."""
    if output is None:
        return None, ""
    if isinstance(output, SsmlOutputSpeech) and output.ssml is not None:
        return output.ssml, to_plain_text(output.ssml)
    return None, getattr(output, "text", None) or ""


def _card(card: SdkCard | None) -> Card | None:
    """A Simple or Standard card's title and text (another kind of card: empty)."""
    if card is None:
        return None
    if isinstance(card, SimpleCard):
        return Card(card.title or "", card.content or "")
    if isinstance(card, StandardCard):
        return Card(card.title or "", card.text or "")
    return Card("", "")


def _as_json(envelope: RequestEnvelope | ResponseEnvelope) -> dict[str, Any]:
    """An envelope as the JSON object Alexa sends or receives."""
    data = _serializer.serialize(envelope)
    if not isinstance(data, dict):  # the SDK's serializer turns any model object into a dict
        raise TypeError(f"{type(envelope).__name__} did not serialize to a JSON object")
    return data
