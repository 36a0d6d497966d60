"""Local language understanding: free text to an intent with resolved slots, learned from an Alexa model.

Built from an interaction model alone (skill.core.model.InteractionModel, any model: intents, samples
with {slot} references, custom slot types with ids and synonyms, built-in intents) plus the general
English in lexicon.yaml (skill.simulator.lexicon):

1. Text is folded to plain lowercase words (contractions expanded), lightly stemmed
   (skill.simulator.normalise), and words the model does not use are rewritten to a synonym it
   does use (calf -> leg, coffee -> caffeine).
2. Slot values are spotted: first by the longest run of words equal to a value's name or synonym,
   then by a synonym's subject words all appearing anywhere in the question.
3. Intents are scored by TF-IDF cosine between the question (spotted values abstracted to their
   slot type) and every sample, word pairs included; an intent scores as its best sample.
4. An explicit topic check sends to AMAZON.FallbackIntent what the model is not about: a body part
   or a named condition the model never mentions, or words that match nothing the model knows.
5. Steps 1-4 are the matcher. Its firm decisions stand (a near-exact sample, a built-in phrasing,
   a declined value, an explicit off-topic reason); where it only guesses (a topic from a spotted
   value or a weak sample, or a fallback for want of a match), a trained classifier
   (skill.simulator.classifier, when given) decides instead if its margin reaches TRUST.
"""

from __future__ import annotations

import logging
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from skill.core.handlers import NEAR_MISS_INTENT, RED_FLAG_INTENT
from skill.core.model import SLOT_REF, Intent, InteractionModel, SlotValue
from skill.simulator.classifier import Classifier, features, label, split_label
from skill.simulator.interpretation import FALLBACK, Interpretation, SlotFill
from skill.simulator.lexicon import Lexicon
from skill.simulator.normalise import stem, stems, words
from skill.simulator.spelling import Speller

log = logging.getLogger(__name__)

_HIGH = 0.75  # a near-exact sample: accepted whatever the topic check says
_MID = 0.3  # a good match to a custom intent that shares a subject word with its sample
_LOW = 0.2  # the least score for a question that names something the model is about
_SLOT_ONLY = 0.3  # the least score for a slot value named without any of the anchor words
_NAMED = 0.2  # the same for a value that names a subject of its own (a tic, a hypnic jerk)
_FOLLOW_UP_WORDS = 1  # a subject value with at most this many other words is a follow-up question
_MAX_NO_MATCH_WORDS = 4  # the most words a carrier phrase leaves for an unresolved slot value
# Words that deny what follows them within _DENIAL_REACH words ("no fever", "without having a fever"):
# a red flag denied is not what the question is about.
_DENIALS = frozenset({"no", "without", "never"})
_DENIAL_REACH = 3
# The least margin at which the classifier's choice replaces the matcher's best guess: chosen by
# five-fold cross-validation on the dev set (skill.authoring.training).
TRUST = 8.0

_Words = tuple[str, ...]
# A sample as tokens: its intent, its tokens, and for a one-slot sample the slot type and the
# carrier words before and after the slot (None otherwise).
_SampleTokens = tuple[str, list[str], str | None, _Words | None, _Words | None]


@dataclass(frozen=True)
class _Token:
    text: str  # the canonical stem (or a slot placeholder such as "{TOPIC}")
    start: int  # index of the first original word it stands for
    end: int  # index after the last


@dataclass(frozen=True)
class _Spot:
    type: str
    value: SlotValue
    start: int
    end: int
    exact: bool
    rank: tuple[int, int, int, int]


@dataclass(frozen=True)
class _OffTopic:
    """Why a question is about something the model is not: what kind of thing it names (a
    subject away from the body such as an animal, a condition, a symptom, a body part), the
    phrase, and whether it names the legs or their muscles (a body part or a generic word of
    the model's)."""

    kind: str
    phrase: str
    of_legs: bool

    def __str__(self) -> str:
        return f"{self.kind} the model does not cover: {self.phrase}"


@dataclass(frozen=True)
class _Sample:
    intent: str
    norm: float
    content: frozenset[str]
    prefix: tuple[str, ...] | None  # carrier words before and after the slot, for one-slot samples
    suffix: tuple[str, ...] | None
    slot_type: str | None


