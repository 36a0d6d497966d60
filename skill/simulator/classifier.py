"""A trained classifier from a question's words to the answer it wants: averaged perceptrons.

Pure Python, no dependencies. Features are the understanding's canonical words (stemmed, synonyms
rewritten, slips corrected) and their pairs, plus character 4-grams of the words as written, so
a plural or a misspelling still shares most of its features with the word it stands for.

Trained at build time (skill.authoring.training, by `legtwitch model --write`) over the model's
samples and the dev phrasings; the weights are data (content/classifier.json), read at start-up.
A label is an intent, or an intent and a value of its slot ("TopicIntent/caffeine"). `predict`
gives the best label and its margin over the next: the understanding trusts it only above a
threshold chosen by cross-validation on the dev set.
"""

from __future__ import annotations

import json
import random
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from pathlib import Path

from skill.errors import ContentError

CLASSIFIER = "classifier.json"
_GRAM = 4  # characters per character n-gram
_DIGITS = 3  # decimals kept of each weight in the data file


def label(intent: str, value_id: str | None = None) -> str:
    """A label: the intent, and the id of the value its slot takes if any ("TopicIntent/caffeine")."""
    return intent if value_id is None else f"{intent}/{value_id}"


def split_label(name: str) -> tuple[str, str | None]:
    """The intent and value id a label names."""
    intent, _, value_id = name.partition("/")
    return intent, value_id or None


def features(tokens: Sequence[str], written: Sequence[str]) -> list[str]:
    """Canonical words and word pairs, character n-grams of the words as written, and a bias."""
    out = [*tokens, *(f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False))]
    for word in written:
        padded = f"<{word}>"
        out += ["#" + padded[i : i + _GRAM] for i in range(len(padded) - _GRAM + 1)]
    out.append("")
    return out


class Classifier:
    """Feature -> label -> weight; the best label for a question's features and its margin."""

    def __init__(self, weights: Mapping[str, Mapping[str, float]]) -> None:
        self.weights = weights

    def predict(self, feats: Iterable[str]) -> tuple[str | None, float]:
        """The best label (None if no feature is known) and how far it scores above the next."""
        scores: dict[str, float] = defaultdict(float)
        for f in feats:
            for label, w in self.weights.get(f, {}).items():
                scores[label] += w
        if not scores:
            return None, 0.0
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
        second = ranked[1][1] if len(ranked) > 1 else 0.0
        return ranked[0][0], ranked[0][1] - second

    @classmethod
    def train(cls, examples: Sequence[tuple[list[str], str]], epochs: int, seeds: int = 1) -> Classifier:
        """The mean of `seeds` averaged perceptrons over (features, label) examples, each seeing
        them in an order of its own seed: one perceptron's weights hang on the order it saw."""
        mean: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        for seed in range(seeds):
            for f, row in _perceptron(examples, epochs, seed).items():
                for name, v in row.items():
                    mean[f][name] += v / seeds
        kept = {f: {name: round(v, _DIGITS) for name, v in row.items() if round(v, _DIGITS)}
                for f, row in mean.items()}
        return cls({f: row for f, row in kept.items() if row})

    def render(self) -> bytes:
        """The weights as the data file's bytes (sorted, so a rebuild is byte for byte the same)."""
        return (json.dumps(self.weights, sort_keys=True, separators=(",", ":")) + "\n").encode("utf-8")

    @classmethod
    def load(cls, path: Path, known: Collection[str]) -> Classifier:
        """The classifier in the data file `path`; ContentError naming the file, the entry at
        fault and the fix if it cannot be read, is not feature -> label -> number, or weighs a
        label not `known` (an intent or value the interaction model no longer has)."""
        from skill.core.datafiles import read_json

        fix = "rebuild it with `make model`"
        weights = read_json(path, ContentError, fix)
        if not isinstance(weights, dict):
            raise ContentError(path, "file", "is not a JSON object of features", fix)
        for feature, row in weights.items():
            if not isinstance(row, dict) or not all(
                    isinstance(w, (int, float)) and not isinstance(w, bool) for w in row.values()):
                raise ContentError(path, f"feature {feature!r}", "is not label -> number", fix)
            unknown = sorted(set(row) - set(known))
            if unknown:
                raise ContentError(path, f"feature {feature!r}",
                                   f"weighs {unknown[0]!r}, which the interaction model lacks", fix)
        return cls(weights)


def _perceptron(
    examples: Sequence[tuple[list[str], str]], epochs: int, seed: int
) -> dict[str, dict[str, float]]:
    """An averaged perceptron's weights over (features, label) examples, in a seeded order."""
    labels = sorted({label for _, label in examples})
    w: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    total: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    since: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    order = list(examples)
    shuffle = random.Random(seed).shuffle
    step = 1
    for _ in range(epochs):
        shuffle(order)
        for feats, label in order:
            scores: dict[str, float] = defaultdict(float)
            for f in feats:
                for other, v in w[f].items():
                    scores[other] += v
            # Nothing scored yet: no guess to penalise, only the label to learn.
            guess = max(labels, key=lambda x: (scores[x], x == label)) if scores else None
            if guess != label:
                updates = [(label, 1.0)] if guess is None else [(label, 1.0), (guess, -1.0)]
                for f in feats:
                    for target, delta in updates:
                        total[f][target] += (step - since[f][target]) * w[f][target]
                        since[f][target] = step
                        w[f][target] += delta
            step += 1
    averaged: dict[str, dict[str, float]] = {}
    for f, row in w.items():
        kept = {}
        for label, v in row.items():
            mean = (total[f][label] + (step - since[f][label]) * v) / step
            if mean:
                kept[label] = mean
        if kept:
            averaged[f] = kept
    return averaged
