"""Review mode: every topic as a reviewer reads it, and the questions the skill could not answer."""

from __future__ import annotations

import csv
import io
import threading
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from skill.core.content import Answer, Content, Topic
from skill.core.handlers import NEAR_MISS_INTENT, TOPIC_INTENT, TOPIC_TYPE
from skill.core.model import InteractionModel
from skill.simulator.simulator import Turn
from skill.simulator.understanding import Nlu

MAX_SAMPLES = 3  # sample questions shown per topic
MAX_FALLBACKS = 1000  # questions the fallback list keeps (the newest)
# Why a turn counts as one the skill could not answer, by the intent it was understood as.
NOT_UNDERSTOOD, NO_SUCH_TOPIC, NOT_COVERED = "not understood", "no such topic", "not covered"
CSV_FIELDS = ("time", "heard", "intent", "reason", "answer")


def topics_for_review(content: Content, model: InteractionModel, nlu: Nlu) -> list[dict[str, Any]]:
    """Each topic with its answers sentence by sentence (sources named, advice marked), its
    follow-up chain, and up to MAX_SAMPLES questions the local understanding sends to it."""
    return [
        {
            "id": topic.id,
            "title": topic.title,
            "short": _answer(content, topic.short),
            "more": _answer(content, topic.more),
            "offer": {"topic": topic.offer.topic, "question": topic.offer.question},
            "chain": [{"id": t.id, "title": t.title} for t in follow_ups(content, topic)],
            "samples": sample_questions(content, model, nlu, topic),
        }
        for topic in content.topics.values()
    ]


def follow_ups(content: Content, topic: Topic) -> list[Topic]:
    """The topics "yes" leads to from `topic`, one offer after another, until one comes round again."""
    chain: list[Topic] = []
    seen = {topic.id}
    nxt = content.topics.get(topic.offer.topic)
    while nxt is not None and nxt.id not in seen:
        chain.append(nxt)
        seen.add(nxt.id)
        nxt = content.topics.get(nxt.offer.topic)
    return chain


def sample_questions(content: Content, model: InteractionModel, nlu: Nlu, topic: Topic) -> list[str]:
    """Questions that reach `topic` through the local understanding: the content's examples, the
    samples of its own slotless intent, then "what about" its slot value's name and its synonyms
    of more than one word."""
    candidates: list[str] = list(content.examples)
    if topic.intent and topic.intent != TOPIC_INTENT and topic.intent in model.intents:
        candidates += model.intents[topic.intent].samples[:2]
    for value in model.types.get(TOPIC_TYPE, ()):
        if value.id == topic.id:
            phrases = [value.name, *(s for s in value.synonyms if " " in s)]
            candidates += [f"what about {phrase}" for phrase in phrases]
    found: dict[str, str] = {}
    for text in candidates:
        if len(found) == MAX_SAMPLES:
            break
        if text.lower() not in found and _reaches(nlu.parse(text), content, topic):
            found[text.lower()] = text
    return list(found.values())


def _reaches(interpretation: Any, content: Content, topic: Topic) -> bool:
    if interpretation.intent == TOPIC_INTENT:
        return any(s.resolved_id == topic.id for s in interpretation.slots)
    return content.topic_for_intent(interpretation.intent) is topic


def _answer(content: Content, answer: Answer) -> dict[str, Any]:
    return {
        "text": answer.text,
        "sentences": [
            {"text": s.text, "advice": s.advice,
             "sources": [_source(content, src.article, src.section) for src in s.sources]}
            for s in answer.sentences
        ],
        "sources": [_source(content, s.article, s.section) for s in answer.sources],
    }


def _source(content: Content, article: str, section: str) -> str:
    return f'{content.articles[article].title}, section "{section}"'


def fallback_reason(turn: Turn) -> str | None:
    """Why the skill could not answer `turn` (None when it could): the question was not
    understood, named no topic the content has, or is near leg twitching but not covered."""
    if turn.utterance is None:
        return None
    if turn.intent == "AMAZON.FallbackIntent":
        return NOT_UNDERSTOOD
    if turn.intent == TOPIC_INTENT and turn.topic is None:
        return NO_SUCH_TOPIC
    if turn.intent == NEAR_MISS_INTENT:
        return NOT_COVERED
    return None


@dataclass(frozen=True)
class Fallback:
    """A question the skill could not answer: when, what was heard, how understood, the answer."""

    time: str
    heard: str
    intent: str
    reason: str
    answer: str

    def to_json(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in CSV_FIELDS}


class Fallbacks:
    """The questions this console could not answer, the newest MAX_FALLBACKS, in order asked."""

    def __init__(self, limit: int = MAX_FALLBACKS) -> None:
        self._items: deque[Fallback] = deque(maxlen=limit)
        self._lock = threading.Lock()

    def note(self, turn: Turn) -> Fallback | None:
        """Keep `turn` if the skill could not answer it; return the entry kept."""
        reason = fallback_reason(turn)
        if reason is None:
            return None
        entry = Fallback(datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), turn.utterance or "",
                         turn.intent or "", reason, turn.speech)
        with self._lock:
            self._items.append(entry)
        return entry

    def entries(self) -> list[Fallback]:
        with self._lock:
            return list(self._items)

    def csv(self) -> str:
        """The list as CSV with a header row; a cell a spreadsheet would take for a formula
        (=, +, -, @ first) is quoted with a leading apostrophe."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(CSV_FIELDS)
        writer.writerows(_safe_row(e.to_json().values()) for e in self.entries())
        return out.getvalue()


def _safe_row(cells: Iterable[str]) -> list[str]:
    return ["'" + c if c[:1] in ("=", "+", "-", "@") else c for c in cells]
