"""ASK request handlers: each reads the request, looks the answer up in the content, replies.

Every handler builds a `Reply`; `respond()` turns it into the response envelope and the session
attributes, so speech, reprompt, card and memory are produced one way for every turn.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ask_sdk_core.dispatch_components import AbstractExceptionHandler, AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_intent_name, get_request_type, get_slot, is_intent_name
from ask_sdk_model import IntentRequest, Response, Slot
from ask_sdk_model.slu.entityresolution import StatusCode
from ask_sdk_model.ui import SimpleCard

from skill.core.content import Content, Topic
from skill.core.locales import Locales
from skill.core.memory import Memory
from skill.core.model import InteractionModel, SlotValue
from skill.core.reply import Card, Reply
from skill.core.screen import Screen, has_screen
from skill.core.ssml import echo, ssml

if TYPE_CHECKING:
    import logging


def _log() -> logging.Logger:
    """The handlers' logger. `logging` is imported when a first line is logged, not at a cold
    start (an answered question logs nothing)."""
    import logging

    return logging.getLogger(__name__)


TOPIC_INTENT = "TopicIntent"
TOPIC_SLOT = "topic"
TOPIC_TYPE = "TOPIC"
RED_FLAG_INTENT = "RedFlagIntent"
WHEN_TO_WORRY_INTENT = "WhenToWorryIntent"
NEAR_MISS_INTENT = "NearMissIntent"
NEAR_MISS_SLOT = "near_miss"
NEAR_MISS_TYPE = "NEAR_MISS"
#: What a red-flag reply is called where a topic id would be (Reply.topic, the simulator's Turn).
RED_FLAG = "red_flag"


class Guide:
    """What the skill knows: the content and the model, and the replies built from them."""

    def __init__(self, content: Content, model: InteractionModel, screen: Screen,
                 locales: Locales) -> None:
        self.content = content
        self.model = model
        self.screen = screen
        self.locales = locales

    def respond(self, handler_input: HandlerInput, reply: Reply, memory: Memory) -> Response:
        """The response envelope for `reply`, in the request's locale."""
        request = handler_input.request_envelope.request
        locale = self.locales.get(request.locale if request is not None else None)
        return respond(handler_input, reply.spelled(locale.spell), memory, self.screen)

    def memory(self, handler_input: HandlerInput) -> Memory:
        """What the session remembers; nothing for a request sent outside a session."""
        session = handler_input.request_envelope.session
        attributes = session.attributes if session is not None else None
        return Memory.from_attributes(attributes, self.content.topics.keys())

    def say(self, key: str, reprompt_key: str | None = None, **values: str) -> Reply:
        """A fixed response (and its reprompt) from content/responses.yaml."""
        reprompt = ssml(self.content.say(reprompt_key)) if reprompt_key else None
        return Reply(ssml(self.content.say(key, **values)), reprompt)

    def card(self, title: str, text: str, source: str = "") -> Card:
        """A card for the Alexa app (and a screen): the text, its source, the disclaimer."""
        return Card(title, text, source, self.content.say("card_disclaimer"))

    def opening(self, handler_input: HandlerInput) -> str:
        """The disclaimer when this request opens the session with a question ("Alexa, ask leg
        twitch guide why..."): one-shot listeners never hear the welcome that carries it."""
        session = handler_input.request_envelope.session
        return self.content.say("disclaimer") if session is None or session.new else ""

    def answer(self, topic: Topic, *, more: bool = False, opening: str = "") -> Reply:
        """A topic's short (or longer) answer, with its follow-up offer as the question."""
        answer = topic.more if more else topic.short
        text = answer.text
        card = self.card(topic.title, text, self.content.source_line(answer))
        question = topic.offer.question
        return Reply(ssml(opening, text, question), ssml(question), card, topic.id, topic.offer.topic)

    def red_flag(self, opening: str = "") -> Reply:
        """What the skill cannot assess (a disease, weakness, an emergency): see a doctor, first."""
        text, question = self.content.say("red_flag"), self.content.say("red_flag_offer")
        card = self.card(self.content.say("red_flag_title"), text)
        when = self.content.topic_for_intent(WHEN_TO_WORRY_INTENT)
        return Reply(ssml(opening, text, question), ssml(question), card, RED_FLAG,
                     when.id if when else None)

    def resolved(self, slot: Slot, slot_type: str) -> SlotValue | None:
        """The value of `slot_type` the slot names: Alexa's entity resolution first; a request
        without one (hand-made, or no authority matched) is resolved from the model's words. A
        null authority or value (which no checked door lets through) is skipped, as is a match
        with no value left."""
        authorities = slot.resolutions.resolutions_per_authority if slot.resolutions else None
        for authority in authorities or []:
            if authority and authority.status and authority.status.code == StatusCode.ER_SUCCESS_MATCH:
                first = next((w.value for w in authority.values or [] if w is not None and w.value), None)
                if first is None:
                    continue
                return next((v for v in self.model.types.get(slot_type, ()) if v.id == first.id), None)
        return self.model.resolve(slot_type, slot.value or "")

    def slot_topic(self, handler_input: HandlerInput) -> tuple[Topic | None, str | None]:
        """The topic the `topic` slot names, and what was heard."""
        slot = get_slot(handler_input, TOPIC_SLOT)
        if slot is None or not (slot.value or "").strip():
            return None, None
        value = self.resolved(slot, TOPIC_TYPE)
        return self.content.topics.get(value.id if value else ""), slot.value


