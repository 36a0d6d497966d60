"""Safe for a worried listener: red flags get "see a doctor" first, vulnerable groups hear a doctor
line in the short answer, supplements come with a check-first line, every card carries the
disclaimer, and the skill's own advice is marked apart from sourced facts."""

from __future__ import annotations

import re

import pytest

from skill.core.content import load_content
from skill.core.handlers import RED_FLAG
from skill.core.model import default_model
from skill.core.ssml import to_plain_text
from skill.simulator import envelope
from tests.conftest import Conversation, intent, resolved_slot

CONTENT = load_content()
MODEL = default_model()
REASSURANCE = re.compile(r"\b(usually|harmless|nothing to worry|not serious|isn't serious|most|"
                         r"common|normal|don't worry|no need)\b", re.IGNORECASE)
DOCTOR = re.compile(r"\b(doctor|neurologist|midwife|specialist|emergency)\b", re.IGNORECASE)
CHECK_FIRST = re.compile(r"\b(doctor|pharmacist)\b.*\b(before|first)\b", re.IGNORECASE)
SUPPLEMENT = re.compile(r"\b(supplement|vitamin complex|herb|herbal|valerian|motherwort|tablets?)s?\b",
                        re.IGNORECASE)


def speech(response: dict) -> str:
    return to_plain_text(response["response"]["outputSpeech"]["ssml"])


# Red flags -------------------------------------------------------------------------------------

CONCERNS = [v.name for v in MODEL.types["CONCERN"]]


@pytest.mark.parametrize("concern", CONCERNS)
def test_every_red_flag_gets_the_red_flag_answer(talk: Conversation, concern: str) -> None:
    response = talk.send(intent("RedFlagIntent", concern=concern))
    said = speech(response)
    assert said.startswith(CONTENT.say("disclaimer"))  # a one-shot question: the disclaimer first
    assert CONTENT.say("red_flag") in said
    assert response["response"]["card"]["title"] == CONTENT.say("red_flag_title")
    assert not response["response"].get("shouldEndSession")


def test_the_red_flag_answer_says_see_a_doctor_before_anything_else() -> None:
    text = CONTENT.say("red_flag")
    doctor = DOCTOR.search(" ".join(re.split(r"(?<=[.!?])\s", text)[:2]))
    assert doctor, "the doctor line comes in the first two sentences"
    assert not REASSURANCE.search(text[: doctor.start()])
    assert re.search(r"emergency services|nine one one|911", text)


def test_yes_after_a_red_flag_leads_to_when_to_see_a_doctor(talk: Conversation) -> None:
    talk.send(intent("RedFlagIntent", concern="ALS"))
    response = talk.send(intent("AMAZON.YesIntent"))
    serious = CONTENT.topic_for_intent("WhenToWorryIntent")
    assert serious is not None
    assert speech(response).startswith(serious.short.sentences[0].text)


def test_when_to_see_a_doctor_leads_with_the_action() -> None:
    serious = CONTENT.topic_for_intent("WhenToWorryIntent")
    assert serious is not None
    first = serious.short.sentences[0].text
    assert DOCTOR.search(first) and not REASSURANCE.search(first), first


def test_a_red_flag_is_not_remembered_as_a_topic(talk: Conversation) -> None:
    response = talk.send(intent("RedFlagIntent", concern="multiple sclerosis"))
    assert response["sessionAttributes"]["last_topic"] != RED_FLAG


# Doctor lines and check-first lines ------------------------------------------------------------

# Short answers for vulnerable groups, and where reassurance alone would fail a listener.
DOCTOR_IN_SHORT = ["pregnancy", "child", "stress", "toe", "above_knee", "night", "serious",
                   "caffeine", "dehydration", "nicotine", "potassium", "nervous_tic", "exercise"]


@pytest.mark.parametrize("topic_id", DOCTOR_IN_SHORT)
def test_the_short_answer_says_when_to_see_a_doctor(topic_id: str) -> None:
    assert DOCTOR.search(CONTENT.topics[topic_id].short.text)


@pytest.mark.parametrize("topic_id", list(CONTENT.topics))
@pytest.mark.parametrize("part", ["short", "more"])
def test_a_supplement_or_herb_comes_with_a_check_first_line(topic_id: str, part: str) -> None:
    answer = getattr(CONTENT.topics[topic_id], part)
    if SUPPLEMENT.search(answer.text):
        assert any(s.advice and CHECK_FIRST.search(s.text) for s in answer.sentences), answer.text


def test_children_get_the_advice_to_ask_their_doctor_and_no_newborn_promise() -> None:
    child = CONTENT.topics["child"]
    assert any(s.advice and re.search(r"child's doctor", s.text) for s in child.short.sentences)
    assert not re.search(r"six months|newborns? (grow|outgrow)", child.short.text, re.IGNORECASE)


def test_pregnancy_says_to_tell_the_doctor_or_midwife() -> None:
    pregnancy = CONTENT.topics["pregnancy"]
    assert any(s.advice and re.search(r"midwife", s.text) for s in pregnancy.short.sentences)


def test_safety_advice_is_marked_as_the_skills_own() -> None:
    """Every sentence that sends someone to a doctor or pharmacist and cites no article is advice;
    the loader refuses a fact without a source, so the split is in the data, never guessed."""
    advice = [s for t in CONTENT.topics.values() for a in (t.short, t.more) for s in a.sentences
              if s.advice]
    assert advice and all(not s.sources for s in advice)
    assert any(CHECK_FIRST.search(s.text) for s in advice)


# Disclaimer --------------------------------------------------------------------------------------

@pytest.mark.parametrize("topic_id", list(CONTENT.topics))
def test_every_topic_card_carries_the_disclaimer(talk: Conversation, topic_id: str) -> None:
    response = talk.send(intent("TopicIntent", topic=resolved_slot("topic", topic_id, topic_id)))
    assert response["response"]["card"]["content"].endswith(CONTENT.say("card_disclaimer"))


def test_a_one_shot_question_hears_the_disclaimer_and_a_later_turn_does_not(talk: Conversation) -> None:
    first = talk.send(intent("TopicIntent", topic="caffeine"))
    assert speech(first).startswith(CONTENT.say("disclaimer"))
    second = talk.send(intent("TopicIntent", topic="stress"))
    assert not speech(second).startswith(CONTENT.say("disclaimer"))
    assert "not medical advice" not in speech(second)


def test_launch_then_a_question_hears_the_disclaimer_once(talk: Conversation) -> None:
    assert "not medical advice" in speech(talk.send(envelope.launch))
    assert "not medical advice" not in speech(talk.send(intent("TopicIntent", topic="caffeine")))


@pytest.mark.parametrize("key", ["fallback", "unknown_topic", "near_miss", "goodbye"])
def test_a_worried_listener_is_told_to_see_a_doctor_even_when_not_answered(key: str) -> None:
    assert DOCTOR.search(CONTENT.say(key, heard="x", condition="leg cramps"))


# Near misses -------------------------------------------------------------------------------------

NEAR_MISSES = [v for v in MODEL.types["NEAR_MISS"]]


@pytest.mark.parametrize("value", NEAR_MISSES, ids=[v.id for v in NEAR_MISSES])
def test_a_near_miss_is_named_and_not_answered_as_twitching(talk: Conversation, value) -> None:
    response = talk.send(intent("NearMissIntent", near_miss=value.synonyms[-1] if value.synonyms
                                else value.name))
    said = speech(response)
    assert value.name in said
    assert "card" not in response["response"]
