"""The understanding's classifier trained at build time: over the model's samples and the dev set.

Examples (skill.simulator.classifier labels):
- every sample of an intent that answers a topic, a slot reference filled by one of its type's
  values (taking each value and synonym in turn, so every one is seen), labelled with the topic:
  "TopicIntent/<topic id>" (a slotless intent as the topic content gives it: WhenToWorryIntent
  is serious, a slotless TopicIntent sample the overview);
- every sample of RedFlagIntent, NearMissIntent and AMAZON.FallbackIntent, and every value and
  synonym of their slot types, labelled with the intent;
- every value and synonym of the topic type, labelled with its topic;
- every phrasing of tests/data/nlu_dev.yaml, DEV_WEIGHT times: an in-scope one labelled with its
  (first) topic, an out-of-scope one with the intent its kind calls for.

EPOCHS, DEV_WEIGHT and SEEDS were chosen by five-fold cross-validation on the dev set, folds split
by source page (docs/simulator.md gives the figures).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from skill.core.content import Content
from skill.core.handlers import NEAR_MISS_INTENT as NEAR_MISS
from skill.core.handlers import RED_FLAG_INTENT as RED_FLAG
from skill.core.handlers import TOPIC_INTENT as TOPIC
from skill.core.model import SLOT_REF, InteractionModel
from skill.simulator.classifier import Classifier, label
from skill.simulator.interpretation import FALLBACK
from skill.simulator.understanding import Nlu

EPOCHS = 3
DEV_WEIGHT = 8
SEEDS = 5  # perceptrons averaged, each seeing the examples in an order of its own
# What each kind of out-of-scope dev phrasing should get (bench/bench_nlu.py measures the same).
KIND_LABELS = {"near_miss": NEAR_MISS, "disease": RED_FLAG, "off_topic": FALLBACK}


def model_examples(model: InteractionModel, content: Content) -> Iterator[tuple[str, str]]:
    """(text, label) for the model's samples and slot values."""
    turn = 0
    for intent in model.intents.values():
        declining = intent.name in (RED_FLAG, NEAR_MISS, FALLBACK)
        claimed = content.topic_for_intent(intent.name)
        if not declining and claimed is None and intent.name != TOPIC:
            continue
        for sample in intent.samples:
            ref = SLOT_REF.search(sample)
            if ref is None:
                topic = claimed.id if claimed else "overview"
                yield sample, intent.name if declining else label(TOPIC, topic)
                continue
            values = model.types[intent.slots[ref.group(1)]]
            value = values[turn % len(values)]
            said = (value.name, *value.synonyms)[turn % (1 + len(value.synonyms))]
            turn += 1
            yield SLOT_REF.sub(said, sample, count=1), intent.name if declining else label(TOPIC, value.id)
    for name in (TOPIC, RED_FLAG, NEAR_MISS):
        for type_name in model.intents[name].slots.values():
            for value in model.types[type_name]:
                for said in (value.name, *value.synonyms):
                    yield said, label(TOPIC, value.id) if name == TOPIC else name


def dev_examples(dev: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """(text, label) for the dev set's phrasings."""
    for entry in dev["in_scope"]:
        topics = entry["topic"] if isinstance(entry["topic"], list) else [entry["topic"]]
        yield entry["text"], label(TOPIC, topics[0])
    for entry in dev["out_of_scope"]:
        yield entry["text"], KIND_LABELS[entry["kind"]]


def train(nlu: Nlu, content: Content, dev: Mapping[str, Any]) -> Classifier:
    """The classifier for `nlu`'s model, its features as `nlu` reads them."""
    examples = [(nlu.features(text), label) for text, label in model_examples(nlu.model, content)]
    examples += [(nlu.features(text), label) for text, label in dev_examples(dev)] * DEV_WEIGHT
    return Classifier.train(examples, EPOCHS, SEEDS)


def render(model: InteractionModel, content: Content, dev: Mapping[str, Any]) -> bytes:
    """The classifier's data file for `model`, trained on the dev set `dev`."""
    return train(Nlu(model), content, dev).render()
