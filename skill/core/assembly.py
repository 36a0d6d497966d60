"""The one `Skill` every door serves: content and model loaded, checked together, handlers wired."""

from __future__ import annotations

from functools import cache

from ask_sdk_core.skill import CustomSkill
from ask_sdk_core.skill_builder import SkillBuilder

from skill.core import datafiles
from skill.core.content import Content, load_content
from skill.core.fulfilment import CanFulfillHandler
from skill.core.handlers import (
    TOPIC_INTENT,
    TOPIC_TYPE,
    WHEN_TO_WORRY_INTENT,
    ErrorHandler,
    Guide,
    request_handlers,
)
from skill.core.locales import FILE as LOCALES_FILE
from skill.core.locales import Locales, load_locales
from skill.core.model import InteractionModel, load_model
from skill.core.screen import load_screen
from skill.errors import ContentError


def check_together(content: Content, model: InteractionModel) -> None:
    """The content and the model must agree on topic ids and on the intents topics claim."""
    path = datafiles.content_dir() / "topics.yaml"
    model_ids = {value.id for value in model.types.get(TOPIC_TYPE, ())}
    for topic_id in content.topics.keys() - model_ids:
        raise ContentError(path, f"topic '{topic_id}'", f"has no value in slot type {TOPIC_TYPE}",
                           "add it with synonyms to content/utterances.yaml, then `make model`")
    for topic_id in model_ids - content.topics.keys():
        raise ContentError(path, f"topic '{topic_id}'", f"is a {TOPIC_TYPE} value with no entry",
                           "add the topic to content/topics.yaml")
    for topic in content.topics.values():
        if topic.intent and topic.intent not in model.intents:
            raise ContentError(path, f"topic '{topic.id}'",
                               f"names intent '{topic.intent}', not in the model",
                               "use an intent of content/utterances.yaml")
    for intent, which in ((TOPIC_INTENT, "the overview topic"),
                          (WHEN_TO_WORRY_INTENT, "the when-to-see-a-doctor topic")):
        if content.topic_for_intent(intent) is None:
            raise ContentError(path, f"intent '{intent}'", "is claimed by no topic",
                               f"give {which} 'intent: {intent}'")


def check_sayings(content: Content, locales: Locales) -> None:
    """Every phrase a locale says instead of the content's must be one the content says: else a
    rewording would silently drop what that locale says (its emergency number)."""
    said = " ".join([*content.responses.values(), *(
        text for topic in content.topics.values()
        for text in (topic.title, topic.short.text, topic.more.text, topic.offer.question))]).lower()
    for locale in locales:
        for phrase in locale.says:
            if phrase not in said:
                raise ContentError(datafiles.content_dir() / LOCALES_FILE, f"{locale.tag} says '{phrase}'",
                                   "is a phrase the content never says",
                                   "list only phrases of topics.yaml or responses.yaml, or remove it")


def build_skill(content: Content | None = None, model: InteractionModel | None = None) -> CustomSkill:
    """A new Skill over the given (by default the shipped) content and model."""
    content = content or load_content()
    model = model or load_model()
    check_together(content, model)
    locales = load_locales()
    check_sayings(content, locales)
    guide = Guide(content, model, load_screen(), locales)
    builder = SkillBuilder()
    builder.add_request_handler(CanFulfillHandler(guide))  # name-free questions: a judgement only
    for handler in request_handlers(guide):
        builder.add_request_handler(handler)
    builder.add_exception_handler(ErrorHandler(guide))
    return builder.create()


@cache
def get_skill() -> CustomSkill:
    """The process-wide Skill, built on first use."""
    return build_skill()