class Nlu:
    """Free text to an Interpretation, for one interaction model. Build once; `parse` is fast."""

    def __init__(
        self, model: InteractionModel, lexicon: Lexicon | None = None, classifier: Classifier | None = None
    ) -> None:
        self.model = model
        self.classifier = classifier
        self.lexicon = lexicon or Lexicon.default()
        self._intents = dict(model.intents)
        self._custom = frozenset(name for name in model.intents if not name.startswith("AMAZON."))
        # Intents every sample of which names a slot: only ever chosen with that slot filled.
        self._slot_bound = {
            i.name: frozenset(i.slots.values()) for i in model.intents.values()
            if i.samples and all(SLOT_REF.search(s) for s in i.samples)
        }
        builtin_samples = {
            name: samples for name, samples in self.lexicon.builtins.items() if name in self._intents
        }
        model_vocab = self._model_vocabulary()
        self._speller = Speller(self._known_words(), self.lexicon.english)
        self._rewrites = self._build_rewrites(model_vocab)
        self._max_rewrite = max((len(k) for k in self._rewrites), default=1)
        # Samples as canonical tokens, slots abstracted to their type ("{TOPIC}").
        raw = [(i.name, s) for i in model.intents.values() for s in i.samples]
        raw += [(name, s) for name, samples in builtin_samples.items() for s in samples]
        samples = [self._sample_tokens(name, sample) for name, sample in raw]
        self._generic = self._generic_words(samples)
        self._learn_values()
        # Anchors: the invocation name's subject words (leg, twitch); a question naming none must
        # match a sample well to count as on topic.
        self._anchors = {
            t for w in model.invocation.split() for t in self._canon(w)
            if t not in self.lexicon.stopwords and t in model_vocab
        }  # fmt: skip
        # A body part, condition or symptom only a declining value names ("my arm" for twitching
        # elsewhere, "severe pain" for a concern) is still one the skill does not cover.
        core = self._core_vocabulary()
        self._body_parts = self._classify(self.lexicon.body_parts, core)
        self._conditions = self._classify(self.lexicon.conditions, core)
        self._symptoms = self._classify(self.lexicon.symptoms, core)
        self._subjects = self._classify(self.lexicon.subjects, core)
        self._learn_samples(samples)
        # The types of the intent that sends to a doctor (RedFlagIntent): a value of one spotted
        # anywhere in a question is what it is about, before any other ("twitching and chest pain").
        urgent = model.intents.get(RED_FLAG_INTENT)
        self._urgent = frozenset(urgent.slots.values()) if urgent else frozenset()
        self._elsewhere = self._other_body_part_value()
        self._declined_symptoms = self._declined_symptom_values()
        log.debug(
            "nlu: %d samples, %d slot phrases, %d rewrites",
            len(self._samples), len(self._phrases), len(self._rewrites),
        )  # fmt: skip

    # -- building ---------------------------------------------------------------------------

    def _known_words(self) -> set[str]:
        """Every word, as written, of the model's samples and slot values and of the lexicon."""
        phrases = [s for i in self.model.intents.values() for s in i.samples]
        phrases += [p for values in self.model.types.values() for v in values for p in (v.name, *v.synonyms)]
        lex = self.lexicon
        phrases += [p for group in lex.synonyms for p in group]
        phrases += [*lex.body_parts, *lex.conditions, *lex.symptoms, *lex.subjects]
        phrases += [p for group in lex.builtins.values() for p in group]
        return {w for p in phrases for w in words(SLOT_REF.sub(" ", p))} | set(lex.stopwords)

    def _model_vocabulary(self) -> set[str]:
        """Every stem the model's samples and slot values use."""
        vocab: set[str] = set()
        for intent in self.model.intents.values():
            for sample in intent.samples:
                vocab.update(stems(SLOT_REF.sub(" ", sample)))
        for values in self.model.types.values():
            for v in values:
                for phrase in (v.name, *v.synonyms):
                    vocab.update(stems(phrase))
        return vocab

    def _generic_words(self, samples: Sequence[_SampleTokens]) -> set[str]:
        """The invocation name's words and those in a tenth or more of the custom samples (leg,
        twitch, muscle): they say a question is on topic but not which topic."""
        df: dict[str, int] = defaultdict(int)
        custom = [toks for name, toks, *_ in samples if name in self._custom]
        for toks in custom:
            for t in set(toks):
                df[t] += 1
        generic = {t for w in self.model.invocation.split() for t in self._canon(w)}
        return generic | {
            t for t, c in df.items()
            if c >= 0.1 * len(custom) and not t.startswith("{") and t not in self.lexicon.stopwords
        }  # fmt: skip

    def _learn_values(self) -> None:
        """Slot values: a phrase index for exact runs, subject-word sets for anywhere matches."""
        self._phrases: dict[tuple[str, ...], list[tuple[str, SlotValue]]] = defaultdict(list)
        self._bags: list[tuple[frozenset[str], str, SlotValue]] = []
        for type_name, values in self.model.types.items():
            for v in values:
                for phrase in dict.fromkeys((v.name, *v.synonyms)):
                    toks = tuple(tok.text for tok in self._tokens(words(phrase)))
                    if not toks:
                        continue
                    if (type_name, v) not in self._phrases[toks]:
                        self._phrases[toks].append((type_name, v))
                    bag = frozenset(x for x in toks if x not in self.lexicon.stopwords)
                    # Words found anywhere stand for the phrase only if they are most of it:
                    # "all over the body" is not "body".
                    if bag and 2 * len(bag) >= len(toks) and (bag, type_name, v) not in self._bags:
                        self._bags.append((bag, type_name, v))
        self._max_phrase = max((len(k) for k in self._phrases), default=1)

    def _learn_samples(self, samples: Sequence[_SampleTokens]) -> None:
        """TF-IDF over words and word pairs of every sample, with an inverted index."""
        df: dict[str, int] = defaultdict(int)
        for _, toks, *_ in samples:
            for f in set(_features(toks)):
                df[f] += 1
        n = len(samples) + 1
        self._idf = {f: math.log(n / (c + 1)) + 1.0 for f, c in df.items()}
        self._unknown_idf = math.log(n) + 1.0
        self._samples: list[_Sample] = []
        self._index: dict[str, list[int]] = defaultdict(list)
        self._builtin_vocab: dict[str, set[str]] = defaultdict(set)
        seen: set[tuple[str, frozenset[str], _Words | None, _Words | None]] = set()
        for intent_name, toks, slot_type, prefix, suffix in samples:
            if intent_name not in self._custom:
                self._builtin_vocab[intent_name].update(toks)
            fs = frozenset(_features(toks))
            if not fs or (intent_name, fs, prefix, suffix) in seen:
                continue
            seen.add((intent_name, fs, prefix, suffix))
            norm = math.sqrt(sum(self._idf[f] ** 2 for f in fs))
            content = frozenset(t for t in toks if t not in self.lexicon.stopwords)
            for f in fs:
                self._index[f].append(len(self._samples))
            self._samples.append(_Sample(intent_name, norm, content, prefix, suffix, slot_type))
        self._sample_intent = [sm.intent for sm in self._samples]
        self._sample_norm = [sm.norm for sm in self._samples]

    def _build_rewrites(self, model_vocab: set[str]) -> dict[tuple[str, ...], tuple[str, ...]]:
        """Map synonym-group phrases to the group's first phrase the model uses.

        A phrase the model uses itself is rewritten only when that cannot blur two slot values:
        when no two members of its group are (whole) synonyms of different values.
        """
        named: dict[tuple[str, ...], set[str]] = defaultdict(set)
        for type_name, values in self.model.types.items():
            for v in values:
                for phrase in (v.name, *v.synonyms):
                    named[stems(phrase)].add(f"{type_name}/{v.id}")
        rewrites: dict[tuple[str, ...], tuple[str, ...]] = {}
        for group in self.lexicon.synonyms:
            phrases = [s for s in (stems(p) for p in group) if s]
            target = next((s for s in phrases if all(w in model_vocab for w in s)), None)
            if target is None:
                continue
            merge = len(set().union(*(named.get(s, set()) for s in phrases))) <= 1
            for s in phrases:
                used = all(w in model_vocab for w in s)
                if s != target and (merge or not used):
                    rewrites.setdefault(s, target)
        return rewrites

    def _classify(self, phrases: Iterable[str], model_vocab: set[str]) -> dict[tuple[str, ...], bool]:
        """Phrase (canonical stems) -> whether the model knows it (itself or through a synonym)."""
        out: dict[tuple[str, ...], bool] = {}
        for phrase in phrases:
            raw = stems(phrase)
            canon = tuple(t.text for t in self._tokens(words(phrase)))
            known = bool(canon) and all(w in model_vocab for w in canon) and (
                canon != raw or all(w in model_vocab for w in raw)
            )
            out[raw] = known
            out[canon] = out.get(canon, False) or known
        return out

    def _core_vocabulary(self) -> set[str]:
        """Every stem the model uses outside what it declines: the values only slot-bound intents
        take (near misses, concerns) and the fallback's samples."""
        bound = {t for types in self._slot_bound.values() for t in types}
        answered = {t for i in self.model.intents.values() if i.name not in self._slot_bound
                    for t in i.slots.values()}
        core: set[str] = set()
        for intent in self.model.intents.values():
            if intent.name == FALLBACK:  # its samples are what the skill declines
                continue
            for sample in intent.samples:
                core.update(stems(SLOT_REF.sub(" ", sample)))
        for type_name, values in self.model.types.items():
            if type_name in answered or type_name not in bound:
                core.update(w for v in values for p in (v.name, *v.synonyms) for w in stems(p))
        return core

    def _other_body_part_value(self) -> tuple[str, str, SlotValue] | None:
        """The value a slot-bound intent takes for twitching elsewhere in the body: the one whose
        synonyms name the most body parts the skill does not cover ("my arm", "my hand"), as
        (intent, slot type, value); None if no value names two."""
        parts = {p[0] for p, known in self._body_parts.items() if not known and len(p) == 1}
        best: tuple[int, tuple[str, str, SlotValue] | None] = (1, None)
        for name, types in self._slot_bound.items():
            for type_name in sorted(types):
                for v in self.model.types.get(type_name, ()):
                    named = sum(bool(set(stems(p)) & parts) for p in v.synonyms)
                    if named > best[0]:
                        best = (named, (name, type_name, v))
        return best[1]

    def _declined_symptom_values(self) -> dict[tuple[str, ...], tuple[str, str, SlotValue]]:
        """For each symptom the skill does not cover, the value of the same slot as twitching
        elsewhere (the near misses) whose synonyms name it most often ("pain", "sore" -> "leg
        pain"), as (intent, slot type, value): a question about that symptom in the legs is that
        near miss. A tie goes to the value that names it most often with only the model's generic
        words beside it ("leg pain" rather than "sciatic pain")."""
        if self._elsewhere is None:
            return {}
        intent, type_name, _ = self._elsewhere
        said = {v: [set(stems(p)) for p in (v.name, *v.synonyms)]
                for v in self.model.types.get(type_name, ())}
        plain = self._generic | set(stems(" ".join(self.lexicon.stopwords)))
        out: dict[tuple[str, ...], tuple[str, str, SlotValue]] = {}

        def naming(value: SlotValue, symptom: set[str]) -> tuple[int, int]:
            others = [words - symptom for words in said[value] if symptom <= words]
            return len(others), sum(all(self._canon(w)[0] in plain for w in rest) for rest in others)

        for phrase in (p for p, known in self._symptoms.items() if not known):
            scores = {v: naming(v, set(phrase)) for v in said}
            value = max(scores, key=scores.__getitem__, default=None)
            if value is not None and scores[value][0]:
                out[phrase] = (intent, type_name, value)
        return out

    def _sample_tokens(self, intent_name: str, sample: str) -> _SampleTokens:
        intent = self._intents[intent_name]
        slot_names = dict(intent.slots)
        toks: list[str] = []
        refs = SLOT_REF.findall(sample)
        for i, part in enumerate(SLOT_REF.split(sample)):
            if i % 2:
                toks.append("{" + slot_names.get(part, part) + "}")
            else:
                toks.extend(t.text for t in self._tokens(words(part)))
        if len(refs) == 1 and refs[0] in slot_names:
            slot_type = slot_names[refs[0]]
            at = toks.index("{" + slot_type + "}")
            return intent_name, toks, slot_type, tuple(toks[:at]), tuple(toks[at + 1 :])
        return intent_name, toks, None, None, None

    # -- analysis ---------------------------------------------------------------------------

    def _canon(self, word: str) -> tuple[str, ...]:
        s = (stem(word),)
        return self._rewrites.get(s, s)

    def _tokens(self, ws: Sequence[str]) -> list[_Token]:
        """Stems with synonym phrases the model does not use rewritten (longest phrase first)."""
        stemmed = [stem(self._speller.correct(w)) for w in ws]
        out: list[_Token] = []
        i = 0
        while i < len(stemmed):
            for n in range(min(self._max_rewrite, len(stemmed) - i), 0, -1):
                target = self._rewrites.get(tuple(stemmed[i : i + n]))
                if target is not None:
                    out.extend(_Token(t, i, i + n) for t in target)
                    i += n
                    break
            else:
                out.append(_Token(stemmed[i], i, i + 1))
                i += 1
        return out

    def _spots(self, toks: list[_Token]) -> list[_Spot]:
        texts = [t.text for t in toks]
        spots: list[_Spot] = []
        covered: set[int] = set()
        i = 0
        while i < len(texts):
            for n in range(min(self._max_phrase, len(texts) - i), 0, -1):
                hits = self._phrases.get(tuple(texts[i : i + n]))
                if hits:
                    for type_name, value in hits:
                        spots.append(self._spot(type_name, value, toks, i, i + n, True))
                    covered.update(range(i, i + n))
                    i += n
                    break
            else:
                i += 1
        # A value's words found anywhere may reuse words of an exact value if it has words of its
        # own besides ("babies get hiccups in the womb": a baby, but in the womb).
        present = {x: k for k, x in enumerate(texts)}
        free = {x for k, x in enumerate(texts) if k not in covered}
        seen = {(s.type, s.value.id) for s in spots}
        for bag, type_name, value in self._bags:
            if (type_name, value.id) in seen or not bag.issubset(present) or not bag & free:
                continue
            at = sorted(present[x] for x in bag)
            # A red flag's loose words must lie close together: "lots of times ... I jerk awake"
            # is no "twitching all the time".
            if type_name in self._urgent and at[-1] - at[0] >= 2 * len(bag):
                continue
            spots.append(self._spot(type_name, value, toks, at[0], at[-1] + 1, False, bag))
            seen.add((type_name, value.id))
        return spots

    def _spot(
        self, type_name: str, value: SlotValue, toks: list[_Token], i: int, j: int, exact: bool,
        bag: frozenset[str] | None = None,
    ) -> _Spot:  # fmt: skip
        subject = [x for x in (bag or (t.text for t in toks[i:j])) if x not in self.lexicon.stopwords]
        if subject and all(x in self._generic for x in subject):
            kind = 0
        elif subject and all(x in self.lexicon.settings or x in self._generic for x in subject):
            kind = 1
        else:
            kind = 2
        rank = (kind, int(exact), len(subject), -i)
        return _Spot(type_name, value, toks[i].start, toks[j - 1].end, exact, rank)

    def _best_per_intent(self, feats: set[str]) -> dict[str, tuple[float, int]]:
        """Each intent's best sample (cosine, sample index) for these features."""
        idf, index = self._idf, self._index
        dots: dict[int, float] = defaultdict(float)
        squares = 0.0
        for f in feats:
            w = idf.get(f)
            if w is None:
                squares += self._unknown_idf**2
                continue
            w2 = w * w
            squares += w2
            for k in index[f]:
                dots[k] += w2
        qn = math.sqrt(squares) or 1.0
        best: dict[str, tuple[float, int]] = {}
        intent_of, norms = self._sample_intent, self._sample_norm
        for k, d in dots.items():
            score = d / (qn * norms[k])
            name = intent_of[k]
            if name not in best or score > best[name][0]:
                best[name] = (score, k)
        return best

    @staticmethod
    def labels(model: InteractionModel) -> set[str]:
        """The classifier labels `model` can answer: each intent, and each with a value of a slot
        type it takes."""
        return {label(intent.name, value_id) for intent in model.intents.values()
                for value_id in (None, *(v.id for t in intent.slots.values()
                                         for v in model.types.get(t, ())))}

    # -- the public entry point -------------------------------------------------------------

    def parse(self, text: str) -> Interpretation:
        """Interpret one utterance (checked with skill.simulator.utterance.check_utterance, or raw):
        the matcher's firm decisions stand; otherwise a confident classifier chooses the answer."""
        matched, firm = self._match(text)
        if firm or self.classifier is None:
            return matched
        best, margin = self.classifier.predict(self.features(text))
        if best is None or margin < TRUST:
            return matched
        if matched.intent == FALLBACK and best == NEAR_MISS_INTENT:
            # A near miss it cannot name is no better than the fallback the matcher found, and
            # says less to a request that is no health question at all ("good morning").
            return matched
        return self._labelled(best, margin)

    def features(self, text: str) -> list[str]:
        """The classifier's features of `text`: its canonical words and the words as written."""
        ws = words(text)
        return features([t.text for t in self._tokens(ws)], ws)

    def _labelled(self, name_and_value: str, margin: float) -> Interpretation:
        """The interpretation a classifier label names: its intent, the value's slot filled."""
        name, value_id = split_label(name_and_value)
        intent = self._intents[name]
        slots = []
        for slot_name, type_name in intent.slots.items():
            value = next((v for v in self.model.types.get(type_name, ()) if v.id == value_id), None)
            heard = (value.name, value.id, value.name) if value else ()
            slots.append(SlotFill(slot_name, type_name, *heard))
        return Interpretation(name, tuple(slots), f"classifier ({margin:.1f})")

    def _match(self, text: str) -> tuple[Interpretation, bool]:
        """The matcher's interpretation, and whether it is firm: a near-exact sample, a built-in
        phrasing, a declined value or an explicit off-topic reason, rather than a best guess."""
        ws = words(text)
        toks = self._tokens(ws)
        texts = [t.text for t in toks]
        if not texts:
            return self._fallback("no words"), True
        spots = [s for s in self._spots(toks) if not (s.type in self._urgent and _denied(toks, s))]
        best_spot: dict[str, _Spot] = {}
        for s in spots:
            if s.type not in best_spot or s.rank > best_spot[s.type].rank:
                best_spot[s.type] = s
        every = self._rank(texts, self._abstract(toks, spots, best_spot))
        ranked = [
            (name, score) for name, score in every
            if name not in self._slot_bound or self._slot_bound[name] & best_spot.keys()
        ]
        best_name, (best_score, best_k) = ranked[0] if ranked else (FALLBACK, (0.0, -1))
        carrier_k = every[0][1][1] if every else -1  # a carrier phrase may hold an unknown value
        content = {x for x in texts if x not in self.lexicon.stopwords}
        anchors = content & self._anchors

        # A value only a slot-bound intent takes (a disease, a near miss) is what the question is
        # about, whatever else it names ("what causes legs to go numb" is no twitching question).
        bound = any(t in types for types in self._slot_bound.values() for t in best_spot)
        urgent = bool(self._urgent & best_spot.keys())
        declined = bound and (best_name not in self._slot_bound or urgent and best_name != RED_FLAG_INTENT)
        if not anchors:
            # Words all from one built-in intent's phrasings ("yeah sure", "no thank you"), or one
            # of them said whole although a value holds its words ("stop it" is no remedies question).
            for name, (sc, _) in ranked:
                if name not in self._custom and set(texts) <= self._builtin_vocab.get(name, set()) \
                        and (not best_spot or sc >= _HIGH):
                    return self._result(name, best_spot, ws, sc, "built-in phrasing words"), True
        # A built-in intent near a question that also names a value ("how do I stop it") only
        # stands if every word is one of its phrasings' (as "stop it" is, above).
        builtin_over_value = best_name not in self._custom and bool(best_spot)
        if best_score >= _HIGH and not declined and not builtin_over_value and (
            best_name not in self._custom or self._off_topic(texts) is None
        ):
            no_match = None if best_spot or not anchors else self._carrier(toks, ws, carrier_k)
            return no_match or self._result(best_name, best_spot, ws, best_score, "near-exact sample"), True
        # Otherwise a condition or body part the model does not know makes the question off-topic.
        off = None if bound else self._off_topic(texts)
        if off is not None:
            return self._declined(off, toks, ws, anchors), True
        slot_intents = [
            (name, sc) for name, (sc, _) in ranked
            if any(_slot_for_type(self._intents[name], t) for t in best_spot)
        ]  # fmt: skip
        if best_spot and not slot_intents:
            slot_intents = [
                (i.name, 0.0) for i in self.model.intents.values()
                if any(_slot_for_type(i, t) for t in best_spot)
            ]
        # A specific value ("ALS", "leg cramps") outranks a generic one ("leg twitching") of
        # another slot type: the intent that takes the more specific value comes first.
        # Between values alike, the one only a slot-bound intent takes (a near miss, a concern)
        # is what the question is about: "tics that come with OCD" is not a nervous tic question.
        slot_intents.sort(key=lambda item: (item[0] != RED_FLAG_INTENT or not urgent, -max(
            best_spot[t].rank[0] for t in best_spot if _slot_for_type(self._intents[item[0]], t)
        ), item[0] not in self._slot_bound))
        covered = {i for sp in best_spot.values() for i in range(sp.start, sp.end)}
        rest = {t.text for t in toks if t.start not in covered} - self.lexicon.stopwords
        follow_up = any(sp.rank[0] == 2 for sp in best_spot.values()) and len(rest) <= _FOLLOW_UP_WORDS
        # A value that names its own subject (a tic, a hypnic jerk; more than a body part) is
        # enough to be on topic in a longer question with no leg or twitch word, at a lower score.
        named = any(self._names_subject(sp, toks) for sp in best_spot.values())
        low = _NAMED if named else _SLOT_ONLY
        if slot_intents and (anchors or follow_up or bound or slot_intents[0][1] >= low):
            name, sc = slot_intents[0]
            # Another custom intent wins over a slot value if it matches clearly better through
            # words of its own (any margin, if the value spotted is only generic words), but never
            # over a value that names its own subject ("how do I stop a nervous tic" asks about
            # tics: that answer says who treats them; a setting such as "at night" may yield).
            kind = max(sp.rank[0] for sp in best_spot.values())
            margin = (0.0, 0.25, math.inf)[kind]
            own = rest & self._samples[best_k].content
            if best_name in self._custom and best_name != name and own and best_score > sc + margin:
                return self._result(best_name, best_spot, ws, best_score, "custom intent over slot"), False
            return self._result(name, best_spot, ws, sc, "slot value spotted"), name in self._slot_bound
        no_match = self._carrier(toks, ws, carrier_k)
        if no_match is not None and anchors:
            return no_match, True
        if best_name in self._custom and best_score >= _LOW and anchors:
            return self._result(best_name, best_spot, ws, best_score, "on topic"), False
        shared = content & self._samples[best_k].content if best_k >= 0 else set()
        if best_name in self._custom and best_score >= _MID and shared:
            return self._result(best_name, best_spot, ws, best_score, "close to a sample"), False
        if anchors:
            custom = next(((n, sc) for n, (sc, _) in ranked if n in self._custom), None)
            if custom is not None:
                return self._result(custom[0], best_spot, ws, custom[1], "on topic, weak sample"), False
        return self._fallback(f"nothing the model is about (best {best_name} {best_score:.2f})"), False

    def _abstract(self, toks: list[_Token], spots: list[_Spot], best: Mapping[str, _Spot]) -> list[str]:
        """The words with every spotted value replaced by its slot type ("{TOPIC}")."""
        abstracted: list[str] = []
        spot_at = {k: s for s in spots if s.exact for k in range(s.start, s.end)}
        for t in toks:
            s = spot_at.get(t.start)
            if s is None:
                abstracted.append(t.text)
            elif not abstracted or abstracted[-1] != "{" + s.type + "}":
                abstracted.append("{" + s.type + "}")
        abstracted += ["{" + s.type + "}" for s in best.values() if not s.exact]
        return abstracted

    def _rank(self, texts: list[str], abstracted: list[str]) -> list[tuple[str, tuple[float, int]]]:
        """Intents by their best sample, best first. Each sample scores its better match: with
        spotted values abstracted, or as plain words ("how do I stop it" still meets "how do I
        stop my leg twitching")."""
        per_intent = self._best_per_intent(set(_features(abstracted)))
        if abstracted != texts:
            for name, (sc, k) in self._best_per_intent(set(_features(texts))).items():
                if name not in per_intent or sc > per_intent[name][0]:
                    per_intent[name] = (sc, k)
        return sorted(per_intent.items(), key=lambda kv: -kv[1][0])

    def _declined(
        self, off: _OffTopic, toks: list[_Token], ws: list[str], anchors: set[str]
    ) -> Interpretation:
        """The answer to a question about something the model does not cover: the value that says
        so where there is one, rather than a plain fallback. Twitching of a body part the model
        does not cover (an eyelid, a lip) gets the value for twitching elsewhere; a symptom it does
        not cover, in the legs or their muscles ("why are my thighs sore"), the near miss naming it."""
        found, phrase = None, tuple(off.phrase.split())
        if off.kind == "body part" and anchors:
            found = self._elsewhere
        elif off.kind == "symptom" and off.of_legs:
            found = self._declined_symptoms.get(phrase)
        texts = [t.text for t in toks]
        at = next((i for i in range(len(toks)) if tuple(texts[i : i + len(phrase)]) == phrase), None)
        if found is None or at is None:
            return self._fallback(str(off))
        intent, type_name, value = found
        spot = _Spot(type_name, value, toks[at].start, toks[at + len(phrase) - 1].end, False, (2, 0, 1, 0))
        return self._result(intent, {type_name: spot}, ws, 0.0, str(off))

    def _off_topic(self, texts: list[str]) -> _OffTopic | None:
        """Why the words are about something the model is not, or None if they are not."""
        parts_known, parts_foreign = False, []
        foreign: dict[str, list[str]] = {"condition": [], "symptom": [], "subject": []}
        kinds = (("condition", self._conditions), ("symptom", self._symptoms), ("subject", self._subjects))
        for i in range(len(texts)):
            for size in (3, 2, 1):
                phrase = tuple(texts[i : i + size])
                if len(phrase) < size:
                    continue
                if phrase in self._body_parts:
                    if self._body_parts[phrase]:
                        parts_known = True
                    else:
                        parts_foreign.append(" ".join(phrase))
                for kind, table in kinds:
                    if phrase in table and not table[phrase]:
                        foreign[kind].append(" ".join(phrase))
        of_legs = parts_known or bool(set(texts) & self._generic)
        if foreign["subject"]:
            return _OffTopic("subject", foreign["subject"][0], of_legs)
        about = bool(set(texts) & (self._anchors - self._body_words()))
        for kind in ("condition", "symptom"):
            if foreign[kind] and not about:
                return _OffTopic(kind, foreign[kind][0], of_legs)
        if parts_foreign and not parts_known:
            return _OffTopic("body part", parts_foreign[0], of_legs)
        return None

    def _names_subject(self, spot: _Spot, toks: list[_Token]) -> bool:
        """Whether an exactly heard value names a subject of its own: words beyond the generic
        ones, the settings and the body parts."""
        words_of = {t.text for t in toks if spot.start <= t.start and t.end <= spot.end}
        plain = self._generic | set(self.lexicon.settings) | self._body_words() | set(self.lexicon.stopwords)
        return spot.exact and spot.rank[0] == 2 and bool(words_of - plain)

    def _body_words(self) -> set[str]:
        return {p[0] for p, known in self._body_parts.items() if known and len(p) == 1}

    def _carrier(self, toks: list[_Token], ws: list[str], k: int) -> Interpretation | None:
        """An unresolved slot value: the words a one-slot sample's carrier phrase leaves over."""
        texts = [t.text for t in toks]
        if k < 0:
            return None
        sample = self._samples[k]
        if sample.slot_type is None or sample.prefix is None or sample.suffix is None:
            return None
        p, s = len(sample.prefix), len(sample.suffix)
        if tuple(texts[:p]) != sample.prefix or (s and tuple(texts[-s:]) != sample.suffix):
            return None
        middle = len(texts) - p - s
        if not 0 < middle <= _MAX_NO_MATCH_WORDS:
            return None
        intent = self._intents[sample.intent]
        slot_name = _slot_for_type(intent, sample.slot_type) or ""
        heard = " ".join(ws[toks[p].start : toks[len(toks) - s - 1].end])
        slots = tuple(
            SlotFill(name, typ, heard if name == slot_name else None) for name, typ in intent.slots.items()
        )
        return Interpretation(intent.name, slots, "carrier phrase, value not in the model")

    def _result(
        self, name: str, best_spot: Mapping[str, _Spot], ws: list[str], score: float, why: str
    ) -> Interpretation:
        intent = self._intents[name]
        slots = []
        for slot_name, type_name in intent.slots.items():
            s = best_spot.get(type_name)
            if s is None:
                slots.append(SlotFill(slot_name, type_name))
            else:
                heard = " ".join(ws[s.start : s.end])
                slots.append(SlotFill(slot_name, type_name, heard, s.value.id, s.value.name))
        return Interpretation(name, tuple(slots), f"{why} ({score:.3f})")

    def _fallback(self, why: str) -> Interpretation:
        return Interpretation(FALLBACK, (), why)


def _denied(toks: Sequence[_Token], spot: _Spot) -> bool:
    """Whether a value is said not to be there ("shivering without a fever", "no pain"): a word
    of denial among the _DENIAL_REACH words before it."""
    at = next((k for k, t in enumerate(toks) if t.start >= spot.start), len(toks))
    return any(t.text in _DENIALS for t in toks[max(0, at - _DENIAL_REACH) : at])


def _slot_for_type(intent: Intent, type_name: str) -> str | None:
    return next((name for name, typ in intent.slots.items() if typ == type_name), None)


def _features(toks: Sequence[str]) -> list[str]:
    return [*toks, *(f"{a} {b}" for a, b in zip(toks, toks[1:], strict=False))]
