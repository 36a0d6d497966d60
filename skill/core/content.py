"""The skill's content: topics and fixed responses, parsed once from YAML and validated at load."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

from skill.core import compiled, datafiles
from skill.core.text import word_count
from skill.errors import ContentError

_TOPIC_ID = re.compile(r"^[a-z][a-z0-9_]*$")
# A template's braces: a doubled brace (literal), a {field}, or a lone brace (an error); a field's
# name ends where a conversion (!r) or a format spec (:>8) begins, as str.format reads it.
_BRACE = re.compile(r"\{\{|\}\}|\{(?P<field>[^{}]*)\}|[{}]")
_FIELD_END = re.compile(r"[!:]")
# Control characters (C0 but tab and line breaks, DEL, C1), noncharacters and lone surrogates:
# never spoken, and some not even allowed in the SSML the text goes into.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
SHORT_MAX_WORDS = 50
MORE_MAX_WORDS = 130
SENTENCE_MAX_WORDS = 25  # a listener loses a longer spoken sentence
SHORT_WITH_OFFER_MAX_WORDS = 55  # one turn: the short answer and the question that follows it

# Fixed responses by key, with the named placeholders each may use.
RESPONSE_KEYS: dict[str, frozenset[str]] = {
    "disclaimer": frozenset(),
    "launch": frozenset({"disclaimer", "example"}),
    "launch_reprompt": frozenset({"example"}),
    "help": frozenset({"disclaimer", "example", "other_example"}),
    "help_reprompt": frozenset({"example"}),
    "fallback": frozenset({"example", "other_example"}),
    "fallback_reprompt": frozenset({"example"}),
    "unknown_topic": frozenset({"heard", "example"}),
    "more_without_topic": frozenset({"example"}),
    "yes_without_offer": frozenset({"example"}),
    "nothing_to_repeat": frozenset({"example"}),
    "goodbye": frozenset(),
    "error": frozenset(),
    "error_reprompt": frozenset({"example"}),
    "card_disclaimer": frozenset(),
    "near_miss": frozenset({"condition", "example"}),
    "near_miss_reprompt": frozenset({"example"}),
    "red_flag": frozenset(),
    "red_flag_offer": frozenset(),
    "red_flag_title": frozenset(),
}


class Source(NamedTuple):
    """Where a topic's facts come from: article id (as in `articles`) and section heading."""

    article: str
    section: str


class Article(NamedTuple):
    """A source article: id, file name under shared/seeds and title."""

    id: str
    file: str
    title: str


class Offer(NamedTuple):
    """A yes/no follow-up: the related topic and the question that offers it."""

    topic: str
    question: str


class Sentence(NamedTuple):
    """One spoken sentence: a fact with the sections it comes from, or the skill's own advice.

    sources: where the fact is said in the articles; empty for advice the articles do not give
    (see a doctor if..., check before supplements), which the skill adds for safety.
    """

    text: str
    sources: tuple[Source, ...]

    @property
    def advice(self) -> bool:
        return not self.sources


class Answer(NamedTuple):
    """A spoken answer: its sentences, in order."""

    sentences: tuple[Sentence, ...]

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.sentences)

    @property
    def sources(self) -> tuple[Source, ...]:
        """Every section the answer's facts come from, once each, in order."""
        return tuple(dict.fromkeys(src for s in self.sentences for src in s.sources))


class Topic(NamedTuple):
    """One answerable topic: short spoken answer, longer answer, follow-up offer.

    intent: a slotless intent of the interaction model that asks for this topic, if any.
    """

    id: str
    title: str
    short: Answer
    more: Answer
    offer: Offer
    intent: str | None = None

    @property
    def sources(self) -> tuple[Source, ...]:
        return tuple(dict.fromkeys((*self.short.sources, *self.more.sources)))


