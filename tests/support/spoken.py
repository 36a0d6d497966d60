"""Spoken questions for the round trip: each topic asked several ways, drawn from the model."""

from __future__ import annotations

import random
from dataclasses import dataclass

from skill.core.model import InteractionModel, default_model

TOPIC_TYPE = "TOPIC"
# Topics asked through their own slotless intent as well as through the topic slot.
SLOTLESS = {"serious": "WhenToWorryIntent", "remedies": "RemedyIntent"}
# Voices for the round trip: eSpeak NG's American English with two of its variants.
VOICES = ("en-us+f2", "en-us+klatt", "en-us")


# Questions as people ask them, four per topic (some outside the model's samples on purpose).
ASKED: dict[str, tuple[str, ...]] = {
    "overview": ("why do my legs twitch", "why does my leg keep twitching",
                 "what causes leg twitching", "why do my legs keep jumping"),
    "stress": ("can stress make my legs twitch", "can anxiety cause leg twitching",
               "is stress making my legs twitch", "why do my legs twitch when i'm anxious"),
    "potassium": ("can low potassium make my legs twitch", "is it a lack of potassium",
                  "can potassium deficiency cause leg twitching", "what about potassium"),
    "nervous_tic": ("can a tic make my leg twitch", "is it a nervous tic",
                    "could it be a nervous tic", "why does my leg twitch like a tic"),
    "exercise": ("can working out make my legs twitch", "why do my legs twitch after exercise",
                 "why do my legs twitch after running", "can exercise cause leg twitching"),
    "night": ("why do my legs twitch at night", "why does my leg twitch in bed",
              "why do my legs twitch in my sleep", "why do my legs jerk at night"),
    "falling_asleep": ("why do my legs jerk when i fall asleep", "what are hypnic jerks",
                       "why does my leg twitch as i drift off",
                       "why do i jerk when falling asleep"),
    "toe": ("why does my toe twitch", "why does my big toe keep twitching",
            "why do my toes twitch", "why does my foot twitch"),
    "above_knee": ("why does my thigh keep twitching", "why does my thigh twitch",
                   "why does the muscle above my knee twitch", "why do my quads twitch"),
    "child": ("why do my baby's legs twitch", "is it normal for my baby's legs to twitch",
              "why do my child's legs twitch", "why do my kid's legs twitch"),
    "pregnancy": ("why do my legs twitch during pregnancy", "why do my legs twitch when pregnant",
                  "can pregnancy make my legs twitch", "is leg twitching normal in pregnancy"),
    "caffeine": ("can coffee make my legs jump", "can caffeine cause leg twitching",
                 "can too much coffee make my legs twitch",
                 "can energy drinks cause leg twitching"),
    "dehydration": ("can dehydration make my legs twitch",
                    "can not drinking enough water make my legs twitch",
                    "can being dehydrated cause leg twitching", "what about dehydration"),
    "nicotine": ("can smoking make my legs twitch", "can nicotine cause leg twitching",
                 "can vaping make my legs twitch", "do cigarettes cause leg twitching"),
    "vitamins": ("can a vitamin deficiency cause leg twitching",
                 "can low vitamin d make my legs twitch",
                 "can low calcium make my legs twitch", "what about vitamins"),
    "magnesium": ("can low magnesium make my legs twitch", "what about magnesium",
                  "what should i eat for leg twitching",
                  "can magnesium deficiency cause leg twitching"),
    "myoclonus": ("what is myoclonus", "what is fasciculation", "tell me about myoclonus",
                  "what are muscle fasciculations"),
    "serious": ("when should i worry about leg twitching", "when should i see a doctor",
                "is leg twitching serious", "when should i worry"),
    "remedies": ("how do i stop my legs twitching", "what can i do about leg twitching",
                 "what are some remedies for leg twitching", "how can i stop my legs twitching"),
}


@dataclass(frozen=True)
class Question:
    """One question: what is said, and the topic id that must answer it."""

    text: str
    topic: str


def asked() -> list[Question]:
    """The questions people ask, with their topics."""
    return [Question(text, topic) for topic, texts in ASKED.items() for text in texts]


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
