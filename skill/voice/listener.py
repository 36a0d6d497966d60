"""Speech in: offline pocketsphinx recognition within the grammar built from the interaction model."""

from __future__ import annotations

import array
import contextlib
import difflib
import logging
import random
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from skill.core import datafiles
from skill.errors import EngineMissingError, NoDeviceError, VoiceError
from skill.simulator.normalise import stems
from skill.voice.audio import MAX_SECONDS, SAMPLE_RATE, Recorder, find_recorder, read_pcm
from skill.voice.grammar import PHRASINGS, Grammar, read_phrasings
from skill.voice.pronunciation import espeak_pronunciations

log = logging.getLogger(__name__)

# Recordings are framed by a quarter second of faint noise and decoded with dither on: digital
# silence (eSpeak NG writes exact zeros) has no log energy, and pocketsphinx then loses the
# sentence's end (measured on a first small grammar and six eSpeak NG voices: 85% of sentences
# came back exact instead of 56%).
_RNG = random.Random(0)
_MARGIN = array.array("h", (_RNG.randint(-30, 30) for _ in range(SAMPLE_RATE // 4))).tobytes()
PRE_ROLL = 0.6  # seconds of audio kept from before the endpointer took it for speech
VOICED_MARGIN = (0.1, 0.2)  # seconds kept before the first and after the last voiced frame
MIN_SPEECH = 0.15  # seconds of speech below which a recording holds no question
# After an answer, the replies the skill offers ("yes", "tell me more", "repeat"...) are made
# this many times likelier than their share of the grammar, so a short reply is not heard as a
# slot value ("tell me more" as "guillain barre"); a new question can still be asked.
REPLIES = ("AMAZON.YesIntent", "AMAZON.NoIntent", "TellMeMoreIntent", "AMAZON.RepeatIntent",
           "AMAZON.StopIntent", "AMAZON.CancelIntent")
REPLY_FAVOUR = 20.0
# When the word graph's sentence stands against the free decoding (Listener._chosen): at most
# this many words (a reply), or this share of words in common (difflib's ratio), chosen on
# 70 dev phrasings of the language understanding and the project's 76 spoken questions, in two
# voices: outside the samples 43% to 64% reach their topic, the model's own sentences no worse.
SHORT_REPLY = 3
AGREEMENT = 0.4
INSTALL_EXTRA = "pocketsphinx is not installed: pip install 'legtwitch[voice]'"


@dataclass(frozen=True)
class Recognition:
    """What was heard: text (empty when nothing matched), audio and decoding time in seconds, and
    how long the text took once the audio had ended (all of the decoding for a recording; for
    speech decoded as it came, only what was left at its end)."""

    text: str
    audio_seconds: float
    decode_seconds: float
    after_end_seconds: float

    @property
    def real_time_factor(self) -> float:
        """Decoding time over audio time: below 1 is faster than real time."""
        return self.decode_seconds / self.audio_seconds if self.audio_seconds else 0.0


class Listener:
    """Recognises questions about leg twitching, offline, within the interaction model's grammar."""

    def __init__(self, grammar: Grammar | None = None) -> None:
        try:
            import pocketsphinx
        except ImportError as exc:
            raise EngineMissingError(INSTALL_EXTRA) from exc
        self._ps = pocketsphinx
        shipped = grammar is None
        self.grammar = grammar or Grammar.from_model()
        self._vad = pocketsphinx.Vad()
        # Where speech starts and stops in a stream, the most aggressive mode: the others come to
        # take faint steady microphone noise for speech once someone has spoken, and never end.
        self._edges = pocketsphinx.Vad(mode=pocketsphinx.Vad.STRICT)
        self.frame_bytes: int = pocketsphinx.Endpointer(sample_rate=SAMPLE_RATE).frame_bytes
        """The size of the pieces of audio `hear` takes."""
        # Two decoders hear each question side by side: one within the word graph of the model's
        # sentences, one freer, with their word pairs (a question phrased outside the samples).
        # The free one makes a single pass: its second (fwdflat) cost 20-50 ms at the end of each
        # question, for no more topics reached (60 dev phrasings and the 76 own questions, in
        # two voices: 69% and 90% either way).
        settings = {"lm": None, "dither": True, "seed": 1, "bestpath": False, "wip": 0.2,
                    "loglevel": "FATAL"}
        self._decoder = pocketsphinx.Decoder(**settings)
        self._free = pocketsphinx.Decoder(**settings, fwdflat=False)
        missing = [w for w in self.grammar.words if self._decoder.lookup_word(w) is None]
        spoken = espeak_pronunciations(missing)
        for decoder in (self._decoder, self._free):
            for i, (word, phones) in enumerate(sorted(spoken.items()), start=1):
                decoder.add_word(word, phones, update=i == len(spoken))
        unknown = sorted(set(missing) - set(spoken))
        grammar = self.grammar
        if unknown:
            log.warning("no pronunciation for %s: those samples are left out", ", ".join(unknown))
            grammar = grammar.without(unknown)
        log.debug("grammar: %d sentences, %d words (%d from eSpeak NG)",
                  len(grammar.sentences), len(grammar.words), len(spoken))
        self._add_fsg("utterance", grammar)
        self._grammar_in_use = grammar
        self._replies_added = False  # the replies' word graph, added when first asked for
        self._free_open = False  # the free decoder's utterance, left open when not needed
        # The decoder's cepstral mean, as it starts: speech decoded as it comes keeps a running
        # one, learnt from the speaker; a recording is decoded from this one, whatever came before.
        self._first_cmn = self._decoder.get_cmn()
        # People's own phrasings of the shipped model's questions (the dev set's, as `make model`
        # wrote them) widen the free decoder's word pairs; those with a word the dictionary lacks
        # are left out. A grammar of one's own keeps its own word pairs.
        phrasings = self._phrasings() if shipped else []
        with tempfile.TemporaryDirectory(prefix="legtwitch-lm-") as tmp:
            arpa = Path(tmp, "bigrams.arpa")
            arpa.write_text(grammar.bigrams(phrasings), encoding="utf-8")
            self._free.add_lm_file("bigrams", str(arpa))
        self._free.activate_search("bigrams")

    def _phrasings(self) -> list[tuple[str, ...]]:
        path = datafiles.content_dir() / PHRASINGS
        found = read_phrasings(path)
        if not found:
            log.warning("%s is missing, so questions outside the samples are heard less well: "
                        "`make model` writes it", path)
        return [p for p in found if all(self._free.lookup_word(w) is not None for w in p)]

    def _add_fsg(self, name: str, grammar: Grammar) -> None:
        """Add `grammar`'s word graph as the decoder's search `name`."""
        try:
            fsg = self._decoder.create_fsg(name, *grammar.transitions())
            self._decoder.add_fsg(name, fsg)
        except (ValueError, RuntimeError) as exc:
            raise VoiceError(f"the grammar from the interaction model is invalid: {exc}") from exc

    def recognise(self, pcm: bytes) -> Recognition:
        """Recognise 16 kHz mono signed 16-bit audio; no speech in it gives empty text (the
        grammar would otherwise fit a sentence to anything). At most MAX_SECONDS of audio."""
        if len(pcm) > MAX_SECONDS * SAMPLE_RATE * 2:
            raise VoiceError(f"the recording is {len(pcm) / (2 * SAMPLE_RATE):,.0f} s long; the "
                             f"most is {MAX_SECONDS} s: ask one question at a time")
        started = time.perf_counter()
        self._close_free()
        text, decoders = "", (self._decoder, self._free)
        if self.speech_seconds(pcm) >= MIN_SPEECH:
            running = [decoder.get_cmn() for decoder in decoders]
            for decoder in decoders:
                decoder.set_cmn(self._first_cmn)
            try:
                text = self._chosen(self._decode(self._decoder, pcm, "utterance"),
                                    lambda: self._decode(self._free, pcm, "bigrams"))
            finally:
                for decoder, cmn in zip(decoders, running, strict=True):
                    decoder.set_cmn(cmn)
        elapsed = time.perf_counter() - started
        return Recognition(text, len(pcm) / (2 * SAMPLE_RATE), elapsed, elapsed)

    def _chosen(self, sentence: str, free: Callable[[], str]) -> str:
        """What was said, from the word graph's decoding (`sentence`) and the freer one (`free`,
        asked for only when it is needed: a reply stands on its own, not waiting for it).

        The word graph's stands when it is a whole sentence of the grammar and either short (a
        reply: "tell me more") or one the free decoding largely agrees with; else the free
        decoding, which gives the understanding the words of a question phrased outside the
        model (the word graph takes many such questions for the nearest sentence it holds:
        "can low vitamin d make my legs twitch" for "adult onset tics")."""
        said = sentence.split()
        whole = self._grammar_in_use.accepts(sentence)
        if whole and len(said) <= SHORT_REPLY:
            return sentence
        heard = free()
        if stems(heard) != stems(sentence) and self._grammar_in_use.accepts(heard):
            return heard  # the freer decoder found another sentence of the grammar on its own
        if not heard or (whole and _agreement(said, heard.split()) >= AGREEMENT):
            return sentence
        log.debug("heard %r outside the grammar (word graph: %r)", heard, sentence)
        return heard

    def _end_free(self) -> str:
        """End the free decoder's utterance, fed as it came; what it heard."""
        self._free_open = False
        return _end_utt(self._free)

    def _close_free(self) -> None:
        """End the free decoder's last utterance if it was left open (not needed when the
        question ended): here, before the next, where nobody waits for it."""
        if self._free_open:
            self._end_free()

    @staticmethod
    def _decode(decoder: Any, pcm: bytes, search: str) -> str:
        decoder.activate_search(search)
        decoder.start_utt()
        decoder.process_raw(_MARGIN + pcm + _MARGIN, no_search=False, full_utt=True)
        return _end_utt(decoder)

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
        with contextlib.closing(recorder.chunks(self.frame_bytes)) as chunks:
            heard = self.hear(chunks, wait=max_seconds, longest=max_seconds)
        return heard or Recognition("", max_seconds, 0.0, 0.0)

    def hear(
        self, frames: Iterable[bytes], wait: float, longest: float, replies: bool = False
    ) -> Recognition | None:
        """Recognise the first thing said in `frames` (audio in pieces of `frame_bytes`, as from
        a microphone): None when no speech starts within `wait` seconds; speech ends when the
        speaker stops (pocketsphinx's endpointer), when `frames` end, or after `longest` s.
        With `replies`, the replies to an answer (REPLIES) are expected above all.

        Both decoders (the word graph, the free one) decode the speech as it comes, so little is
        left to do at its end but choosing between them (`_chosen`)."""
        self._close_free()
        if replies and not self._replies_added:  # built before a frame is read: they wait, queued
            self._add_fsg("replies", self._grammar_in_use.favouring(REPLIES, REPLY_FAVOUR))
            self._replies_added = True
        # The endpointer decides late (it needs `window` s of speech to say speech began): the
        # audio from before that decision is kept, so a soft first sound ("r" of "repeat") is not
        # lost; the frames it gives back are not used for the same reason.
        endpointer, before = self._endpointer()
        speech = bytearray()
        heard, decoding, begun = 0, 0.0, False
        try:
            for frame in frames:
                heard += len(frame)
                if len(frame) < endpointer.frame_bytes:  # the last piece of a stream
                    break
                endpointer.process(frame)
                if speech:
                    speech += frame
                    if not endpointer.in_speech or len(speech) >= longest * SAMPLE_RATE * 2:
                        break  # this frame is after the end: not worth decoding
                    decoding += self._feed(frame)
                elif endpointer.in_speech:
                    speech += b"".join(before) + frame
                    self._decoder.activate_search("replies" if replies else "utterance")
                    self._decoder.start_utt()
                    self._free.start_utt()
                    begun = True
                    decoding += self._feed(self._from_voice(bytes(speech)))
                elif heard >= wait * SAMPLE_RATE * 2:
                    return None
                else:
                    before.append(frame)
            if not speech:
                return None
            ended = time.perf_counter()
            begun = False
            sentence = _end_utt(self._decoder)
            self._free_open = True
        finally:
            if begun:  # stopped mid-question (Ctrl-C, the microphone failed)
                _end_utt(self._decoder)
                _end_utt(self._free)
        voiced = self._voiced(bytes(speech))
        text = self._chosen(sentence, self._end_free) if self.speech_seconds(voiced) >= MIN_SPEECH else ""
        after_end = time.perf_counter() - ended
        return Recognition(text, len(voiced) / (2 * SAMPLE_RATE), decoding + after_end, after_end)

    def speech_starts(self, frames: Iterable[bytes], done: threading.Event) -> list[bytes] | None:
        """Watch `frames` (as `hear` takes them) until speech starts in them, or until `done` is
        set: the frames from PRE_ROLL before the endpointer took it for speech to that frame,
        for `hear` to take first, or None."""
        endpointer, before = self._endpointer()
        for frame in frames:
            if done.is_set() or len(frame) < endpointer.frame_bytes:
                return None
            endpointer.process(frame)
            before.append(frame)
            if endpointer.in_speech:
                return list(before)
        return None

    def _endpointer(self) -> tuple[Any, deque[bytes]]:
        """A new endpointer for a stream, and the PRE_ROLL of frames to keep from before it
        takes the stream for speech."""
        endpointer = self._ps.Endpointer(sample_rate=SAMPLE_RATE, vad_mode=self._ps.Vad.STRICT)
        return endpointer, deque(maxlen=round(PRE_ROLL / endpointer.frame_length))

    def _feed(self, pcm: bytes) -> float:
        """Decode `pcm`, the next piece of the utterance begun; the seconds that took."""
        started = time.perf_counter()
        self._decoder.process_raw(pcm, no_search=False, full_utt=False)
        self._free.process_raw(pcm, no_search=False, full_utt=False)
        return time.perf_counter() - started

    def _from_voice(self, pcm: bytes) -> bytes:
        """`pcm` from its first voiced frame, less VOICED_MARGIN: the decoder's running estimate
        of the voice's spectrum (cepstral mean) is not to be learnt from the silence before."""
        return pcm[self._voiced_span(pcm)[0]:]

    def _voiced(self, pcm: bytes) -> bytes:
        """`pcm` cut to the voice in it, with VOICED_MARGIN around: the decoder normalises over
        the whole utterance, so long stretches of microphone noise cost words."""
        start, end = self._voiced_span(pcm)
        return pcm[start:end]

    def _voiced_span(self, pcm: bytes) -> tuple[int, int]:
        """Where the voice in `pcm` starts and ends, in bytes, with VOICED_MARGIN around (all of
        `pcm` when none is voiced)."""
        size = self._edges.frame_bytes
        starts = range(0, len(pcm) - size + 1, size)
        voiced = [i for i in starts if self._edges.is_speech(pcm[i : i + size])]
        if not voiced:
            return 0, len(pcm)
        before, after = (round(s * SAMPLE_RATE) * 2 for s in VOICED_MARGIN)
        return max(0, voiced[0] - before), voiced[-1] + size + after


def _end_utt(decoder: Any) -> str:
    """End `decoder`'s utterance; the text it heard."""
    decoder.end_utt()
    hyp = decoder.hyp()
    return hyp.hypstr.strip() if hyp is not None else ""


def _agreement(said: list[str], other: list[str]) -> float:
    """How far two decodings agree: twice the words in common, in order, over all their words."""
    return difflib.SequenceMatcher(None, said, other).ratio()
