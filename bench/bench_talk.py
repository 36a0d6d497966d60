"""`legtwitch talk`: whole spoken conversations, per voice, through the same Conversation loop.

Each scripted conversation is spoken by eSpeak NG in several voices and fed, frame by frame, to
skill.voice.conversation.Conversation as the microphone would feed it (a faint-noise silence
around each utterance, so pocketsphinx's endpointer decides where it ends); the answers go
through the command line's SpeechSink to a configured player (LEGTWITCH_PLAYER) that notes when it
started. Figures, each beside a baseline measured in the same run:

- spoken conversation success: the share of turns reaching the intent and topic of the same
  turn typed (the typed conversation reaching its intended intents is the baseline);
- end of speech to first audio: from the frame at which the endpointer ended the question to the
  player starting on the answer (its first sentence), beside the espeak-ng command's first byte
  for the same answer; and of that, from the answer handed to speech to the player starting
  (each conversation begins with no synthesised audio kept, as `talk` holds one per process);
- recognition real-time factor in the conversation, beside 1 (real time).
"""

from __future__ import annotations

import array
import io
import os
import random
import shlex
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from bench import Figure
from skill import settings
from skill.voice.audio import SAMPLE_RATE, Recorder, read_pcm
from skill.voice.conversation import Conversation, Microphone
from skill.voice.engine import Engine
from skill.voice.listener import Listener, Recognition
from skill.voice.sink import SpeechSink
from skill.voice.speaker import Speaker, VoiceSettings
from tests.support.spoken import VOICES

if TYPE_CHECKING:
    from skill.simulator.simulator import Turn

# Each turn: what the person says, and the intent it is meant to reach.
CONVERSATIONS: tuple[tuple[tuple[str, str], ...], ...] = (
    (("why do my legs twitch at night", "TopicIntent"), ("yes", "AMAZON.YesIntent"),
     ("tell me more", "TellMeMoreIntent"), ("repeat", "AMAZON.RepeatIntent"),
     ("stop", "AMAZON.StopIntent")),
    (("can coffee make my legs twitch", "TopicIntent"), ("no", "AMAZON.NoIntent")),
    (("help", "AMAZON.HelpIntent"), ("why does my thigh keep twitching", "TopicIntent"),
     ("yes", "AMAZON.YesIntent"), ("stop", "AMAZON.StopIntent")),
    (("is leg twitching serious", "WhenToWorryIntent"), ("what can i do about it", "RemedyIntent"),
     ("cancel", "AMAZON.CancelIntent")),
    (("why does my toe twitch", "TopicIntent"), ("can stress make my legs twitch", "TopicIntent"),
     ("no", "AMAZON.NoIntent")),
)  # fmt: skip
VOICE_SET = (*VOICES, "en-us+f1")
_RNG = random.Random(0)


def _noise(seconds: float) -> bytes:
    """Faint noise, as a quiet room gives a microphone (eSpeak NG's exact zeros never occur)."""
    return array.array("h", (_RNG.randint(-30, 30) for _ in range(int(seconds * SAMPLE_RATE)))).tobytes()


class ScriptedMicrophone(Microphone):
    """The microphone, fed from utterances instead of a recorder: each `frames()` call hears the
    next utterance between two silences, as fast as it is read; `ends` notes the time of the
    last frame each listening took (where the endpointer ended the question)."""

    def __init__(self, utterances: list[bytes], frame_bytes: int) -> None:
        super().__init__(Recorder(("scripted",)), frame_bytes)
        self.utterances = list(utterances)
        self.ends: list[float] = []

    def __enter__(self) -> ScriptedMicrophone:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def drop(self) -> None:
        pass

    def frames(self) -> Iterator[bytes]:
        pcm = _noise(0.4) + (self.utterances.pop(0) if self.utterances else b"") + _noise(10.0)
        self.ends.append(0.0)
        for i in range(0, len(pcm) - self.frame_bytes + 1, self.frame_bytes):
            self.ends[-1] = time.time()
            yield pcm[i : i + self.frame_bytes]


class TimedListener(Listener):
    """The listener, keeping what it heard (for the real-time factor)."""

    heard: list[Recognition]

    def hear(
        self, frames: Iterable[bytes], wait: float, longest: float, replies: bool = False
    ) -> Recognition | None:
        result = super().hear(frames, wait, longest, replies)
        if result is not None:
            self.heard.append(result)
        return result


class TimedSpeech(SpeechSink):
    """The command line's speech output, noting when each answer was handed to it."""

    def __init__(self) -> None:
        super().__init__(VoiceSettings(), io.StringIO())
        self.handed: list[float] = []

    def say(self, speech: str, stop: threading.Event | None = None) -> None:
        self.handed.append(time.time())
        super().say(speech, stop)


