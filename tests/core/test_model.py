"""Interaction model: current with its templates, within Alexa's rules, covering every topic."""

from __future__ import annotations

import copy
import json
import re

import pytest

from skill.authoring import templates
from skill.core import datafiles, model
from skill.core.content import load_content
from skill.errors import ModelError

TOPIC_IDS = tuple(load_content().topics)  # the topics are defined by content/ alone


@pytest.fixture(scope="module")
def document():
    return json.loads(datafiles.model_path().read_text())


@pytest.fixture(scope="module")
def language_model(document):
    return model.validate(document, datafiles.model_path())


def test_committed_json_is_generated_from_the_templates():
    assert datafiles.model_path().read_text() == templates.render(templates.generate()), "run `make model`"


def test_invocation_name(language_model):
    assert language_model.invocation == "leg twitch guide"


BUILT_INS = ["AMAZON.HelpIntent", "AMAZON.StopIntent", "AMAZON.CancelIntent",
             "AMAZON.NavigateHomeIntent", "AMAZON.FallbackIntent", "AMAZON.RepeatIntent",
             "AMAZON.YesIntent", "AMAZON.NoIntent"]


def test_intents(language_model):
    assert set(BUILT_INS) <= set(language_model.intents)
    assert {"TopicIntent", "WhenToWorryIntent", "RemedyIntent", "TellMeMoreIntent"} <= set(
        language_model.intents)
    assert language_model.intents["TopicIntent"].slots == {"topic": "TOPIC"}


def test_every_topic_is_a_slot_value_with_synonyms(language_model):
    values = {v.id: v for v in language_model.types["TOPIC"]}
    assert set(values) == set(TOPIC_IDS)
    assert all(v.synonyms for v in values.values())


def test_no_synonym_names_two_topics(language_model):
    owner: dict[str, str] = {}
    for value in language_model.types["TOPIC"]:
        for spoken in (value.name, *value.synonyms):
            assert owner.setdefault(spoken.lower(), value.id) == value.id, spoken


def _matches(language_model, utterance: str) -> set[tuple[str, str | None]]:
    """(intent, topic id) pairs whose sample, with a TOPIC value in its slot, is the utterance."""
    found: set[tuple[str, str | None]] = set()
    for intent in language_model.intents.values():
        for sample in intent.samples:
            if "{topic}" not in sample:
                if sample.lower() == utterance:
                    found.add((intent.name, None))
                continue
            pattern = re.escape(sample.lower()).replace(r"\{topic\}", "(.+)")
            match = re.fullmatch(pattern, utterance)
            value = match and language_model.resolve("TOPIC", match.group(1))
            if value:
                found.add((intent.name, value.id))
    return found


# The ways real people ask, from the issue, and the content's own examples.
ASKED = {
    "why does my thigh keep twitching": ("TopicIntent", "above_knee"),
    "can coffee make my legs jump": ("TopicIntent", "caffeine"),
    "is it normal for my baby's legs to twitch in his sleep": None,  # two topics: see below
    "when should I worry about twitching": ("WhenToWorryIntent", None),
    "why does my leg twitch at night": ("TopicIntent", "night"),
    "why do my legs twitch": ("TopicIntent", None),
    "how can I stop my legs twitching": ("RemedyIntent", None),
    "tell me more": ("TellMeMoreIntent", None),
}


@pytest.mark.parametrize("utterance", [u for u, want in ASKED.items() if want])
def test_real_questions_match_a_sample(language_model, utterance):
    assert ASKED[utterance] in _matches(language_model, utterance.lower())


def test_baby_sleep_question_reaches_the_child_topic(language_model):
    assert ("TopicIntent", "child") in _matches(language_model, "is it normal for my baby's legs to twitch")


def test_content_examples_are_samples(language_model):
    for example in load_content().examples:
        assert _matches(language_model, example.lower()), example


def test_expand_alternatives_and_optionals():
    assert templates.expand("why (does|do) my [left] leg twitch") == [
        "why does my left leg twitch", "why does my leg twitch",
        "why do my left leg twitch", "why do my leg twitch"]
    assert templates.expand("(a|(b|c) d)") == ["a", "b d", "c d"]