class Content(NamedTuple):
    """Everything the skill says: topics by id, fixed responses by key, examples, articles."""

    topics: Mapping[str, Topic]
    responses: Mapping[str, str]
    examples: tuple[str, ...]
    articles: Mapping[str, Article]

    def say(self, key: str, **values: str) -> str:
        """The fixed response `key` with its placeholders filled in (disclaimer and example given)."""
        defaults = {
            "disclaimer": self.responses["disclaimer"],
            "example": self.examples[0],
            "other_example": self.examples[1],
        }
        return self.responses[key].format_map(defaults | values)

    def topic_for_intent(self, intent: str) -> Topic | None:
        """The topic a slotless intent asks for, or None."""
        return next((t for t in self.topics.values() if t.intent == intent), None)

    def source_line(self, answer: Answer) -> str:
        """A citation for cards: each article title with the sections the answer's facts use."""
        cited = "; ".join(
            f"{self.articles[s.article].title}, section \"{s.section}\"" for s in answer.sources
        )
        return f"Source: {cited}."


class _Reader:
    """Reads one YAML file's items, raising ContentError that names the file, item and fix.
    `checked` says the data came from compiled.json, checked in full when it was compiled, so
    the costliest checks (control characters, spoken lengths) are not repeated at start-up."""

    def __init__(self, path: Path, use_compiled: bool = True) -> None:
        self.path = path
        raw = datafiles.read_bytes(path, ContentError,
                                   "restore it from the repository, install the package editable "
                                   "(pip install -e .), or set LEGTWITCH_CONTENT_DIR")
        try:
            self.data, self.checked = compiled.load(path, raw, use_compiled)
        except UnicodeDecodeError as exc:
            raise ContentError(path, f"byte {exc.start}", "is not UTF-8 text",
                               "save the file as UTF-8") from exc
        except compiled.YamlSyntaxError as exc:
            raise ContentError(path, "file", f"is not valid YAML ({exc})",
                               "correct the YAML syntax at the line shown") from exc
        if not isinstance(self.data, dict):
            raise ContentError(path, "file", "is not a mapping", "make the top level a mapping")

    def fail(self, item: str, problem: str, fix: str) -> ContentError:
        return ContentError(self.path, item, problem, fix)

    def text(self, entry: Mapping[str, Any], key: str, item: str) -> str:
        value = entry.get(key)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(item, f"'{key}' is missing or empty", f"give '{key}' a text")
        self.plain(value, item, f"'{key}' ")
        return " ".join(value.split())

    def plain(self, text: str, item: str, what: str = "") -> None:
        """Refuse text with a control character (but tab and line breaks, which are spacing)."""
        bad = None if self.checked else _CONTROL.search(text)
        if bad:
            raise self.fail(item, f"{what}contains control character U+{ord(bad.group()):04X}",
                            "remove it: write the words only")

    def mapping(self, entry: Any, item: str, allowed: set[str]) -> Mapping[str, Any]:
        if not isinstance(entry, dict):
            raise self.fail(item, "is not a mapping", "write it as 'key: value' lines")
        unknown = set(entry) - allowed
        if unknown:
            raise self.fail(item, f"unknown key(s) {sorted(unknown)}",
                            f"use only {sorted(allowed)}")
        return entry


def _parse_source(reader: _Reader, raw: Any, item: str, articles: Mapping[str, Article]) -> Source:
    source = reader.mapping(raw, f"{item} source", {"article", "section"})
    article = str(source.get("article", ""))
    if article not in articles:
        raise reader.fail(item, f"source article '{article}' is not listed under articles",
                          f"use one of {sorted(articles)}")
    return Source(article, reader.text(source, "section", f"{item} source"))