class Turns:
    """A turn sink noting each turn's intent and topic."""

    def __init__(self) -> None:
        self.turns: list[tuple[str | None, str | None, str]] = []

    def show(self, turn: Turn) -> None:
        self.turns.append((turn.intent, turn.topic, turn.speech))


def run() -> Iterator[Figure]:
    from skill.simulator.simulator import Simulator
    from skill.simulator.transport import LocalTransport

    espeak = shutil.which("espeak-ng")
    if espeak is None:
        raise SystemExit("bench_talk needs the espeak-ng command: apt-get install espeak-ng")
    listener = TimedListener()
    listener.heard = []
    typed: list[list[tuple[str | None, str | None]]] = []
    typed_right = typed_n = 0
    for script in CONVERSATIONS:
        simulator = Simulator(LocalTransport())
        simulator.launch()
        turns = [simulator.say(text) for text, _ in script]
        typed.append([(t.intent, t.topic) for t in turns])
        typed_right += sum(t.intent == want for t, (_, want) in zip(turns, script, strict=True))
        typed_n += len(script)
    with tempfile.TemporaryDirectory(prefix="bench-talk-") as tmp:
        work = Path(tmp)
        stamps = work / "stamps"
        os.environ[settings.PLAYER.name] = shlex.join(
            ["sh", "-c", f'date +%s.%N >> "{stamps}"', "player"])
        latencies: list[float] = []
        speaking: list[float] = []
        first_bytes: list[float] = []
        for voice in VOICE_SET:
            speaker = Speaker(VoiceSettings(voice=voice), player=None)
            right = total = 0
            for n, script in enumerate(CONVERSATIONS):
                said = [read_pcm(speaker.save(text, work / f"q{i}.wav"))[0]
                        for i, (text, _) in enumerate(script)]
                microphone = ScriptedMicrophone(said, listener.frame_bytes)
                Engine.get().forget()  # each conversation as in a process of its own
                heard = Turns()
                stamps.write_text("")
                speech = TimedSpeech()
                conversation = Conversation(Simulator(LocalTransport()), listener, speech, [heard],
                                            io.StringIO())
                conversation.run(microphone)
                spoken = [(i, t) for i, t, _ in heard.turns[1:]]  # after the welcome
                total += len(script)
                right += sum(s == t for s, t in zip(spoken, typed[n], strict=False))
                started = [float(x) for x in stamps.read_text().split()]
                latencies += _to_player(microphone.ends, started)
                speaking += _to_player(speech.handed, started)
                for _, _, answer in heard.turns[1:]:
                    first_bytes.append(_first_byte(espeak, answer))
            yield Figure(f"spoken conversations: turns right, voice {voice} ({total})",
                         100.0 * right / total, "%", "the same turns typed",
                         100.0 * typed_right / typed_n, ">= 90%")
        del os.environ[settings.PLAYER.name]
    yield Figure("end of speech to the player started (median)", _median(latencies) * 1000, "ms",
                 "espeak-ng --stdout first byte", _median(first_bytes) * 1000, "<= 1.5x")
    yield Figure("  of which the answer handed to speech to the player (median)",
                 _median(speaking) * 1000, "ms", "espeak-ng --stdout first byte",
                 _median(first_bytes) * 1000, "<= 1.5x")
    yield Figure("  of which recognising the question (median)",
                 _median([r.after_end_seconds for r in listener.heard]) * 1000, "ms",
                 "the question's audio (median)", _median([r.audio_seconds for r in listener.heard]) * 1000,
                 "decoded as it comes")
    audio = sum(r.audio_seconds for r in listener.heard)
    decoding = sum(r.decode_seconds for r in listener.heard)
    yield Figure("recognition in conversation: decoding time per audio second", decoding / audio * 1000,
                 "ms", "one second of audio (real time)", 1000.0, "< 1x (real-time factor)")


def _to_player(moments: list[float], started: list[float]) -> list[float]:
    """For each moment, the time until the player's next start (an answer may be played in
    parts: only its first counts)."""
    return [min(s for s in started if s > m) - m for m in moments if any(s > m for s in started)]


def _first_byte(espeak: str, text: str) -> float:
    started = time.perf_counter()
    with subprocess.Popen([espeak, "--stdout", text], stdout=subprocess.PIPE) as proc:
        assert proc.stdout is not None
        proc.stdout.read(1)
        elapsed = time.perf_counter() - started
        proc.stdout.read()
    return elapsed


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2] if ordered else 0.0