def respond(handler_input: HandlerInput, reply: Reply, memory: Memory, screen: Screen) -> Response:
    """Build the response envelope for `reply` (shown on `screen` where the device has one) and
    remember what was said."""
    remembered = Memory(
        last_topic=reply.topic if reply.topic and reply.topic != RED_FLAG else memory.last_topic,
        offer=reply.offer,
        last_speech=reply.speech,
        last_reprompt=reply.reprompt,
    )
    if handler_input.request_envelope.session is not None:
        handler_input.attributes_manager.session_attributes = remembered.to_attributes()
    builder = handler_input.response_builder.speak(reply.speech)
    if reply.reprompt:
        builder.ask(reply.reprompt)
    else:
        builder.set_should_end_session(True)
    if reply.card:
        builder.set_card(SimpleCard(reply.card.title, reply.card.text))
        if has_screen(handler_input):
            builder.add_directive(screen.directive(reply.card))
    return builder.response


class _Handler(AbstractRequestHandler):
    """A request handler that knows the guide."""

    def __init__(self, guide: Guide) -> None:
        self.guide = guide

    def reply(self, handler_input: HandlerInput, memory: Memory) -> Reply:
        raise NotImplementedError

    def handle(self, handler_input: HandlerInput) -> Response:
        memory = self.guide.memory(handler_input)
        return self.guide.respond(handler_input, self.reply(handler_input, memory), memory)


class _IntentHandler(_Handler):
    """Handles the intents named in `intents`."""

    intents: tuple[str, ...] = ()

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return any(is_intent_name(name)(handler_input) for name in self.intents)


class LaunchHandler(_Handler):
    """"Alexa, open leg twitch guide" (and "go home"): welcome, disclaimer, an example."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return get_request_type(handler_input) == "LaunchRequest" or is_intent_name(
            "AMAZON.NavigateHomeIntent"
        )(handler_input)

    def reply(self, handler_input: HandlerInput, memory: Memory) -> Reply:
        return self.guide.say("launch", "launch_reprompt")


class TopicHandler(_Handler):
    """A question about a topic: by the `topic` slot, or the topic a slotless intent asks for."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        if get_request_type(handler_input) != "IntentRequest":
            return False
        name = str(get_intent_name(handler_input))
        return name == TOPIC_INTENT or self.guide.content.topic_for_intent(name) is not None

    def reply(self, handler_input: HandlerInput, memory: Memory) -> Reply:
        topic, heard = self.guide.slot_topic(handler_input)
        if topic is None and heard:
            return self.guide.say("unknown_topic", "fallback_reprompt", heard=echo(heard))
        topic = topic or self.guide.content.topic_for_intent(str(get_intent_name(handler_input)))
        if topic is None:  # start-up checks that a topic claims TopicIntent; never trust it blindly
            return self.guide.say("fallback", "fallback_reprompt")
        return self.guide.answer(topic, opening=self.guide.opening(handler_input))


class NearMissHandler(_IntentHandler):
    """Something close to twitching the articles do not cover (leg cramps, restless legs, a
    tremor...): say so, name what the skill does cover."""

    intents = (NEAR_MISS_INTENT,)

    def reply(self, handler_input: HandlerInput, memory: Memory) -> Reply:
        slot = get_slot(handler_input, NEAR_MISS_SLOT)
        value = self.guide.resolved(slot, NEAR_MISS_TYPE) if slot is not None else None
        condition = value.name if value else "that"
        return self.guide.say("near_miss", "near_miss_reprompt", condition=condition)


class RedFlagHandler(_IntentHandler):
    """A disease, weakness, spreading or constant twitching, an emergency: the red-flag answer,
    whatever the slot heard (nothing the skill says may reassure before "see a doctor")."""

    intents = (RED_FLAG_INTENT,)

    def reply(self, handler_input: HandlerInput, memory: Memory) -> Reply:
        return self.guide.red_flag(opening=self.guide.opening(handler_input))


