"""Local language understanding on people's phrasings: accuracy and time per utterance.

Accuracy is measured end to end: each question of tests/data/nlu_dev.yaml, nlu_heldout.yaml and the
last batches (nlu_lastbatch*.yaml) goes through the text simulator into the real skill in a new
session, and the topic that answered (Turn.topic, from the answer's card) is compared with the
expected one; an out-of-scope question counts when it was declined as its kind calls for. Each
figure of the understanding (the matcher with its classifier) is shown beside the matcher alone
(today's, without the classifier), and the matcher alone beside the older baseline, all measured in
the same run: the understanding of commit EARLIER (what issue 10 measured), taken from this
repository's history with `git archive` and run in a process of its own, its interpretations
answered by today's skill; without that history (a shallow clone, a tarball) it is an exact
matcher: a question matches only if it is one of the model's samples with a slot synonym in place
of each {slot}. Time is for understanding alone (text to intent and slots), beside the matcher
alone's, and that beside the exact matcher's (one dictionary lookup), for the same questions.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from bench import Figure
from skill.core import datafiles
from skill.core.model import InteractionModel, SlotValue, default_model
from skill.simulator.classifier import CLASSIFIER, Classifier
from skill.simulator.interpretation import FALLBACK, Interpretation, SlotFill
from skill.simulator.normalise import words
from skill.simulator.simulator import Simulator
from skill.simulator.transport import LocalTransport
from skill.simulator.understanding import Nlu

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
# The understanding as it was when issue 10's 2026-12-06 work began (main at that time): the
# matcher the issue measured, run from this repository's history beside today's.
EARLIER = "5438091"
SETS = (("dev", DATA / "nlu_dev.yaml"), ("held-out", DATA / "nlu_heldout.yaml"),
        ("last batch", DATA / "nlu_lastbatch.yaml"), ("last batch 12-06", DATA / "nlu_lastbatch2.yaml"),
        ("last batch 3", DATA / "nlu_lastbatch3.yaml"), ("last batch 4", DATA / "nlu_lastbatch4.yaml"),
        ("last batch 5", DATA / "nlu_lastbatch5.yaml"), ("last batch 6", DATA / "nlu_lastbatch6.yaml"),
        ("last batch 7", DATA / "nlu_lastbatch7.yaml"), ("last batch 8", DATA / "nlu_lastbatch8.yaml"),
        ("last batch 9", DATA / "nlu_lastbatch9.yaml"))
REPEATS = 5
MATCHER_ALONE = "matcher alone"  # today's understanding without its classifier
# The understanding, the matcher alone, the baseline: each text to an interpretation.
Parse = Callable[[str], Interpretation]
Parsers = tuple[Parse, Parse, Parse]


class ExactMatcher:
    """The baseline: only the model's own samples, each {slot} filled by one of its synonyms."""

    def __init__(self, model: InteractionModel) -> None:
        phrases: dict[str, dict[str, SlotValue]] = {
            type_name: {" ".join(words(p)): v for v in values for p in (v.name, *v.synonyms) if words(p)}
            for type_name, values in model.types.items()
        }
        self.sentences: dict[str, Interpretation] = {}
        for intent in model.intents.values():
            for sample in intent.samples:
                self._expand(intent.name, intent.slots, re.split(r"\{(\w+)\}", sample), phrases)

    def _expand(
        self, intent: str, slots: Mapping[str, str], pieces: list[str],
        phrases: Mapping[str, Mapping[str, SlotValue]],
    ) -> None:  # fmt: skip
        """Every sentence the sample stands for, with the slots it fills."""
        partial: list[tuple[list[str], tuple[SlotFill, ...]]] = [([], ())]
        for i, piece in enumerate(pieces):
            if i % 2:
                type_name = slots[piece]
                partial = [
                    ([*said, spoken], (*fills, SlotFill(piece, type_name, spoken, value.id, value.name)))
                    for said, fills in partial
                    for spoken, value in phrases[type_name].items()
                ]
            elif words(piece):
                partial = [([*said, " ".join(words(piece))], fills) for said, fills in partial]
        for said, fills in partial:
            self.sentences.setdefault(" ".join(said), Interpretation(intent, fills))

    def parse(self, text: str) -> Interpretation:
        return self.sentences.get(" ".join(words(text)), Interpretation(FALLBACK))


