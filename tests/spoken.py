"""Spoken questions for the round trip: each topic asked several ways, drawn from the model."""

from __future__ import annotations

import random
from dataclasses import dataclass

from skill.model import InteractionModel, default_model

TOPIC_TYPE = "TOPIC"
# Topics asked through their own slotless intent as well as through the topic slot.
SLOTLESS = {"serious": "WhenToWorryIntent", "remedies": "RemedyIntent"}
# Voices for the round trip: eSpeak NG's American English with two of its variants.
VOICES = ("en-us+f2", "en-us+klatt", "en-us")


@dataclass(frozen=True)
class Question:
    """One question: what is said, and the topic id that must answer it."""

    text: str
    topic: str


def questions(per_topic: int = 4, model: InteractionModel | None = None,
              seed: int = 5) -> list[Question]:
    """`per_topic` questions for every topic: samples of the model with the topic's name or one
    of its synonyms in the slot (the same choice on every run)."""
    model = model or default_model()
    rng = random.Random(seed)
    slot_samples = [s for s in model.intents["TopicIntent"].samples if s.count("{") == 1]
    out: list[Question] = []
    for value in model.types[TOPIC_TYPE]:
        phrases = [value.name, *value.synonyms]
        texts: list[str] = []
        if value.id in SLOTLESS:
            texts += rng.sample(list(model.intents[SLOTLESS[value.id]].samples), per_topic // 2)
        while len(texts) < per_topic:
            sample = rng.choice(slot_samples)
            text = sample.replace(sample[sample.index("{"): sample.index("}") + 1],
                                  rng.choice(phrases))
            if text not in texts:
                texts.append(text)
        out += [Question(text.lower(), value.id) for text in texts]
    return out