@pytest.mark.parametrize("template", ["(a|b", "a)", "[a"])
def test_expand_rejects_unbalanced_brackets(template):
    with pytest.raises(ValueError):
        templates.expand(template)


def _break(document, edit):
    broken = copy.deepcopy(document)
    edit(broken["interactionModel"]["languageModel"])
    return broken


def _topic_intent(language):
    return next(i for i in language["intents"] if i["name"] == "TopicIntent")


BAD_MODELS = {
    "uppercase invocation": (lambda m: m.update(invocationName="Leg Twitch Guide"), "invocationName"),
    "one-word invocation": (lambda m: m.update(invocationName="twitch"), "invocationName"),
    "forbidden word": (lambda m: m.update(invocationName="leg twitch skill"), "invocationName"),
    "digits": (lambda m: _topic_intent(m)["samples"].append("why do my 2 legs twitch"),
               "contains digits"),
    "punctuation": (lambda m: _topic_intent(m)["samples"].append("why do my legs twitch?"),
                    "characters Alexa does not accept"),
    "undeclared slot": (lambda m: _topic_intent(m)["samples"].append("why does my {limb} twitch"),
                        "not declared"),
    "duplicate in intent": (lambda m: _topic_intent(m)["samples"].append("tell me about {topic}"),
                            "is also an utterance of TopicIntent"),
    "duplicate across intents": (lambda m: _topic_intent(m)["samples"].append("tell me more"),
                                 "is also an utterance of"),
    "value without id": (lambda m: m["types"][0]["values"][0].pop("id"), "has no id"),
    "unknown slot type": (lambda m: _topic_intent(m)["slots"][0].update(type="LIMB"),
                          "unknown type"),
}


@pytest.mark.parametrize("case", BAD_MODELS, ids=list(BAD_MODELS))
def test_rule_breaches_fail_with_item_and_fix(document, case):
    edit, problem = BAD_MODELS[case]
    with pytest.raises(ModelError, match=re.escape(problem)) as caught:
        model.validate(_break(document, edit), "en-US.json")
    assert str(caught.value).startswith("en-US.json: ")
    assert "Fix: " in str(caught.value)


def test_periods_in_abbreviations_are_allowed(document):
    ok = _break(document, lambda m: _topic_intent(m)["samples"].append("is vitamin b. low"))
    model.validate(ok)


def test_unreadable_model_file_says_to_regenerate(tmp_path):
    path = tmp_path / "en-US.json"
    path.write_text("{ not json")
    with pytest.raises(ModelError, match="make model"):
        model.load_model(path)


def test_manifest_example_phrases_are_samples_and_describe_the_disclaimer(language_model):
    manifest = json.loads((datafiles.model_path().parents[2] / "skill.json").read_text())
    locale = manifest["manifest"]["publishingInformation"]["locales"]["en-US"]
    assert "not medical advice" in locale["description"]
    assert locale["name"] and locale["summary"] and locale["keywords"]
    assert manifest["manifest"]["publishingInformation"]["category"] == "HEALTH_AND_FITNESS"
    first, *others = locale["examplePhrases"]
    assert first == f"Alexa, open {language_model.invocation}"
    for phrase in others:
        prefix = f"Alexa, ask {language_model.invocation} "
        assert phrase.startswith(prefix)
        assert _matches(language_model, phrase[len(prefix):].lower()), phrase


def test_fallback_sensitivity_and_out_of_domain_samples_are_in_the_model() -> None:
    language = json.loads(datafiles.model_path().read_text())["interactionModel"]["languageModel"]
    assert language["modelConfiguration"]["fallbackIntentSensitivity"]["level"] in ("LOW", "MEDIUM", "HIGH")
    fallback = next(i for i in language["intents"] if i["name"] == "AMAZON.FallbackIntent")
    assert "what is good for back pain" in fallback["samples"]


def test_a_bad_fallback_sensitivity_names_the_choices(tmp_path) -> None:
    source = datafiles.templates_path().read_text().replace(
        "fallback_sensitivity: MEDIUM", "fallback_sensitivity: VERY")
    (tmp_path / "utterances.yaml").write_text(source)
    with pytest.raises(ModelError, match="fallback_sensitivity: is not one of LOW, MEDIUM, HIGH"):
        templates.generate(tmp_path / "utterances.yaml")
