"""Every fact the skill says comes from the section of the article it cites, in the skill's own words.

These tests read the two source articles (tests/support/articles.py); without them they skip with
one line saying how to enable them.
"""

from __future__ import annotations

import pytest

from skill.core.content import Content, Sentence, load_content
from tests.support.articles import Article, articles, content_stems, words

CONTENT = load_content()
FACTS = [(f"{t.id} {part} {n}", s) for t in CONTENT.topics.values()
         for part, answer in (("short", t.short), ("more", t.more))
         for n, s in enumerate(answer.sentences, 1) if not s.advice]
CLAIM_SHARE = 0.5  # at least half the content words of a fact stand in the section it cites
COPY_RUN = 6  # no run of this many words is copied from an article


@pytest.fixture(scope="module")
def sources() -> dict[str, Article]:
    return articles(CONTENT)


@pytest.mark.parametrize(("where", "sentence"), FACTS, ids=[w for w, _ in FACTS])
def test_each_fact_cites_a_section_that_holds_it(sources: dict[str, Article], where: str,
                                                 sentence: Sentence) -> None:
    said = content_stems(sentence.text)
    for source in sentence.sources:
        article = sources[source.article]
        assert source.section in article.sections, f"no section {source.section!r} in {source.article}"
    held = set().union(*(content_stems(sources[s.article].sections[s.section]) for s in sentence.sources))
    share = len(said & held) / max(len(said), 1)
    assert share >= CLAIM_SHARE, f"{where}: only {share:.0%} of {sorted(said)} in the cited sections"


def _spoken(content: Content) -> list[str]:
    said = [a.text for t in content.topics.values() for a in (t.short, t.more)]
    said += [t.offer.question for t in content.topics.values()]
    return said + list(content.responses.values())


def test_no_run_of_six_words_is_copied_from_the_articles(sources: dict[str, Article]) -> None:
    article_runs = set()
    for article in sources.values():
        tokens = words(article.text)
        article_runs |= {tuple(tokens[i : i + COPY_RUN]) for i in range(len(tokens) - COPY_RUN + 1)}
    for text in _spoken(CONTENT):
        tokens = words(text)
        copied = [" ".join(tokens[i : i + COPY_RUN]) for i in range(len(tokens) - COPY_RUN + 1)
                  if tuple(tokens[i : i + COPY_RUN]) in article_runs]
        assert not copied, f"copied from an article: {copied[0]!r}"


def test_the_copy_check_finds_a_copied_sentence(sources: dict[str, Article]) -> None:
    """The check above can fail: a sentence lifted from an article is caught."""
    lifted = " ".join(words(sources["002"].text)[20:30])
    tokens = words(f"As they say, {lifted}.")
    runs = {tuple(words(sources["002"].text)[i : i + COPY_RUN]) for i in range(200)}
    assert any(tuple(tokens[i : i + COPY_RUN]) in runs for i in range(len(tokens) - COPY_RUN + 1))


# The article gives these explanations as theories; the skill says them as such.
UNCERTAIN = ["night", "stress", "falling_asleep", "child"]


@pytest.mark.parametrize("topic_id", UNCERTAIN)
def test_uncertain_explanations_are_said_as_theories(topic_id: str) -> None:
    topic = CONTENT.topics[topic_id]
    text = f"{topic.short.text} {topic.more.text}".lower()
    assert any(hedge in text for hedge in ("one explanation", "one idea", "some think", "may be",
                                           "might be", "one theory", "no one knows"))
