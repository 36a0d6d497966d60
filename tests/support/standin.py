"""A stand-in microphone and player for spoken conversations on a machine with no sound card.

    python -m tests.support.standin player DIR [HOLD]
        LEGTWITCH_PLAYER: copies the WAV it is given into DIR as 001.wav, 002.wav, ..., notes
        "start NAME TIME" and, HOLD seconds later (as if it played that long), "end NAME TIME"
        in DIR/log; stopped before (SIGTERM), "stopped NAME TIME" then "end NAME TIME".
    python -m tests.support.standin microphone DIR [--echo] ITEM...
        LEGTWITCH_RECORDER: raw 16 kHz mono 16-bit audio on stdout, in real time, until killed.
        It waits as a person does: once the guide has stopped playing (as many "end" lines in
        DIR/log as "start" lines, and no new "start" within a pause: an answer may be played in
        parts), it says the next ITEM (a WAV file; "-" says nothing this turn; "+WAV" is said
        over the next answer, OVER seconds after it starts playing).
        Silence is faint noise, as from a real microphone. With --echo, while an answer plays
        the microphone hears it (the guide's own voice, which must not be taken for a reply).
"""

from __future__ import annotations

import array
import random
import shutil
import signal
import sys
import time
from pathlib import Path

from skill.voice.audio import read_pcm

RATE = 16000
FRAME = RATE // 50  # 20 ms
PAUSE = 1.0  # seconds a person waits after an answer before speaking
OVER = 0.5  # seconds into an answer at which a "+WAV" item is said over it


def player(folder: Path, hold: float) -> None:
    log = folder / "log"
    played = len(list(folder.glob("[0-9][0-9][0-9].wav")))
    name = f"{played + 1:03d}.wav"
    shutil.copyfile(sys.argv[-1], folder / name)
    with log.open("a") as out:
        print(f"start {name} {time.time():.3f}", file=out, flush=True)

    def stopped(*_: object) -> None:
        with log.open("a") as out:
            print(f"stopped {name} {time.time():.3f}", file=out, flush=True)
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stopped)
    try:
        time.sleep(hold)
    finally:
        with log.open("a") as out:
            print(f"end {name} {time.time():.3f}", file=out, flush=True)


def _pcm(path: Path) -> bytes:
    """A WAV's samples as the skill itself reads them (16 kHz mono 16-bit)."""
    return read_pcm(path)[0]


class _Stream:
    """Writes audio to stdout no faster than real time, over a room's faint noise."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.written = 0
        rng = random.Random(0)
        # Three seconds of noise, cycled: one frame repeated would be a 50 Hz hum, not a room.
        self.noise = array.array("h", (rng.randint(-40, 40) for _ in range(3 * RATE)))
        self.noise_at = 0

    def _room(self, samples: int) -> array.array[int]:
        noise = array.array("h")
        while len(noise) < samples:
            take = min(samples - len(noise), len(self.noise) - self.noise_at)
            noise += self.noise[self.noise_at : self.noise_at + take]
            self.noise_at = (self.noise_at + take) % len(self.noise)
        return noise

    def _write(self, pcm: bytes) -> None:
        for i in range(0, len(pcm), 2 * FRAME):
            chunk = pcm[i : i + 2 * FRAME]
            ahead = self.started + self.written / (2 * RATE) - time.monotonic()
            if ahead > 0:
                time.sleep(ahead)
            sys.stdout.buffer.write(chunk)
            sys.stdout.buffer.flush()
            self.written += len(chunk)

    def speak(self, pcm: bytes) -> None:
        """Speech heard over the room (eSpeak NG's pauses are exact zeros, which no microphone
        gives, and which cost the recogniser words)."""
        voice = array.array("h", pcm)
        mixed = (max(-32768, min(32767, v + n)) for v, n in zip(voice, self._room(len(voice)), strict=True))
        self._write(array.array("h", mixed).tobytes())

    def silence(self, seconds: float) -> None:
        self._write(self._room(int(seconds * RATE)).tobytes())


def _lines(log: Path, kind: str) -> list[str]:
    if not log.exists():
        return []
    return [line.split()[1] for line in log.read_text().splitlines() if line.startswith(kind)]


def microphone(folder: Path, items: list[str], echo: bool) -> None:
    log, stream = folder / "log", _Stream()
    echoed: set[str] = set()
    ended = 0  # answers played to the end when the person last spoke
    started = 0  # answers begun when the person last spoke
    for turn in range(len(items) + 1):
        over = turn < len(items) and items[turn].startswith("+")
        while True:  # until the answer before this turn has been played, and a pause after
            if over:  # ... or, said over the answer, until it has begun
                if len(_lines(log, "start")) > started:
                    stream.silence(OVER)
                    break
                stream.silence(FRAME / RATE)
                continue
            if _answered(log, ended):
                starts = len(_lines(log, "start"))
                stream.silence(PAUSE)
                if len(_lines(log, "start")) == starts:  # the guide did not go on meanwhile
                    break
                continue
            playing = [n for n in _lines(log, "start") if n not in _lines(log, "end")]
            if echo and playing and playing[0] not in echoed:
                echoed.add(playing[0])
                heard = _pcm(folder / playing[0])[: 2 * RATE * 2]  # its first 2 s, heard
                for i in range(0, len(heard), 2 * FRAME):  # while it plays
                    if playing[0] in _lines(log, "end"):
                        break
                    stream.speak(heard[i : i + 2 * FRAME])
            else:
                stream.silence(FRAME / RATE)
        if turn == len(items):
            break
        ended, started = len(_lines(log, "end")), len(_lines(log, "start"))
        if items[turn] != "-":
            stream.speak(_pcm(Path(items[turn].removeprefix("+"))))
    while True:
        stream.silence(1.0)


def _answered(log: Path, ended: int) -> bool:
    """Whether the guide has played something since `ended` ends, and is not playing now (an
    answer may be played in parts, one after the other)."""
    ends = len(_lines(log, "end"))
    return ends > ended and ends == len(_lines(log, "start"))


def main(argv: list[str]) -> None:
    role, folder = argv[0], Path(argv[1])
    if role == "player":
        player(folder, float(argv[2]) if len(argv) > 3 else 0.0)
    else:
        echo = "--echo" in argv
        microphone(folder, [a for a in argv[2:] if a != "--echo"], echo)


if __name__ == "__main__":
    try:
        main(sys.argv[1:])
    except (BrokenPipeError, KeyboardInterrupt):
        pass
