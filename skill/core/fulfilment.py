"""Name-free questions: whether the skill can answer a CanFulfillIntentRequest, and each slot.

Alexa asks before routing "Alexa, why does my leg twitch at night?" to a skill that was not
named. The answer is YES only for what gets a topic answer: TopicIntent naming a known topic
(or none: the overview), and the slotless intents a topic claims (WhenToWorryIntent,
RemedyIntent). Everything else is NO: red flags (the skill can only say it cannot assess them
and to see a doctor, which does not fulfil a question about a disease, so it must not draw
them in), near misses, built-ins and anything a session would need (yes, tell me more, repeat).
A topic slot whose words are also a red-flag concern ("multiple sclerosis") is NO as well.
"""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_request_type
from ask_sdk_model import Intent, Response, Slot
from ask_sdk_model.canfulfill import (
    CanFulfillIntent,
    CanFulfillIntentValues,
    CanFulfillSlot,
    CanFulfillSlotValues,
    CanUnderstandSlotValues,
)

from skill.core.handlers import RED_FLAG_INTENT, TOPIC_INTENT, TOPIC_SLOT, TOPIC_TYPE, Guide

YES, NO = CanFulfillIntentValues.YES, CanFulfillIntentValues.NO
CONCERN_TYPE = "CONCERN"


def _slot_type(guide: Guide, intent_name: str, slot_name: str) -> str | None:
    declared = guide.model.intents.get(intent_name)
    return declared.slots.get(slot_name) if declared else None


def _understood(guide: Guide, intent_name: str, slot: Slot) -> bool:
    """Whether the slot's words are a value of its type (Alexa's resolution, else the model's)."""
    slot_type = _slot_type(guide, intent_name, slot.name or "")
    return slot_type is not None and guide.resolved(slot, slot_type) is not None


def _is_concern(guide: Guide, slot: Slot) -> bool:
    """Whether the words heard are also a red-flag concern ("multiple sclerosis", "the ER")."""
    return guide.model.resolve(CONCERN_TYPE, slot.value or "") is not None


def _answers(guide: Guide, intent: Intent, filled: dict[str, Slot]) -> bool:
    """Whether the intent, with these slots, gets a topic answer from the skill."""
    name = intent.name or ""
    if name == RED_FLAG_INTENT:
        return False
    if name == TOPIC_INTENT:
        slot = filled.get(TOPIC_SLOT)
        if slot is None:  # no topic named: the overview
            return True
        value = guide.resolved(slot, TOPIC_TYPE)
        return value is not None and value.id in guide.content.topics and not _is_concern(guide, slot)
    return not filled and guide.content.topic_for_intent(name) is not None


def judge(guide: Guide, intent: Intent | None) -> CanFulfillIntent:
    """The skill's answer to a CanFulfillIntentRequest for `intent`: YES or NO, with each slot
    that carries words judged (canUnderstand: a value of its type; canFulfill: answered)."""
    if intent is None:
        return CanFulfillIntent(can_fulfill=NO, slots=None)
    filled = {name: slot for name, slot in (intent.slots or {}).items()
              if slot is not None and (slot.value or "").strip()}
    fulfils = _answers(guide, intent, filled)
    slots = {
        name: CanFulfillSlot(
            can_understand=(CanUnderstandSlotValues.YES if _understood(guide, intent.name or "", slot)
                            else CanUnderstandSlotValues.NO),
            can_fulfill=CanFulfillSlotValues.YES if fulfils else CanFulfillSlotValues.NO,
        )
        for name, slot in filled.items()
    }
    return CanFulfillIntent(can_fulfill=YES if fulfils else NO, slots=slots or None)


class CanFulfillHandler(AbstractRequestHandler):
    """A CanFulfillIntentRequest: the judgement only; no speech, no session, nothing done."""

    def __init__(self, guide: Guide) -> None:
        self.guide = guide

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return get_request_type(handler_input) == "CanFulfillIntentRequest"

    def handle(self, handler_input: HandlerInput) -> Response:
        request = handler_input.request_envelope.request
        verdict = judge(self.guide, getattr(request, "intent", None))
        return handler_input.response_builder.set_can_fulfill_intent(verdict).response
