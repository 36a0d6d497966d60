"""Review mode: every topic as a reviewer reads it; the questions the skill could not answer, as CSV."""

from __future__ import annotations

import csv
import io

import pytest

from skill.console.review import (
    NO_SUCH_TOPIC,
    NOT_COVERED,
    NOT_UNDERSTOOD,
    Fallbacks,
    fallback_reason,
    follow_ups,
    topics_for_review,
)
from skill.core.content import load_content
from skill.core.handlers import TOPIC_INTENT, TOPIC_SLOT, TOPIC_TYPE
from skill.core.model import default_model
from skill.simulator.interpretation import Interpretation, SlotFill
from skill.simulator.simulator import Simulator, default_nlu
from skill.simulator.transport import LocalTransport


@pytest.fixture(scope="module")
def review() -> list:
    return topics_for_review(load_content(), default_model(), default_nlu())


def test_every_topic_is_listed_with_its_answers_sources_and_offer(review):
    content = load_content()
    assert [t["id"] for t in review] == list(content.topics)
    for listed in review:
        topic = content.topics[listed["id"]]
        assert listed["short"]["text"] == topic.short.text
        assert listed["more"]["text"] == topic.more.text
        assert listed["offer"] == {"topic": topic.offer.topic, "question": topic.offer.question}
        cited = {f'{content.articles[s.article].title}, section "{s.section}"' for s in topic.sources}
        assert set(listed["short"]["sources"]) | set(listed["more"]["sources"]) == cited
        advice = [s["text"] for s in listed["short"]["sentences"] + listed["more"]["sentences"]
                  if s["advice"]]
        assert advice == [s.text for s in (*topic.short.sentences, *topic.more.sentences) if s.advice]


def test_the_follow_up_chain_is_what_yes_gives_until_a_topic_comes_round(review, skill):
    content = load_content()
    night = next(t for t in review if t["id"] == "night")
    assert [t["id"] for t in night["chain"]] == [t.id for t in follow_ups(content, content.topics["night"])]
    simulator = Simulator(LocalTransport(skill))
    assert simulator.say("why do my legs twitch at night").topic == "night"
    for step in night["chain"]:
        assert simulator.say("yes").topic == step["id"]
    ids = ["night", *(t["id"] for t in night["chain"])]
    assert len(set(ids)) == len(ids)
    assert content.topics[ids[-1]].offer.topic in ids  # the next "yes" comes round again


def test_each_topics_sample_questions_reach_it_through_the_skill(review, skill):
    simulator = Simulator(LocalTransport(skill))
    for topic in review:
        assert 1 <= len(topic["samples"]) <= 3, topic["id"]
        for question in topic["samples"]:
            simulator.reset()
            assert simulator.say(question).topic == topic["id"], question


@pytest.mark.parametrize(("said", "reason"), [
    ("what is the weather like in paris", NOT_UNDERSTOOD),
    ("what stops a calf cramp", NOT_COVERED),
    ("why do my legs twitch at night", None),
    ("could my leg twitching be a sign of ALS", None),
    ("stop", None),
])
def test_a_question_falls_back_when_the_skill_cannot_answer_it(skill, said, reason):
    turn = Simulator(LocalTransport(skill)).say(said)
    assert fallback_reason(turn) == reason, (turn.intent, turn.topic)


def test_a_topic_slot_naming_no_topic_falls_back(skill):
    # As Alexa sends it when the words heard in the slot match no value (ER_SUCCESS_NO_MATCH).
    elbows = Interpretation(TOPIC_INTENT, (SlotFill(TOPIC_SLOT, TOPIC_TYPE, "elbows"),))
    turn = Simulator(LocalTransport(skill)).send_intent(elbows, "what about elbows")
    assert "elbows" in turn.speech
    assert fallback_reason(turn) == NO_SUCH_TOPIC


def test_the_fallback_list_keeps_the_newest_and_reads_as_csv_without_formulas(skill):
    simulator = Simulator(LocalTransport(skill))
    fallbacks = Fallbacks(limit=2)
    for said in ("what is the weather like in paris", "why do my legs twitch at night",
                 "=cmd what is this", "what stops a calf cramp"):
        simulator.reset()
        fallbacks.note(simulator.say(said))
    assert [f.heard for f in fallbacks.entries()] == ["=cmd what is this", "what stops a calf cramp"]
    rows = list(csv.reader(io.StringIO(fallbacks.csv())))
    assert rows[0] == ["time", "heard", "intent", "reason", "answer"]
    assert [r[1:4] for r in rows[1:]] == [["'=cmd what is this", "AMAZON.FallbackIntent", NOT_UNDERSTOOD],
                                          ["what stops a calf cramp", "NearMissIntent", NOT_COVERED]]
    assert rows[2][4].startswith("I don't cover leg cramps")