def _parse_sentence(reader: _Reader, raw: Any, item: str, articles: Mapping[str, Article]) -> Sentence:
    entry = reader.mapping(raw, item, {"fact", "source", "sources", "advice"})
    if ("fact" in entry) == ("advice" in entry):
        raise reader.fail(item, "is neither one fact nor one piece of advice",
                          "write '- fact: ...' with its source, or '- advice: ...' for the skill's own")
    if "advice" in entry:
        if "source" in entry or "sources" in entry:
            raise reader.fail(item, "is advice with a source",
                              "advice is the skill's own: write it as a fact if an article says it")
        text = reader.text(entry, "advice", item)
        sources: tuple[Source, ...] = ()
    else:
        text = reader.text(entry, "fact", item)
        raw_sources = entry.get("sources", [entry["source"]] if "source" in entry else [])
        if not isinstance(raw_sources, list) or not raw_sources:
            raise reader.fail(item, "is a fact with no source",
                              "give 'source: {article: ..., section: ...}' where the article says it")
        sources = tuple(_parse_source(reader, r, item, articles) for r in raw_sources)
    if not reader.checked and (spoken := word_count(text)) > SENTENCE_MAX_WORDS:
        raise reader.fail(item, f"has a sentence of {spoken} words, over {SENTENCE_MAX_WORDS}",
                          "split it: a listener loses a long spoken sentence")
    return Sentence(text, sources)


def _parse_answer(reader: _Reader, entry: Mapping[str, Any], key: str, item: str, limit: int,
                  articles: Mapping[str, Article]) -> Answer:
    raw = entry.get(key)
    if not isinstance(raw, list) or not raw:
        raise reader.fail(item, f"'{key}' is missing or not a list of sentences",
                          f"write '{key}:' as a list of '- fact: ...' and '- advice: ...'")
    answer = Answer(tuple(_parse_sentence(reader, s, f"{item} {key} sentence {n}", articles)
                          for n, s in enumerate(raw, 1)))
    if not reader.checked and (spoken := word_count(answer.text)) > limit:
        raise reader.fail(item, f"'{key}' has {spoken} words, over {limit}",
                          f"shorten '{key}' to {limit} words or fewer")
    return answer


def _parse_topic(reader: _Reader, entry: Any, articles: Mapping[str, Article]) -> Topic:
    raw = entry.get("id") if isinstance(entry, dict) else None
    item = f"topic '{raw}'" if raw else "a topic without an id"
    entry = reader.mapping(entry, item, {"id", "title", "short", "more", "offer", "intent"})
    topic_id = reader.text(entry, "id", item)
    if not _TOPIC_ID.match(topic_id):
        raise reader.fail(item, "is not a topic id", "use lowercase letters, digits and _, e.g. night")
    short = _parse_answer(reader, entry, "short", item, SHORT_MAX_WORDS, articles)
    more = _parse_answer(reader, entry, "more", item, MORE_MAX_WORDS, articles)
    offer = reader.mapping(entry.get("offer"), f"{item} offer", {"topic", "question"})
    question = reader.text(offer, "question", f"{item} offer")
    if not question.endswith("?"):
        raise reader.fail(item, "the offer question does not end with '?'",
                          "write the offer as a yes/no question")
    if not reader.checked and (
        spoken := word_count(short.text) + word_count(question)
    ) > SHORT_WITH_OFFER_MAX_WORDS:
        raise reader.fail(item, f"the short answer and its offer have {spoken} words, over "
                          f"{SHORT_WITH_OFFER_MAX_WORDS}", "shorten the short answer or the offer")
    intent = entry.get("intent")
    if intent is not None and not isinstance(intent, str):
        raise reader.fail(item, "'intent' is not a name", "give an intent name or remove it")
    return Topic(topic_id, reader.text(entry, "title", item), short, more,
                 Offer(reader.text(offer, "topic", f"{item} offer"), question), intent)


def _check_topics(reader: _Reader, topics: dict[str, Topic]) -> None:
    for topic in topics.values():
        if topic.offer.topic not in topics or topic.offer.topic == topic.id:
            raise reader.fail(f"topic '{topic.id}'",
                              f"offers topic '{topic.offer.topic}', which does not exist or is itself",
                              "name another existing topic id under offer.topic")
    intents = [t.intent for t in topics.values() if t.intent]
    for intent in set(intents):
        if intents.count(intent) > 1:
            raise reader.fail(f"intent '{intent}'", "is claimed by more than one topic",
                              "give each slotless intent to one topic")


