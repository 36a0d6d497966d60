"""The sentences the recogniser listens for: a weighted word graph (and a bigram model) built from
the interaction model's samples and slot values, with the built-in intents' phrasings from the
lexicon the text simulator uses."""

from __future__ import annotations

import itertools
import logging
import math
import re
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from skill import files
from skill.core.model import InteractionModel, default_model
from skill.errors import VoiceError
from skill.simulator.lexicon import Lexicon

log = logging.getLogger(__name__)

# A slot reference or a word (periods kept inside spoken abbreviations such as "a.l.s.").
_TOKEN = re.compile(r"\{(\w+)\}|([a-z0-9][a-z0-9'.]*)")
_END = ""  # the trie's mark of a sentence's end (no word is empty)
# People's phrasings' share of the bigram model (Grammar.bigrams): chosen on half the dev
# phrasings spoken in two voices, the model built with the other half (0 against 0.3 and 0.5:
# in scope 64 / 69% to 71 / 70% right topic, out of scope 68 / 73% to 78 / 80% not answered
# as twitching, the 76 own questions 91 / 92% to 91 / 91%; 0.5 no better than 0.3).
PHRASINGS_SHARE = 0.3
PHRASINGS = "phrasings.txt"  # their data file, in the content directory
_Trie = dict[str, "_Trie"]