class EarlierMatcher:
    """The baseline: commit EARLIER's understanding (its code, lexicon and model), each question
    parsed in a process of its own, answered by today's skill."""

    def __init__(self, texts: list[str]) -> None:
        self.name = f"matcher of {EARLIER}"
        script = ("import dataclasses, json, sys\n"
                  "from skill.core.model import default_model\n"
                  "from skill.simulator.understanding import Nlu\n"
                  "nlu = Nlu(default_model())\n"
                  "print(json.dumps([dataclasses.asdict(nlu.parse(t)) for t in json.load(sys.stdin)]))")
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", EARLIER, "skill", "interaction_model"],
                                 capture_output=True, check=False)
        if archive.returncode:
            raise LookupError(archive.stderr.decode(errors="replace").strip())
        with tempfile.TemporaryDirectory(prefix="bench-earlier-") as tmp:
            with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
                tar.extractall(tmp, filter="data")
            done = subprocess.run([sys.executable, "-c", script], cwd=tmp, input=json.dumps(texts),
                                  capture_output=True, text=True, check=False,
                                  env={**os.environ, "PYTHONPATH": tmp})
        if done.returncode:
            raise LookupError(done.stderr.strip().splitlines()[-1])
        self.parsed = {
            text: Interpretation(d["intent"], tuple(SlotFill(**f) for f in d["slots"]), d["why"])
            for text, d in zip(texts, json.loads(done.stdout), strict=True)
        }

    def parse(self, text: str) -> Interpretation:
        return self.parsed[text]


def _baseline(model: InteractionModel) -> tuple[str, Callable[[str], Interpretation]]:
    """The earlier matcher over every question of the sets, or the exact matcher without git."""
    texts = [e["text"] for _, path in SETS for part in (_load(path) or {}).values() for e in part]
    texts += [e["text"] for part in (_load(DATA / "red_flags.yaml") or {}).values() for e in part]
    try:
        earlier = EarlierMatcher(sorted(set(texts)))
    except (LookupError, OSError) as exc:
        print(f"(no {EARLIER} in this checkout's history: {exc}; the baseline is the exact matcher)")
        return "exact sample matcher", ExactMatcher(model).parse
    return earlier.name, earlier.parse


def _load(path: Path) -> dict[str, list[dict[str, Any]]] | None:
    if not path.exists():
        return None
    return yaml.safe_load(path.read_text(encoding="utf-8"))


# Not answered as twitching: the fallback, the near-miss answer that names what it is not, or
# (for a question naming a disease) the red-flag answer that sends to a doctor.
DECLINED = (FALLBACK, "NearMissIntent", "RedFlagIntent")


def _accuracy(
    data: dict[str, list[dict[str, Any]]], parse: Callable[[str], Interpretation]
) -> tuple[float, float]:
    """Share of in-scope questions answered with an expected topic, and of out-of-scope at fallback."""
    simulator = Simulator(LocalTransport())
    right = 0
    for entry in data["in_scope"]:
        wanted = entry["topic"] if isinstance(entry["topic"], list) else [entry["topic"]]
        if "serious" in wanted:  # a worried question: the red-flag answer is right too
            wanted = [*wanted, "red_flag"]
        simulator.reset()
        turn = simulator.send_intent(parse(entry["text"]), entry["text"])
        right += turn.topic in wanted
    fallback = sum(parse(e["text"]).intent in DECLINED for e in data["out_of_scope"])
    return 100.0 * right / len(data["in_scope"]), 100.0 * fallback / len(data["out_of_scope"])


def _ms_per_utterance(parse: Callable[[str], Interpretation], texts: list[str]) -> float:
    best = float("inf")
    for _ in range(REPEATS):
        start = time.perf_counter()
        for text in texts:
            parse(text)
        best = min(best, time.perf_counter() - start)
    return 1000.0 * best / len(texts)


def _share(parse: Callable[[str], Interpretation], texts: list[str], wanted: set[str | None]) -> float:
    """Share of `texts` whose turn in a new session answers one of the `wanted` topics."""
    simulator = Simulator(LocalTransport())
    hits = 0
    for text in texts:
        simulator.reset()
        hits += simulator.send_intent(parse(text), text).topic in wanted
    return 100.0 * hits / max(len(texts), 1)