def load_topics(path: Path, use_compiled: bool = True) -> tuple[dict[str, Topic], dict[str, Article]]:
    """Parse and validate topics.yaml: articles first, then every topic."""
    reader = _Reader(path, use_compiled)
    reader.mapping(reader.data, "file", {"articles", "topics"})
    articles: dict[str, Article] = {}
    for article_id, entry in (reader.data.get("articles") or {}).items():
        item = f"article '{article_id}'"
        entry = reader.mapping(entry, item, {"file", "title"})
        articles[str(article_id)] = Article(str(article_id), reader.text(entry, "file", item),
                                            reader.text(entry, "title", item))
    if not articles:
        raise reader.fail("articles", "are missing", "list the source articles under 'articles'")
    entries = reader.data.get("topics")
    if not isinstance(entries, list):
        raise reader.fail("topics", "is not a list", "write 'topics:' as a list of entries")
    topics: dict[str, Topic] = {}
    for entry in entries:
        topic = _parse_topic(reader, entry, articles)
        if topic.id in topics:
            raise reader.fail(f"topic '{topic.id}'", "is defined twice", "keep one entry per id")
        topics[topic.id] = topic
    _check_topics(reader, topics)
    return topics, articles


def load_responses(path: Path, use_compiled: bool = True) -> tuple[dict[str, str], tuple[str, ...]]:
    """Parse and validate responses.yaml: every key present, only its own placeholders, each
    plain `{name}` (no format spec or conversion), each response formatted once with sample values."""
    reader = _Reader(path, use_compiled)
    reader.mapping(reader.data, "file", set(RESPONSE_KEYS) | {"examples"})
    responses = {}
    for key, allowed in RESPONSE_KEYS.items():
        item = f"response '{key}'"
        text = reader.text(reader.data, key, item)
        fix = f"write placeholders as {{name}}, using only {sorted(allowed) or 'none'}; double " \
              "a brace meant literally ({{ or }})"
        fields = []  # (name, conversion and format spec) of each {field}
        for brace in _BRACE.finditer(text):
            if brace.group("field") is not None:
                name = _FIELD_END.split(brace.group("field"), maxsplit=1)[0]
                fields.append((name, brace.group("field")[len(name):]))
            elif brace.group() in "{}":  # a lone { or }
                raise reader.fail(item, f"is not a valid template (a single '{brace.group()}' "
                                  f"at character {brace.start() + 1})", fix)
        used = {name for name, _ in fields}
        if used - allowed:
            raise reader.fail(item, f"uses unknown placeholder(s) {sorted(used - allowed)}",
                              f"use only {sorted(allowed) or 'no placeholders'}")
        for name, formatting in fields:
            if formatting:
                raise reader.fail(item, f"formats {{{name}}} with '{formatting}'", fix)
        try:
            text.format_map(dict.fromkeys(allowed, "sample words"))
        except (ValueError, KeyError, IndexError, AttributeError) as exc:
            raise reader.fail(item, f"cannot be filled in ({exc})", fix) from exc
        responses[key] = text
    examples = reader.data.get("examples")
    if not isinstance(examples, list) or len(examples) < 2 or not all(
        isinstance(e, str) and e.strip() for e in examples
    ):
        raise reader.fail("examples", "needs at least two example questions",
                          "list two or more questions under 'examples'")
    for number, example in enumerate(examples, 1):
        reader.plain(example, f"examples question {number}")
    return responses, tuple(" ".join(e.split()) for e in examples)


def load_content(directory: Path | None = None, use_compiled: bool = True) -> Content:
    """Load and validate topics.yaml and responses.yaml (default: the shipped content/); with
    `use_compiled` False, parsed and checked in full from the YAML whatever compiled.json holds."""
    directory = directory or datafiles.content_dir()
    topics, articles = load_topics(directory / "topics.yaml", use_compiled)
    responses, examples = load_responses(directory / "responses.yaml", use_compiled)
    return Content(topics, responses, examples, articles)