class MoreHandler(_IntentHandler):
    """"Tell me more": the longer answer of the last topic."""

    intents = ("TellMeMoreIntent",)

    def reply(self, handler_input: HandlerInput, memory: Memory) -> Reply:
        if memory.last_topic is None:
            return self.guide.say("more_without_topic", "fallback_reprompt")
        return self.guide.answer(self.guide.content.topics[memory.last_topic], more=True)


class YesHandler(_IntentHandler):
    """"Yes" to an offer: the offered topic."""

    intents = ("AMAZON.YesIntent",)

    def reply(self, handler_input: HandlerInput, memory: Memory) -> Reply:
        if memory.offer is None:
            return self.guide.say("yes_without_offer", "fallback_reprompt")
        return self.guide.answer(self.guide.content.topics[memory.offer])


class RepeatHandler(_IntentHandler):
    """"Repeat that": the last speech and reprompt again, the offer still open."""

    intents = ("AMAZON.RepeatIntent",)

    def reply(self, handler_input: HandlerInput, memory: Memory) -> Reply:
        if memory.last_speech is None:
            return self.guide.say("nothing_to_repeat", "fallback_reprompt")
        return Reply(memory.last_speech, memory.last_reprompt, offer=memory.offer)


class HelpHandler(_IntentHandler):
    """"Help": what can be asked, with the disclaimer."""

    intents = ("AMAZON.HelpIntent",)

    def reply(self, handler_input: HandlerInput, memory: Memory) -> Reply:
        return self.guide.say("help", "help_reprompt")


class GoodbyeHandler(_IntentHandler):
    """Stop, Cancel, and "no" (to an offer or to anything else): goodbye, session over."""

    intents = ("AMAZON.StopIntent", "AMAZON.CancelIntent", "AMAZON.NoIntent")

    def reply(self, handler_input: HandlerInput, memory: Memory) -> Reply:
        return self.guide.say("goodbye")


class FallbackHandler(_Handler):
    """AMAZON.FallbackIntent, and any intent no other handler knows: what the skill can do."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return isinstance(handler_input.request_envelope.request, IntentRequest)

    def reply(self, handler_input: HandlerInput, memory: Memory) -> Reply:
        name = get_intent_name(handler_input)
        if name != "AMAZON.FallbackIntent":
            _log().warning("no handler for intent %r; answering as fallback", name)
        return self.guide.say("fallback", "fallback_reprompt")


#: The requests that are a turn of the conversation; every other request gets a quiet response.
SPOKEN_REQUESTS = ("LaunchRequest", "IntentRequest", "CanFulfillIntentRequest")


class QuietHandler(AbstractRequestHandler):
    """Every request that is not a spoken turn: the session ended, an error report
    (System.ExceptionEncountered), and the device, player and task events the skill never asks
    for (Alexa.Presentation.APL.UserEvent, Display.ElementSelected, AudioPlayer.*,
    PlaybackController.*, Connections.Response, Dialog.API.Invoked, SessionResumedRequest,
    Messaging.MessageReceived...). An empty response: no speech, reprompt, card or directive, and
    no shouldEndSession, which Amazon forbids in answers to AudioPlayer and PlaybackController
    requests (a session, where there is one, stays as it was, its attributes kept)."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return get_request_type(handler_input) not in SPOKEN_REQUESTS

    def handle(self, handler_input: HandlerInput) -> Response:
        request = handler_input.request_envelope.request
        _log().info(
            "%s: answered quietly (reason=%s error=%s)",
            get_request_type(handler_input),
            getattr(request, "reason", None),
            getattr(request, "error", None),
        )
        return handler_input.response_builder.response


class ErrorHandler(AbstractExceptionHandler):
    """Anything unexpected: a short apology to the listener, the traceback to the log."""

    def __init__(self, guide: Guide) -> None:
        self.guide = guide

    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        return True

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response:
        _log().error("request failed: %s", exception, exc_info=exception)
        memory = self.guide.memory(handler_input)
        return self.guide.respond(handler_input, self.guide.say("error", "error_reprompt"), memory)


def request_handlers(guide: Guide) -> list[AbstractRequestHandler]:
    """The handlers in dispatch order: specific first, then the fallback for any other intent, and
    last the quiet answer to any request that is not a spoken turn."""
    return [
        LaunchHandler(guide),
        RedFlagHandler(guide),
        NearMissHandler(guide),
        TopicHandler(guide),
        MoreHandler(guide),
        YesHandler(guide),
        RepeatHandler(guide),
        HelpHandler(guide),
        GoodbyeHandler(guide),
        FallbackHandler(guide),
        QuietHandler(),
    ]
