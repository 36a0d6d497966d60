"""The understanding's classifier: it learns its examples, is reproducible, and decides only where
the matcher is unsure."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest
import yaml

from skill.core import datafiles
from skill.core.model import default_model
from skill.errors import ContentError
from skill.simulator.classifier import CLASSIFIER, Classifier, features, label, split_label
from skill.simulator.simulator import default_nlu
from skill.simulator.understanding import Nlu

EXAMPLES = [
    ("why do my legs twitch after running", label("TopicIntent", "exercise")),
    ("my calves jump after the gym", label("TopicIntent", "exercise")),
    ("can coffee make my legs twitch", label("TopicIntent", "caffeine")),
    ("too much espresso and my legs jump", label("TopicIntent", "caffeine")),
    ("what stops a calf cramp", label("NearMissIntent")),
    ("what is the weather tomorrow", label("AMAZON.FallbackIntent")),
]


def examples() -> list[tuple[list[str], str]]:
    return [(features(text.split(), text.split()), name) for text, name in EXAMPLES]


@pytest.fixture(scope="module")
def trained() -> Classifier:
    return Classifier.train(examples(), epochs=5, seeds=3)


@pytest.mark.parametrize(("text", "name"), EXAMPLES)
def test_a_trained_classifier_gives_each_example_its_label(trained: Classifier, text: str, name: str) -> None:
    best, margin = trained.predict(features(text.split(), text.split()))
    assert (best, margin > 0) == (name, True)


def test_a_question_with_no_known_feature_has_no_label(trained: Classifier) -> None:
    assert Classifier({"leg": {"x": 1.0}}).predict(["zebra"]) == (None, 0.0)
    assert trained.predict([]) == (None, 0.0)


def test_training_is_reproducible_and_the_data_file_reads_back(trained: Classifier, tmp_path: Path) -> None:
    again = Classifier.train(examples(), epochs=5, seeds=3)
    assert again.render() == trained.render()
    (tmp_path / "c.json").write_bytes(trained.render())
    assert Classifier.load(tmp_path / "c.json", {name for _, name in EXAMPLES}).weights == trained.weights


BAD_FILES = [
    ("[1, 2]", "file", "not a JSON object"),
    ('{"leg": [1]}', "feature 'leg'", "label -> number"),
    ('{"leg": {"TopicIntent/night": "high"}}', "feature 'leg'", "label -> number"),
    ('{"leg": {"TopicIntent/gone": 1.0}}', "feature 'leg'",
     "'TopicIntent/gone', which the interaction model lacks"),
    ('{"leg": ', "file", "not valid JSON"),
]


@pytest.mark.parametrize(("text", "item", "problem"), BAD_FILES)
def test_a_bad_classifier_file_is_refused_naming_the_file_the_entry_and_the_fix(
        tmp_path: Path, text: str, item: str, problem: str) -> None:
    path = tmp_path / "classifier.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        Classifier.load(path, Nlu.labels(default_model()))
    fault = (caught.value.path, caught.value.item, caught.value.fix)
    assert fault == (str(path), item, "rebuild it with `make model`")
    assert problem in caught.value.problem


def test_the_model_s_labels_are_its_intents_and_their_values() -> None:
    labels = Nlu.labels(default_model())
    assert {label("TopicIntent", "night"), label("TopicIntent"), label("AMAZON.YesIntent")} <= labels
    assert label("TopicIntent", "gone") not in labels


def test_without_a_classifier_file_the_matcher_understands_alone_and_says_so(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    shutil.copytree(datafiles.content_dir(), tmp_path / "content")
    (tmp_path / "content" / CLASSIFIER).unlink()
    monkeypatch.setenv("LEGTWITCH_CONTENT_DIR", str(tmp_path / "content"))
    default_nlu.cache_clear()
    try:
        with caplog.at_level(logging.WARNING):
            nlu = default_nlu()
    finally:
        default_nlu.cache_clear()
    assert nlu.classifier is None
    assert "classifier.json is missing" in caplog.text


def test_a_label_names_an_intent_and_a_value() -> None:
    assert split_label(label("TopicIntent", "caffeine")) == ("TopicIntent", "caffeine")
    assert split_label(label("RedFlagIntent")) == ("RedFlagIntent", None)


@pytest.fixture(scope="module")
def alone() -> Nlu:
    """The matcher without its classifier."""
    return Nlu(default_model())


def model_phrasings() -> list[str]:
    """Every 25th model sample without a slot: the matcher's near-exact matches."""
    return [s for i in default_model().intents.values() for s in i.samples if "{" not in s][::25]


@pytest.mark.parametrize("said", model_phrasings())
def test_a_near_exact_sample_is_the_matchers_decision(alone: Nlu, said: str) -> None:
    assert default_nlu().parse(said) == alone.parse(said)


def answer(nlu: Nlu, text: str) -> str:
    """What the skill answers: a topic id (a topic intent's own, or the overview), or the intent."""
    result = nlu.parse(text)
    own = {"WhenToWorryIntent": "serious", "RemedyIntent": "remedies"}
    if result.intent != "TopicIntent":
        return own.get(result.intent, result.intent)
    return next((s.resolved_id for s in result.slots if s.resolved_id), None) or "overview"


def test_with_its_classifier_the_understanding_answers_more_dev_phrasings_rightly(alone: Nlu) -> None:
    """On the set it was trained on, in and out of scope: it must gain, and lose nothing overall."""
    dev = yaml.safe_load((Path(__file__).resolve().parents[1] / "data" / "nlu_dev.yaml").read_text())
    kinds = {"near_miss": "NearMissIntent", "disease": "RedFlagIntent", "off_topic": "AMAZON.FallbackIntent"}
    cases = [(e["text"], set(e["topic"] if isinstance(e["topic"], list) else [e["topic"]]))
             for e in dev["in_scope"]]
    cases += [(e["text"], {kinds[e["kind"]]}) for e in dev["out_of_scope"]]
    right = [sum(answer(nlu, text) in wanted for text, wanted in cases) for nlu in (default_nlu(), alone)]
    assert right[0] > right[1], right


def test_perceptrons_of_other_orders_are_averaged_in(trained: Classifier) -> None:
    one = Classifier.train(examples(), epochs=5, seeds=1)
    assert one.weights != trained.weights  # the other two orders moved the weights
    assert set(one.weights) <= set(trained.weights)  # every feature one learnt is still weighed