@dataclass(frozen=True)
class Grammar:
    """The sentences the model's samples allow, weighted, as a word graph for pocketsphinx.

    sentences: each sample as words, a slot as "<TYPE>"; weights: each sentence's prior (every
    intent alike, then every sample of an intent alike, every phrase of a slot alike); intents:
    the intents each sentence is a sample of; slots: each slot type's phrases (values and
    synonyms) as words. The graph shares the sentences'
    common beginnings and endings, and a slot is a copy of its phrases on each edge it labels
    (pocketsphinx's own JSGF compiler copies a slot per sentence: gigabytes for this model).
    """

    sentences: tuple[tuple[str, ...], ...]
    weights: tuple[float, ...]
    intents: tuple[frozenset[str], ...]
    slots: Mapping[str, tuple[tuple[str, ...], ...]]

    @classmethod
    def from_model(cls, model: InteractionModel | None = None) -> Grammar:
        """Build the grammar of `model` (by default the interaction model the skill ships)."""
        model = model or default_model()
        builtins = Lexicon.default().builtins  # how people say Alexa's built-in intents
        slots = {
            name: _unique(_words(p) for value in values for p in (value.name, *value.synonyms))
            for name, values in model.types.items()
        }
        by_intent: list[tuple[str, tuple[tuple[str, ...], ...]]] = []
        for intent in model.intents.values():
            sentences: list[tuple[str, ...]] = []
            for sample in (*intent.samples, *builtins.get(intent.name, ())):
                parts: list[str] = []
                for slot, word in _TOKEN.findall(sample.lower()):
                    slot_type = intent.slots.get(slot, "")
                    if slot and not slots.get(slot_type):
                        log.info("grammar leaves out %r: slot {%s} has no values", sample, slot)
                        break
                    parts.append(word.rstrip(".") if word else f"<{slot_type}>")
                else:
                    sentences.append(tuple(parts))
            if _unique(sentences):
                by_intent.append((intent.name, _unique(sentences)))
        if not by_intent:
            raise VoiceError("the interaction model has no samples to build a grammar from")
        weights: dict[tuple[str, ...], float] = {}
        intents: defaultdict[tuple[str, ...], set[str]] = defaultdict(set)
        for name, group in by_intent:
            for sentence in group:
                weights[sentence] = weights.get(sentence, 0.0) + 1.0 / len(by_intent) / len(group)
                intents[sentence].add(name)
        used = {w for sentence in weights for w in sentence if w.startswith("<")}
        return cls(
            sentences=tuple(weights),
            weights=tuple(weights.values()),
            intents=tuple(frozenset(intents[s]) for s in weights),
            slots={f"<{k}>": v for k, v in slots.items() if f"<{k}>" in used},
        )

    def favouring(self, intents: Collection[str], factor: float) -> Grammar:
        """The grammar with the sentences of `intents` `factor` times as likely as they were."""
        favoured = set(intents)
        weights = tuple(w * factor if names & favoured else w
                        for w, names in zip(self.weights, self.intents, strict=True))
        return replace(self, weights=weights)

    @property
    def words(self) -> frozenset[str]:
        """Every word the grammar can hear."""
        found = {w for s in self.sentences for w in s if not w.startswith("<")}
        return frozenset(found | {w for phrases in self.slots.values() for p in phrases for w in p})

    def without(self, unknown: Collection[str]) -> Grammar:
        """The grammar without the sentences and slot phrases that use an `unknown` word."""
        slots = {k: tuple(p for p in v if not set(p) & set(unknown)) for k, v in self.slots.items()}
        kept = [
            i for i, s in enumerate(self.sentences)
            if not set(s) & set(unknown) and all(slots.get(x, True) for x in s if x.startswith("<"))
        ]
        return Grammar(tuple(self.sentences[i] for i in kept), tuple(self.weights[i] for i in kept),
                       tuple(self.intents[i] for i in kept), slots)

    def accepts(self, text: str) -> bool:
        """Whether `text` is one of the grammar's sentences (a walk down their trie, a slot taking
        any of its phrases)."""
        words = _words(text)
        todo = [(self._trie, 0)]
        while todo:
            node, i = todo.pop()
            if i == len(words) and _END in node:
                return True
            if i < len(words) and words[i] in node:
                todo.append((node[words[i]], i + 1))
            for slot in node.keys() & self.slots.keys():
                todo += [(node[slot], i + len(p)) for p in self.slots[slot] if words[i:i + len(p)] == p]
        return False

    @cached_property
    def _trie(self) -> _Trie:
        """The sentences as a trie of their tokens (words and slots), _END closing a sentence."""
        root: _Trie = {}
        for sentence in self.sentences:
            node = root
            for token in sentence:
                node = node.setdefault(token, {})
            node[_END] = {}
        return root

    def bigrams(self, phrasings: Collection[tuple[str, ...]] = (), kept: float = 0.9) -> str:
        """The sentences' word pairs as an ARPA bigram model (slot phrases spread evenly, `kept`
        of each word's mass for the pairs seen, the rest backed off to single words), with
        people's own `phrasings` (as words), together PHRASINGS_SHARE of the whole mass."""
        tokens: defaultdict[str, float] = defaultdict(float)  # words and slots, weighted
        joins: defaultdict[tuple[str, str], float] = defaultdict(float)  # neighbouring tokens
        mass = sum(self.weights)
        each = PHRASINGS_SHARE * mass / (1 - PHRASINGS_SHARE) / len(phrasings) if phrasings else 0.0
        weighted = itertools.chain(zip(self.sentences, self.weights, strict=True),
                                   ((p, each) for p in phrasings))
        for sentence, weight in weighted:
            seq = ("<s>", *sentence, "</s>")
            for token in seq:
                tokens[token] += weight
            for pair in itertools.pairwise(seq):
                joins[pair] += weight
        singles: defaultdict[str, float] = defaultdict(float)
        pairs: defaultdict[tuple[str, str], float] = defaultdict(float)
        for token, weight in tokens.items():
            phrases = self.slots.get(token, ((token,),))
            for phrase in phrases:
                for word in phrase:
                    singles[word] += weight / len(phrases)
                for pair in itertools.pairwise(phrase):
                    pairs[pair] += weight / len(phrases)
        for (left, right), weight in joins.items():
            for one, p1 in self._edge_words(left, last=True).items():
                for two, p2 in self._edge_words(right, last=False).items():
                    pairs[one, two] += weight * p1 * p2
        total = sum(singles.values())
        single = {w: 0.9 * c / total + 0.1 / len(singles) for w, c in singles.items()}
        before: defaultdict[str, float] = defaultdict(float)
        after: dict[str, float] = {}
        for (a, b), c in pairs.items():
            before[a] += c
            after[a] = after.get(a, 0.0) + single[b]
        lines = ["\\data\\", f"ngram 1={len(singles)}", f"ngram 2={len(pairs)}", "", "\\1-grams:"]
        for word in sorted(singles):
            logp = -99.0 if word == "<s>" else math.log10(single[word])
            backoff = math.log10((1 - kept) / max(1e-9, 1 - after[word])) if word in after else 0.0
            lines.append(f"{logp:.6f} {word} {backoff:.6f}")
        lines += ["", "\\2-grams:"]
        lines += [f"{math.log10(kept * c / before[a]):.6f} {a} {b}" for (a, b), c in sorted(pairs.items())]
        return "\n".join([*lines, "", "\\end\\", ""])

    def _edge_words(self, token: str, last: bool) -> dict[str, float]:
        """The words a token ends (`last`) or begins with, and their shares."""
        phrases = self.slots.get(token, ((token,),))
        shares: Counter[str] = Counter(p[-1] if last else p[0] for p in phrases)
        return {word: n / len(phrases) for word, n in shares.items()}

    def transitions(self) -> tuple[int, int, list[tuple[Any, ...]]]:
        """The word graph: start state, final state, (from, to, probability[, word]) edges.

        A slot's values are spelt out once for each state they lead to, entered by an edge
        without a word from every state before them: the same sentences, with a quarter of the
        edges a copy for each use would take (the decoder's work at the end of each question
        grows with them)."""
        graph = _minimal_graph(self.sentences, self.weights)
        ids = {state: i for i, state in enumerate(graph)}
        final = len(ids)
        count = final + 1
        edges: list[tuple[Any, ...]] = []
        entries: dict[tuple[str, int], int] = {}
        for state, (stop, out) in graph.items():
            if stop:
                edges.append((ids[state], final, stop))
            for word, p, target in out:
                if word not in self.slots:
                    edges.append((ids[state], ids[target], p, word))
                    continue
                if (word, target) not in entries:
                    entries[word, target] = count
                    count = _phrase_edges(self.slots[word], count, ids[target], 1.0, count + 1, edges)
                edges.append((ids[state], entries[word, target], p))
        return 0, final, edges


