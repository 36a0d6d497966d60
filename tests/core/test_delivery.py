"""Spoken-delivery rules: what a listener can follow when an answer is heard once, not read."""

from __future__ import annotations

import re

import pytest

from skill.core.content import (
    SENTENCE_MAX_WORDS,
    SHORT_WITH_OFFER_MAX_WORDS,
    Answer,
    load_content,
)
from skill.core.text import word_count

CONTENT = load_content()
ANSWERS = [(f"{t.id} {part}", a) for t in CONTENT.topics.values()
           for part, a in (("short", t.short), ("more", t.more))]
IDS = [name for name, _ in ANSWERS]

# A technical word needs a plain gloss in the same answer: the word, and what the gloss must say.
GLOSSES = {
    "myoclonus": r"\b(jerks?|jolts?)\b",
    "fasciculation": r"\btwitch",
    "traumatologist": r"\binjur",
    "neurologist": r"\bnerves?\b",
    "hypnic": r"\b(fall(ing)? asleep|drift)",
    "physiologic": r"\b(everyday|harmless|anyone)\b",
    "pathologic": r"\b(disabling|severe|serious|extreme)\b",
}
# Words that point outside the answer: a listener who asked one question has no "others".
POINTERS = re.compile(r"\b(like the others|as (mentioned|I said|above)|the above|the same reasons|"
                      r"those (causes|reasons)|the previous|earlier on)\b", re.IGNORECASE)
OPENING_PRONOUN = re.compile(r"^(it|this|that|they|these|those|he|she)\b", re.IGNORECASE)


@pytest.mark.parametrize(("name", "answer"), ANSWERS, ids=IDS)
def test_no_sentence_is_too_long_to_follow(name: str, answer: Answer) -> None:
    for sentence in answer.sentences:
        assert word_count(sentence.text) <= SENTENCE_MAX_WORDS, sentence.text


@pytest.mark.parametrize("topic_id", list(CONTENT.topics))
def test_a_short_answer_and_its_offer_fit_one_turn(topic_id: str) -> None:
    topic = CONTENT.topics[topic_id]
    assert word_count(topic.short.text) + word_count(topic.offer.question) <= SHORT_WITH_OFFER_MAX_WORDS


@pytest.mark.parametrize(("name", "answer"), ANSWERS, ids=IDS)
def test_technical_words_are_glossed_in_the_same_answer(name: str, answer: Answer) -> None:
    text = answer.text.lower()
    for word, gloss in GLOSSES.items():
        if word in text:
            assert re.search(gloss, text), f"{name}: '{word}' without a plain gloss"


@pytest.mark.parametrize(("name", "answer"), ANSWERS, ids=IDS)
def test_nothing_points_outside_the_answer(name: str, answer: Answer) -> None:
    assert not POINTERS.search(answer.text), answer.text
    assert not OPENING_PRONOUN.search(answer.text), answer.text


LIST_MAX_ITEMS = 4  # a spoken list longer than this is lost before it ends


@pytest.mark.parametrize(("name", "answer"), ANSWERS, ids=IDS)
def test_no_sentence_strings_a_long_list(name: str, answer: Answer) -> None:
    for sentence in answer.sentences:
        assert sentence.text.count(",") < LIST_MAX_ITEMS, sentence.text


def test_more_answers_of_neighbouring_causes_differ() -> None:
    """Caffeine, dehydration and nicotine "more" answers say different things, not one template."""
    texts = {t: set(re.findall(r"[a-z']+", CONTENT.topics[t].more.text.lower()))
             for t in ("caffeine", "dehydration", "nicotine")}
    for a in texts:
        for b in texts:
            if a < b:
                overlap = len(texts[a] & texts[b]) / len(texts[a] | texts[b])
                assert overlap < 0.5, (a, b, overlap)
