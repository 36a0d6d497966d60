"""Content: the shipped files load; each kind of bad file fails naming file, item and fix."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from skill.core import datafiles
from skill.core.content import load_content
from skill.core.text import word_count
from skill.errors import ContentError

TOPIC_IDS = tuple(load_content().topics)  # the topics are defined by content/ alone


@pytest.fixture(scope="module")
def content():
    return load_content()


def test_shipped_content_has_the_model_topics(content):
    from skill.core.model import default_model

    assert set(content.topics) == {v.id for v in default_model().types["TOPIC"]}


@pytest.mark.parametrize("topic_id", TOPIC_IDS)
def test_answers_fit_one_breath(content, topic_id):
    topic = content.topics[topic_id]
    assert word_count(topic.short.text) <= 50
    assert word_count(topic.more.text) <= 130
    assert topic.offer.question.endswith("?")


def _copy_content(tmp_path: Path, edit_topics=None, edit_responses=None) -> Path:
    """A copy of the shipped content with one edit applied to the parsed YAML."""
    topics = yaml.safe_load((datafiles.content_dir() / "topics.yaml").read_text())
    responses = yaml.safe_load((datafiles.content_dir() / "responses.yaml").read_text())
    if edit_topics:
        edit_topics(topics)
    if edit_responses:
        edit_responses(responses)
    (tmp_path / "topics.yaml").write_text(yaml.safe_dump(topics))
    (tmp_path / "responses.yaml").write_text(yaml.safe_dump(responses))
    return tmp_path


def _topic(data, topic_id):
    return next(t for t in data["topics"] if t["id"] == topic_id)


BAD_TOPICS = {
    "bad id": (lambda d: _topic(d, "toe").update(id="Big Toe"), "topic 'Big Toe'", "use lowercase letters"),
    "duplicate id": (lambda d: d["topics"].append(dict(_topic(d, "toe"))), "topic 'toe'",
                     "one entry per id"),
    "short too long": (lambda d: _topic(d, "night").update(short=[{"advice": "word " * 20}] * 3),
                       "topic 'night'", "shorten 'short'"),
    "more too long": (lambda d: _topic(d, "night").update(more=[{"advice": "word " * 20}] * 7),
                      "topic 'night'", "shorten 'more'"),
    "sentence too long": (lambda d: _topic(d, "night").update(short=[{"advice": "word " * 26}]),
                          "topic 'night' short sentence 1", "split it"),
    "short with offer too long": (
        lambda d: _topic(d, "night").update(short=[{"advice": "word " * 25}, {"advice": "word " * 24}]),
        "topic 'night'", "shorten the short answer or the offer"),
    "fact without source": (lambda d: _topic(d, "caffeine")["short"][0].pop("source"),
                            "topic 'caffeine' short sentence 1", "give 'source:"),
    "advice with a source": (
        lambda d: _topic(d, "caffeine")["short"].append({"advice": "See a doctor.",
                                                         "source": {"article": "002", "section": "x"}}),
        "topic 'caffeine' short sentence", "advice is the skill's own"),
    "neither fact nor advice": (lambda d: _topic(d, "caffeine")["short"].append({"say": "Hello."}),
                                "topic 'caffeine' short sentence", "use only"),
    "offer to nowhere": (lambda d: _topic(d, "stress")["offer"].update(topic="elbow"),
                         "topic 'stress'", "existing topic id"),
    "offer not a question": (lambda d: _topic(d, "stress")["offer"].update(question="Okay."),
                             "topic 'stress'", "yes/no question"),
    "unknown article": (lambda d: _topic(d, "caffeine")["short"][0]["source"].update(article="999"),
                        "topic 'caffeine' short sentence 1", "use one of"),
    "missing title": (lambda d: _topic(d, "toe").pop("title"), "topic 'toe'", "give 'title'"),
    "unknown key": (lambda d: _topic(d, "toe").update(colour="red"), "topic 'toe'",
                    "use only"),
    "intent claimed twice": (lambda d: _topic(d, "toe").update(intent="RemedyIntent"),
                             "intent 'RemedyIntent'", "one topic"),
    "control character in a fact": (
        lambda d: _topic(d, "toe")["short"][0].update(fact="Toes \x07twitch."),
        "topic 'toe' short sentence 1: 'fact' contains control character U+0007", "write the words only"),
    "noncharacter in a title": (lambda d: _topic(d, "toe").update(title="Toe\ufffe"),
                                "topic 'toe': 'title' contains control character U+FFFE", "remove it"),
}


def _refused_naming(directory, file, item, fix):
    """Loading `directory` fails with a ContentError naming the file, the item and the fix."""
    with pytest.raises(ContentError) as caught:
        load_content(directory)
    message = str(caught.value)
    assert str(directory / file) in message
    assert item in message
    assert fix in message


@pytest.mark.parametrize("case", BAD_TOPICS, ids=list(BAD_TOPICS))
def test_bad_topics_file_names_file_item_and_fix(tmp_path, case):
    edit, item, fix = BAD_TOPICS[case]
    directory = _copy_content(tmp_path, edit_topics=edit)
    _refused_naming(directory, "topics.yaml", item, fix)


BAD_RESPONSES = {
    "missing key": (lambda d: d.pop("help"), "response 'help'", "give 'help'"),
    "unknown placeholder": (lambda d: d.update(goodbye="Bye {name}."), "response 'goodbye'",
                            "no placeholders"),
    "one example": (lambda d: d.update(examples=["why"]), "examples", "two or more"),
    "unknown key": (lambda d: d.update(greeting="hi"), "file", "use only"),
    # A format spec passed `check`, then failed (d) or spoke 50 MB (>50000000) on a live request.
    "format spec d": (lambda d: d.update(launch="Ask {example:d}."), "response 'launch': formats "
                      "{example} with ':d'", "write placeholders as {name}"),
    "format spec width": (lambda d: d.update(launch="Ask {example:>50000000}."),
                          "response 'launch': formats {example} with ':>50000000'", "{name}"),
    "conversion": (lambda d: d.update(help="Try {example!r}."), "formats {example} with '!r'",
                   "{name}"),
    "lone brace": (lambda d: d.update(goodbye="Bye }"), "response 'goodbye': is not a valid template",
                   "double a brace"),
    "lone opening brace": (lambda d: d.update(goodbye="Bye { now"),
                           "is not a valid template (a single '{' at character 5)", "double a brace"),
    "nested format spec": (lambda d: d.update(launch="Ask {example:{example}}."),
                           "response 'launch': is not a valid template", "write placeholders as {name}"),
    "attribute": (lambda d: d.update(help="Try {example.upper}."), "unknown placeholder",
                  "use only"),
    "control character": (lambda d: d.update(goodbye="Bye\x1b[2J"),
                          "response 'goodbye': 'goodbye' contains control character U+001B", "remove it"),
    "control character in an example": (
        lambda d: d["examples"].append("why\x00"),
        "examples question", "contains control character U+0000. Fix: remove it"),
}


@pytest.mark.parametrize("case", BAD_RESPONSES, ids=list(BAD_RESPONSES))
def test_bad_responses_file_names_file_item_and_fix(tmp_path, case):
    edit, item, fix = BAD_RESPONSES[case]
    directory = _copy_content(tmp_path, edit_responses=edit)
    _refused_naming(directory, "responses.yaml", item, fix)


def test_invalid_yaml_names_the_line(tmp_path):
    directory = _copy_content(tmp_path)
    (directory / "topics.yaml").write_text("topics: [\n  - {id: toe\n")
    with pytest.raises(ContentError, match=r"(?s)topics\.yaml: file: is not valid YAML.*line 2"):
        load_content(directory)


@pytest.mark.parametrize("file", ["topics.yaml", "responses.yaml"])
def test_a_file_that_is_not_utf8_names_the_byte(tmp_path, file):
    directory = _copy_content(tmp_path)
    (directory / file).write_bytes((directory / file).read_bytes() + b"# caf\xe9\n")
    with pytest.raises(ContentError, match=rf"{file}: byte \d+: is not UTF-8 text\. Fix: save the "
                       "file as UTF-8"):
        load_content(directory)


def test_missing_file_says_how_to_restore(tmp_path):
    with pytest.raises(ContentError, match=r"topics\.yaml: file: cannot be read.*restore"):
        load_content(tmp_path)


def test_disclaimer_is_in_launch_and_help(content):
    assert "not medical advice" in content.responses["disclaimer"]
    assert "not medical advice" in content.say("launch")
    assert "not medical advice" in content.say("help")


def test_a_topic_the_model_does_not_know_fails_start_up(tmp_path):
    from skill.core.assembly import build_skill

    def rename(data):
        for topic in data["topics"]:
            topic["id"] = "elbow" if topic["id"] == "toe" else topic["id"]
            if topic["offer"]["topic"] == "toe":
                topic["offer"]["topic"] = "elbow"

    with pytest.raises(ContentError) as caught:
        build_skill(load_content(_copy_content(tmp_path, edit_topics=rename)))
    assert (caught.value.item, caught.value.fix) == (
        "topic 'elbow'", "add it with synonyms to content/utterances.yaml, then `make model`")