def _red_flags(parsers: Parsers, base_name: str) -> Iterable[Figure]:
    """Worried questions reaching the red-flag answer or `serious` (goal 100%), and ordinary
    in-scope questions wrongly sent to the red-flag answer (goal at most 3%)."""
    data = _load(DATA / "red_flags.yaml")
    if data is None:
        return
    for part in ("dev", "held_out"):
        texts = [e["text"] for e in data[part]]
        yield from _compared(f"red flags {part}: red-flag answer or serious ({len(texts)})", "%",
                             [_share(p, texts, {"red_flag", "serious"}) for p in parsers],
                             base_name, "goal 100%")  # fmt: skip
    ordinary = []
    for _, path in SETS:
        sets = _load(path)
        ordinary += [e["text"] for e in (sets or {}).get("in_scope", [])
                     if "serious" not in (e["topic"] if isinstance(e["topic"], list) else [e["topic"]])]
    yield from _compared(f"ordinary questions sent to the red-flag answer ({len(ordinary)})", "%",
                         [_share(p, ordinary, {"red_flag"}) for p in parsers], base_name,
                         "goal <= 3%")  # fmt: skip


# What each kind of out-of-scope question should get.
EXPECTED_FOR_KIND = {
    "near_miss": ("NearMissIntent",),  # named and declined: "I don't cover leg cramps..."
    "disease": ("RedFlagIntent",),  # see a doctor; the skill cannot assess a disease
    "off_topic": (FALLBACK,),
}


def _by_kind(data: dict[str, list[dict[str, Any]]], parse: Callable[[str], Interpretation]
             ) -> dict[str, tuple[float, int]]:
    """Per kind of out-of-scope question: the share that got the answer its kind calls for."""
    shares: dict[str, tuple[float, int]] = {}
    for kind, intents in EXPECTED_FOR_KIND.items():
        texts = [e["text"] for e in data["out_of_scope"] if e.get("kind") == kind]
        if texts:
            hits = sum(parse(t).intent in intents for t in texts)
            shares[kind] = (100.0 * hits / len(texts), len(texts))
    return shares


def _compared(name: str, unit: str, values: list[float], base_name: str, goal: str) -> Iterable[Figure]:
    """A figure of the understanding beside the matcher alone, then the matcher alone beside the
    baseline: `values` are the three in the order of Parsers."""
    ours, alone, earlier = values
    yield Figure(name, ours, unit, MATCHER_ALONE, alone, goal)
    yield Figure(f"  {MATCHER_ALONE}", alone, unit, base_name, earlier, goal)


def run() -> Iterable[Figure]:
    model = default_model()
    start = time.perf_counter()
    nlu = Nlu(model, classifier=Classifier.load(datafiles.content_dir() / CLASSIFIER, Nlu.labels(model)))
    build_ms = 1000.0 * (time.perf_counter() - start)
    alone = Nlu(model)
    start = time.perf_counter()
    exact = ExactMatcher(model)
    exact_build_ms = 1000.0 * (time.perf_counter() - start)
    base_name, base = _baseline(model)
    parsers: Parsers = (nlu.parse, alone.parse, base)
    every: list[str] = []
    for label, path in SETS:
        data = _load(path)
        if data is None:
            continue
        n_in, n_out = len(data["in_scope"]), len(data["out_of_scope"])
        scores = [_accuracy(data, p) for p in parsers]
        yield from _compared(f"{label}: in-scope right topic ({n_in} questions)", "%",
                             [s[0] for s in scores], base_name, "goal >= 95%")
        yield from _compared(f"{label}: out-of-scope not answered as twitching ({n_out})", "%",
                             [s[1] for s in scores], base_name, "goal >= 95%")
        kinds = [_by_kind(data, p) for p in parsers]
        for kind, (_, n) in kinds[0].items():
            wanted = "/".join(i.removeprefix("AMAZON.") for i in EXPECTED_FOR_KIND[kind])
            yield from _compared(f"{label}: {kind.replace('_', ' ')} to {wanted} ({n})", "%",
                                 [k[kind][0] for k in kinds], base_name, "goal >= 95%")
        every += [e["text"] for e in data["in_scope"] + data["out_of_scope"]]
    yield from _red_flags(parsers, base_name)
    n = len(every)
    yield Figure(f"understanding time per utterance ({n})", _ms_per_utterance(nlu.parse, every),
                 "ms", MATCHER_ALONE, _ms_per_utterance(alone.parse, every), "goal <= 1 ms")  # fmt: skip
    yield Figure(f"  {MATCHER_ALONE} time per utterance ({n})", _ms_per_utterance(alone.parse, every),
                 "ms", "exact sample matcher", _ms_per_utterance(exact.parse, every), "")  # fmt: skip
    yield Figure("building from the model and the classifier's data, once per process", build_ms, "ms",
                 "expanding the exact matcher's sentences", exact_build_ms, "paid at start-up")  # fmt: skip
