"""Speech in: offline pocketsphinx recognition within a grammar built from the interaction model."""

from __future__ import annotations

import array
import itertools
import logging
import math
import os
import random
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import wave
from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from skill.core.model import InteractionModel, default_model
from skill.errors import EngineMissingError, NoDeviceError, VoiceError
from skill.voice import speaker as voice

log = logging.getLogger(__name__)

RECORDER_ENV = "LEGTWITCH_RECORDER"
SAMPLE_RATE = 16000  # what the en-us acoustic model of pocketsphinx was trained on
# Recordings are framed by a quarter second of faint noise and decoded with dither on: digital
# silence (eSpeak NG writes exact zeros) has no log energy, and pocketsphinx then loses the
# sentence's end (measured on a first small grammar and six eSpeak NG voices: 85% of sentences
# came back exact instead of 56%).
_RNG = random.Random(0)
_MARGIN = array.array("h", (_RNG.randint(-30, 30) for _ in range(SAMPLE_RATE // 4))).tobytes()
MIN_SPEECH = 0.15  # seconds of speech below which a recording holds no question
INSTALL_EXTRA = "pocketsphinx is not installed: pip install 'legtwitch[voice]'"

# Phrases for Amazon's built-in intents, which Alexa knows without samples in the model.
BUILTIN_PHRASES: dict[str, tuple[str, ...]] = {
    "AMAZON.HelpIntent": ("help", "help me", "what can i say", "what can you do"),
    "AMAZON.StopIntent": ("stop", "quit", "exit", "goodbye", "that's all"),
    "AMAZON.CancelIntent": ("cancel", "never mind", "forget it"),
    "AMAZON.YesIntent": ("yes", "yeah", "yes please", "sure", "okay"),
    "AMAZON.NoIntent": ("no", "nope", "no thanks", "no thank you"),
    "AMAZON.RepeatIntent": ("repeat", "repeat that", "say that again", "say it again"),
    "AMAZON.NavigateHomeIntent": ("go home", "start over", "main menu"),
}

# eSpeak NG's ASCII phonemes (espeak-ng -x) to the ARPABET phones of the en-us acoustic model,
# for words the pronunciation dictionary lacks (myoclonus, hypnic, ...).
_ESPEAK_TO_ARPABET: dict[str, str] = {
    "a": "AE", "aa": "AE", "a#": "AH", "A:": "AA", "A@": "AA R", "A": "AA", "0": "AA", "0#": "AA",
    "aI": "AY", "aI@": "AY ER", "aI3": "AY ER", "aU": "AW", "aU@": "AW ER",
    "e": "EH", "E": "EH", "e@": "EH R", "eI": "EY", "@": "AH", "@-": "AH", "@2": "AH", "@5": "AH",
    "@L": "AH L", "3": "ER", "3:": "ER", "i": "IY", "i:": "IY", "i@": "IY ER", "i@3": "IY ER",
    "I": "IH", "I2": "IH", "I#": "IH", "o@": "AO R", "O": "AO", "O:": "AO", "O@": "AO R",
    "OI": "OY", "oU": "OW", "oU#": "OW", "U": "UH", "u:": "UW", "U@": "UH R", "V": "AH",
    "p": "P", "b": "B", "t": "T", "t#": "T", "d": "D", "k": "K", "g": "G", "f": "F", "v": "V",
    "T": "TH", "D": "DH", "s": "S", "z": "Z", "S": "SH", "Z": "ZH", "h": "HH", "m": "M",
    "n": "N", "n-": "N", "N": "NG", "l": "L", "l-": "L", "r": "R", "r-": "R", "w": "W",
    "j": "Y", "tS": "CH", "dZ": "JH", "?": "", "x": "K", "C": "HH",
}
_STRESS = re.compile(r"[',;%=_!:]+$|^[',;%=_!]+")
_TOKEN = re.compile(r"\{(\w+)\}|([a-z0-9][a-z0-9'.]*)")


@dataclass(frozen=True)
class Recognition:
    """What was heard: text (empty when nothing matched), audio and decoding time in seconds."""

    text: str
    audio_seconds: float
    decode_seconds: float

    @property
    def real_time_factor(self) -> float:
        """Decoding time over audio time: below 1 is faster than real time."""
        return self.decode_seconds / self.audio_seconds if self.audio_seconds else 0.0


@dataclass(frozen=True)
class Grammar:
    """The sentences the model's samples allow, weighted, as a word graph for pocketsphinx.

    sentences: each sample as words, a slot as "<TYPE>"; weights: each sentence's prior (every
    intent alike, then every sample of an intent alike, every phrase of a slot alike); slots:
    each slot type's phrases (values and synonyms) as words. The graph shares the sentences'
    common beginnings and endings, and a slot is a copy of its phrases on each edge it labels
    (pocketsphinx's own JSGF compiler copies a slot per sentence: gigabytes for this model).
    """

    sentences: tuple[tuple[str, ...], ...]
    weights: tuple[float, ...]
    slots: Mapping[str, tuple[tuple[str, ...], ...]]

    @classmethod
    def from_model(cls, model: InteractionModel | None = None) -> Grammar:
        """Build the grammar of `model` (by default the interaction model the skill ships)."""
        model = model or default_model()
        slots = {
            name: _unique(_words(p) for value in values for p in (value.name, *value.synonyms))
            for name, values in model.types.items()
        }
        by_intent: list[tuple[tuple[str, ...], ...]] = []
        for intent in model.intents.values():
            sentences: list[tuple[str, ...]] = []
            for sample in (*intent.samples, *BUILTIN_PHRASES.get(intent.name, ())):
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
                by_intent.append(_unique(sentences))
        if not by_intent:
            raise VoiceError("the interaction model has no samples to build a grammar from")
        weights: dict[tuple[str, ...], float] = {}
        for group in by_intent:
            for sentence in group:
                weights[sentence] = weights.get(sentence, 0.0) + 1.0 / len(by_intent) / len(group)
        used = {w for sentence in weights for w in sentence if w.startswith("<")}
        return cls(
            sentences=tuple(weights),
            weights=tuple(weights.values()),
            slots={f"<{k}>": v for k, v in slots.items() if f"<{k}>" in used},
        )

    @property
    def words(self) -> frozenset[str]:
        """Every word the grammar can hear."""
        found = {w for s in self.sentences for w in s if not w.startswith("<")}
        return frozenset(found | {w for phrases in self.slots.values() for p in phrases for w in p})

    def without(self, unknown: Collection[str]) -> Grammar:
        """The grammar without the sentences and slot phrases that use an `unknown` word."""
        slots = {k: tuple(p for p in v if not set(p) & set(unknown)) for k, v in self.slots.items()}
        kept = [
            (s, w) for s, w in zip(self.sentences, self.weights, strict=True)
            if not set(s) & set(unknown) and all(slots.get(x, True) for x in s if x.startswith("<"))
        ]
        return Grammar(tuple(s for s, _ in kept), tuple(w for _, w in kept), slots)

    def accepts(self, text: str) -> bool:
        """Whether `text` is one of the grammar's sentences."""
        words = _words(text)
        return any(self._match(sentence, words) for sentence in self.sentences)

    def _match(self, sentence: tuple[str, ...], words: tuple[str, ...]) -> bool:
        if not sentence:
            return not words
        head, rest = sentence[0], sentence[1:]
        if head not in self.slots:
            return bool(words) and words[0] == head and self._match(rest, words[1:])
        return any(
            words[: len(p)] == p and self._match(rest, words[len(p):]) for p in self.slots[head]
        )

    def bigrams(self, kept: float = 0.9) -> str:
        """The sentences' word pairs as an ARPA bigram model (slot phrases spread evenly, `kept`
        of each word's mass for the pairs seen, the rest backed off to single words)."""
        tokens: Counter[str] = Counter()  # words and slots, weighted
        joins: Counter[tuple[str, str]] = Counter()  # neighbouring tokens, weighted
        for sentence, weight in zip(self.sentences, self.weights, strict=True):
            seq = ("<s>", *sentence, "</s>")
            for token in seq:
                tokens[token] += weight
            for pair in itertools.pairwise(seq):
                joins[pair] += weight
        singles: Counter[str] = Counter()
        pairs: Counter[tuple[str, str]] = Counter()
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
        before: Counter[str] = Counter()
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
        """The word graph: start state, final state, (from, to, probability[, word]) edges."""
        graph = _minimal_graph(self.sentences, self.weights)
        ids = {state: i for i, state in enumerate(graph)}
        final = len(ids)
        count = final + 1
        edges: list[tuple[Any, ...]] = []
        for state, (stop, out) in graph.items():
            if stop:
                edges.append((ids[state], final, stop))
            for word, p, target in out:
                if word in self.slots:
                    count = _phrase_edges(self.slots[word], ids[state], ids[target], p,
                                          count, edges)
                else:
                    edges.append((ids[state], ids[target], p, word))
        return 0, final, edges


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
    node = {(): start}
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


def espeak_pronunciations(words: Iterable[str]) -> dict[str, str]:
    """ARPABET pronunciations of `words` from eSpeak NG's phonemes; empty without espeak-ng."""
    words = sorted(set(words))
    exe = shutil.which("espeak-ng")
    if not words or exe is None:
        return {}
    done = subprocess.run(
        [exe, "-q", "-x", "--sep=_", "-v", "en-us"],
        input="\n".join(w.replace("'", "") for w in words) + "\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    lines = [line.strip() for line in done.stdout.splitlines() if line.strip()]
    if done.returncode or len(lines) != len(words):
        log.warning("espeak-ng gave no pronunciations: %s", done.stderr.strip())
        return {}
    result: dict[str, str] = {}
    for word, line in zip(words, lines, strict=True):
        phones: list[str] = []
        for chunk in line.replace(" ", "_").split("_"):
            chunk = _STRESS.sub("", chunk)
            while chunk and chunk not in _ESPEAK_TO_ARPABET:
                chunk = chunk[:-1]  # drop marks eSpeak appends (lengthening, syllabic)
            if chunk and _ESPEAK_TO_ARPABET[chunk]:
                phones.extend(_ESPEAK_TO_ARPABET[chunk].split())
        if phones:
            result[word] = " ".join(phones)
    return result


def read_pcm(path: Path | str) -> tuple[bytes, float]:
    """The audio of a PCM WAV file as 16 kHz mono signed 16-bit little-endian, and its seconds."""
    try:
        with wave.open(str(path), "rb") as wav:
            channels, width, rate = wav.getnchannels(), wav.getsampwidth(), wav.getframerate()
            frames = wav.readframes(wav.getnframes())
    except FileNotFoundError as exc:
        raise VoiceError(f"{path}: no such file: give the path of a WAV recording") from exc
    except OSError as exc:  # a directory, no permission
        raise VoiceError(
            f"cannot read {path} ({voice.os_reason(exc)}): give the path of a WAV recording"
        ) from exc
    except (EOFError, wave.Error) as exc:
        raise VoiceError(
            f"{path} is not a PCM WAV file ({voice.wav_problem(path, exc)}): record or convert "
            "it to 16-bit PCM WAV"
        ) from exc
    if not frames:
        raise VoiceError(f"{path} holds no audio")
    samples = _to_int16(frames, width)
    if channels > 1:
        samples = array.array(
            "h",
            (sum(samples[i : i + channels]) // channels for i in range(0, len(samples), channels)),
        )
    if rate != SAMPLE_RATE:
        samples = _resample(samples, rate, SAMPLE_RATE)
    if sys.byteorder == "big":
        samples.byteswap()
    return samples.tobytes(), len(samples) / SAMPLE_RATE


def _to_int16(frames: bytes, width: int) -> array.array[int]:
    if width == 2:
        out = array.array("h", frames)
        if sys.byteorder == "big":
            out.byteswap()
        return out
    if width == 1:  # unsigned 8-bit
        return array.array("h", ((b - 128) << 8 for b in frames))
    if width in (3, 4):  # keep the top 16 bits of each little-endian sample
        return array.array(
            "h",
            (int.from_bytes(frames[i + width - 2 : i + width], "little", signed=True)
             for i in range(0, len(frames), width)),
        )
    raise VoiceError(f"unsupported sample width of {width * 8} bits: use 8, 16, 24 or 32-bit PCM")


def _resample(samples: array.array[int], rate: int, target: int) -> array.array[int]:
    """Linear-interpolation resampling; when going down, a moving average first keeps most of
    what lies above the new Nyquist frequency out."""
    if rate > target:
        taps = max(1, round(rate / target))
        if taps > 1:
            acc, window, smoothed = 0, [0] * taps, array.array("h", bytes(2 * len(samples)))
            for i, s in enumerate(samples):
                acc += s - window[i % taps]
                window[i % taps] = s
                smoothed[i] = acc // taps
            samples = smoothed
    count = int(len(samples) * target / rate)
    step = rate / target
    last = len(samples) - 1
    out = array.array("h", bytes(2 * count))
    for i in range(count):
        pos = i * step
        j = int(pos)
        frac = pos - j
        a = samples[j]
        b = samples[j + 1] if j < last else a
        out[i] = int(a + (b - a) * frac)
    return out


@dataclass(frozen=True)
class Recorder:
    """A command that writes raw 16 kHz mono signed 16-bit audio from a microphone to stdout."""

    command: tuple[str, ...]

    def chunks(self, size: int) -> Iterator[bytes]:
        try:
            process = subprocess.Popen(
                self.command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
        except OSError as exc:
            raise NoDeviceError(f"cannot start {self.command[0]}: {exc}") from exc
        assert process.stdout is not None
        try:
            while chunk := process.stdout.read(size):
                yield chunk
        finally:
            process.kill()
            process.wait()
            process.stdout.close()


def find_recorder(env: dict[str, str] | None = None, devices: Path | None = None) -> Recorder | None:
    """The microphone, as a recording command, or None when this machine has none.

    LEGTWITCH_RECORDER wins; then a PulseAudio/PipeWire server with parecord or pw-record; then
    an ALSA capture device in `devices` (default voice.SOUND_DEVICES) with arecord.
    """
    env = os.environ if env is None else env
    devices = voice.SOUND_DEVICES if devices is None else devices
    if env.get(RECORDER_ENV, "").strip():
        return Recorder(tuple(shlex.split(env[RECORDER_ENV])))
    servers = voice.sound_servers(env)
    if "pulse" in servers and shutil.which("parecord"):
        return Recorder(
            ("parecord", "--raw", "--format=s16le", f"--rate={SAMPLE_RATE}", "--channels=1")
        )
    if "pipewire" in servers and shutil.which("pw-record"):
        return Recorder(("pw-record", "--format", "s16", "--rate", str(SAMPLE_RATE),
                         "--channels", "1", "-"))
    if any(devices.glob("pcmC*D*c")) and shutil.which("arecord"):
        return Recorder(("arecord", "-q", "-t", "raw", "-f", "S16_LE", "-r", str(SAMPLE_RATE),
                         "-c", "1"))
    return None


class Listener:
    """Recognises questions about leg twitching, offline, within the interaction model's grammar."""

    def __init__(self, grammar: Grammar | None = None) -> None:
        try:
            import pocketsphinx
        except ImportError as exc:
            raise EngineMissingError(INSTALL_EXTRA) from exc
        self._ps = pocketsphinx
        self.grammar = grammar or Grammar.from_model()
        self._vad = pocketsphinx.Vad()
        self._decoder = pocketsphinx.Decoder(
            lm=None, dither=True, seed=1, bestpath=False, wip=0.2, loglevel="FATAL"
        )
        missing = [w for w in self.grammar.words if self._decoder.lookup_word(w) is None]
        spoken = espeak_pronunciations(missing)
        for i, (word, phones) in enumerate(sorted(spoken.items()), start=1):
            self._decoder.add_word(word, phones, update=i == len(spoken))
        unknown = sorted(set(missing) - set(spoken))
        grammar = self.grammar
        if unknown:
            log.warning("no pronunciation for %s: those samples are left out", ", ".join(unknown))
            grammar = grammar.without(unknown)
        start, final, edges = grammar.transitions()
        log.debug("grammar: %d sentences, %d words (%d from eSpeak NG), %d edges",
                  len(grammar.sentences), len(grammar.words), len(spoken), len(edges))
        try:
            fsg = self._decoder.create_fsg("utterance", start, final, edges)
            self._decoder.add_fsg("utterance", fsg)
        except (ValueError, RuntimeError) as exc:
            raise VoiceError(f"the grammar from the interaction model is invalid: {exc}") from exc
        self._grammar_in_use = grammar
        with tempfile.TemporaryDirectory(prefix="legtwitch-lm-") as tmp:
            arpa = Path(tmp, "bigrams.arpa")
            arpa.write_text(grammar.bigrams(), encoding="utf-8")
            self._decoder.add_lm_file("bigrams", str(arpa))

    def recognise(self, pcm: bytes) -> Recognition:
        """Recognise 16 kHz mono signed 16-bit audio; no speech in it gives empty text (the
        grammar would otherwise fit a sentence to anything)."""
        started = time.perf_counter()
        if self.speech_seconds(pcm) < MIN_SPEECH:
            return Recognition("", len(pcm) / (2 * SAMPLE_RATE), time.perf_counter() - started)
        text = self._decode(pcm, "utterance")
        if not self._grammar_in_use.accepts(text):
            # The word graph found no whole sentence (the question is phrased outside the
            # model): the model's word pairs, freer, give the understanding something to use.
            log.debug("no whole sentence (%r): decoding with the bigram model", text)
            text = self._decode(pcm, "bigrams")
        return Recognition(
            text=text,
            audio_seconds=len(pcm) / (2 * SAMPLE_RATE),
            decode_seconds=time.perf_counter() - started,
        )

    def _decode(self, pcm: bytes, search: str) -> str:
        self._decoder.activate_search(search)
        self._decoder.start_utt()
        self._decoder.process_raw(_MARGIN + pcm + _MARGIN, no_search=False, full_utt=True)
        self._decoder.end_utt()
        hyp = self._decoder.hyp()
        return hyp.hypstr.strip() if hyp is not None else ""

    def speech_seconds(self, pcm: bytes) -> float:
        """How much of `pcm` the voice activity detector takes for speech."""
        size = self._vad.frame_bytes
        frames = [pcm[i : i + size] for i in range(0, len(pcm) - size + 1, size)]
        return sum(map(self._vad.is_speech, frames)) * self._vad.frame_length

    def recognise_wav(self, path: Path | str) -> Recognition:
        """Recognise the question spoken in a PCM WAV file (any rate, width and channels)."""
        pcm, _ = read_pcm(path)
        return self.recognise(pcm)

    def listen(self, recorder: Recorder | None = None, max_seconds: float = 15.0) -> Recognition:
        """Record from the microphone until the speaker stops, then recognise what was said."""
        recorder = recorder or find_recorder()
        if recorder is None:
            raise NoDeviceError(
                "no microphone found: record the question to a WAV file and type "
                "`legtwitch listen --wav FILE`"
            )
        endpointer = self._ps.Endpointer(sample_rate=SAMPLE_RATE)
        speech = bytearray()
        heard = 0
        limit = int(max_seconds * SAMPLE_RATE * 2)
        for chunk in recorder.chunks(endpointer.frame_bytes):
            heard += len(chunk)
            if len(chunk) < endpointer.frame_bytes:
                speech += endpointer.end_stream(chunk) or b""
                break
            frame = endpointer.process(chunk)
            if frame is not None:
                speech += frame
            elif speech and not endpointer.in_speech:
                break
            if heard >= limit:
                break
        if not speech:
            return Recognition(text="", audio_seconds=heard / (2 * SAMPLE_RATE), decode_seconds=0.0)
        return self.recognise(bytes(speech))