def render_phrasings(dev: Mapping[str, Any]) -> bytes:
    """The data file (content/PHRASINGS) of the dev set's phrasings, in and out of scope, as
    words, one per line, sorted: what the free decoder's word pairs learn from (`make model`)."""
    found = {_words(e["text"]) for part in ("in_scope", "out_of_scope") for e in dev[part]}
    lines = ["# The dev set's phrasings, for the spoken mode's bigram model: written by `make model`."]
    lines += sorted(" ".join(p) for p in found if p)
    return ("\n".join(lines) + "\n").encode("utf-8")


def read_phrasings(path: Path) -> tuple[tuple[str, ...], ...]:
    """The phrasings of a data file render_phrasings wrote; none when there is no such file."""
    if not path.exists():
        return ()

    def unreadable(reason: str) -> VoiceError:
        return VoiceError(f"{path} cannot be read ({reason}): run `make model` to write it again")

    try:  # a regular file of bounded size: never a FIFO's wait or a device's endless bytes
        text = files.read_regular(path, files.MAX_DATA_BYTES, unreadable).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise unreadable(str(exc)) from exc
    lines = (line.strip() for line in text.splitlines())
    return tuple(tuple(line.split()) for line in lines if line and not line.startswith("#"))


_Graph = dict[int, tuple[float, tuple[tuple[str, float, int], ...]]]


def _minimal_graph(sentences: Iterable[tuple[str, ...]], weights: Iterable[float]) -> _Graph:
    """The smallest acyclic weighted automaton for `sentences` with their `weights`: state ->
    (probability of stopping, (word, probability, next state)...), the start state first."""
    children: list[dict[str, int]] = [{}]
    stop = [0.0]
    for sentence, weight in zip(sentences, weights, strict=True):
        node = 0
        for word in sentence:
            if word not in children[node]:
                children.append({})
                stop.append(0.0)
                children[node][word] = len(children) - 1
            node = children[node][word]
        stop[node] += weight
    mass = stop[:]
    for node in reversed(range(len(children))):  # children always come after their parent
        mass[node] += sum(mass[c] for c in children[node].values())
    canonical = list(range(len(children)))
    register: dict[tuple[Any, ...], int] = {}
    for node in reversed(range(len(children))):
        key = (round(stop[node] / mass[node], 9), tuple(sorted(
            (w, round(mass[c] / mass[node], 9), canonical[c]) for w, c in children[node].items()
        )))
        canonical[node] = register.setdefault(key, node)
    graph: _Graph = {}
    todo = [0]
    while todo:
        node = todo.pop()
        if node in graph:
            continue
        out = tuple((w, mass[c] / mass[node], canonical[c]) for w, c in children[node].items())
        graph[node] = (stop[node] / mass[node], out)
        todo.extend(target for _, _, target in out)
    return dict(sorted(graph.items(), key=lambda item: item[0] != 0))


def _phrase_edges(
    phrases: tuple[tuple[str, ...], ...],
    start: int,
    end: int,
    share: float,
    count: int,
    edges: list[tuple[Any, ...]],
) -> int:
    """Add edges from `start` to `end` through a trie of `phrases`, each phrase as likely as the
    next, `share` being the probability of entering; return the next free state number."""
    with_prefix = Counter(p[:i] for p in phrases for i in range(len(p) + 1))
    whole = set(phrases)
    node: dict[tuple[str, ...], int] = {(): start}
    for prefix, word in dict.fromkeys((p[:i], p[i]) for p in phrases for i in range(len(p))):
        longer = (*prefix, word)
        scale = (share if not prefix else 1.0) / with_prefix[prefix]
        if longer in whole:
            edges.append((node[prefix], end, scale, word))
        going_on = with_prefix[longer] - (longer in whole)
        if going_on:
            node[longer] = count
            count += 1
            edges.append((node[prefix], count - 1, scale * going_on, word))
    return count


def _words(phrase: str) -> tuple[str, ...]:
    return tuple(w.rstrip(".") for _, w in _TOKEN.findall(phrase.lower()) if w)


def _unique(phrases: Iterable[tuple[str, ...]]) -> tuple[tuple[str, ...], ...]:
    """The non-empty phrases, each once, in their first order."""
    return tuple(dict.fromkeys(p for p in phrases if p))
