"""Audio shared by speech out and in: WAV files (checked, written whole, joined, read as 16 kHz
PCM) and the sound devices of this machine (a player for answers, a recorder for questions)."""

from __future__ import annotations

import array
import io
import os
import secrets
import shutil
import struct
import subprocess
import sys
import threading
import time
import wave
from collections.abc import Generator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from skill import files, settings
from skill.errors import NoDeviceError, VoiceError
from skill.files import os_reason

SAMPLE_RATE = 16000  # what the en-us acoustic model of pocketsphinx was trained on
# ALSA's device nodes: pcmC<card>D<device>p plays, ...c records (read at each look-up).
SOUND_DEVICES = Path("/dev/snd")


# WAV files ------------------------------------------------------------------------------------


# What a question's recording may be: a file read whole, so its size, rate and length are capped
# (a small file declaring 1 Hz would otherwise be resampled into hundreds of megabytes).
MIN_RATE, MAX_RATE = 8_000, 192_000
MAX_SECONDS = 60
MAX_CHANNELS = 8
MAX_WAV_BYTES = 64 * 1024 * 1024


#: What `wave` raises on a malformed file: its own Error, a bare EOFError on a truncated one,
#: RuntimeError or struct.error from a chunk whose size points past the end, ValueError or
#: OverflowError from sizes out of any range.
WAV_ERRORS = (wave.Error, EOFError, RuntimeError, struct.error, ValueError, OverflowError)


def wav_problem(data: bytes, exc: Exception) -> str:
    """Why `wave` could not read `data` (the whole file or its head), in words: it gives a
    truncated file a bare EOFError, and a chunk claiming more bytes than follow a RuntimeError."""
    if isinstance(exc, wave.Error) and str(exc):
        return str(exc)
    if not data:
        return "the file is empty"
    if data[:4] != b"RIFF":
        return "file does not start with RIFF id"
    return _chunk_problem(data) or "the file ends inside its WAV header"


def _chunk_problem(data: bytes) -> str | None:
    """The first chunk after the RIFF header (before the audio) that claims more bytes than the
    file holds after it, in words; None if there is none."""
    at = 12
    while at + 8 <= len(data):
        name, size = data[at : at + 4], int.from_bytes(data[at + 4 : at + 8], "little")
        if name == b"data":
            return None  # audio cut short is read as far as it goes
        left = len(data) - at - 8
        if size > left:
            shown = name.decode("ascii", "replace").strip() or "unnamed"
            return f"its {shown} chunk claims {size:,} bytes; {left:,} follow"
        at += 8 + size + size % 2
    return None


def check_wav(path: Path) -> float:
    """Return the duration of `path` in seconds if it is a complete, non-empty 16-bit PCM WAV;
    raise VoiceError otherwise."""
    try:
        with wave.open(str(path), "rb") as wav:
            frames, rate = wav.getnframes(), wav.getframerate()
            width = wav.getsampwidth() * wav.getnchannels()
            data = wav.readframes(frames)
    except OSError as exc:
        raise VoiceError(f"{path} is not a valid WAV file: {exc}") from exc
    except WAV_ERRORS as exc:
        head = path.read_bytes()[:12] if path.is_file() else b""
        raise VoiceError(f"{path} is not a valid WAV file: {wav_problem(head, exc)}") from exc
    if width != 2 or frames == 0 or rate <= 0 or len(data) != frames * width:
        raise VoiceError(f"{path} is incomplete: {frames} frames, {len(data)} bytes of audio")
    return frames / rate


def cannot_write(path: Path, problem: OSError | str) -> VoiceError:
    """The error for a WAV file that cannot be written, saying why and what to type instead."""
    if isinstance(problem, OSError):
        problem = os_reason(problem)
    return VoiceError(f"cannot write {path} ({problem}): give a writable path")


def check_target(path: Path) -> None:
    """Refuse (VoiceError) a WAV target that exists and is not a regular file (a device node,
    FIFO, symbolic link or directory: never replaced), or whose directory does not exist."""
    files.check_target(path, lambda reason: cannot_write(path, reason))


def new_partial(path: Path) -> Path:
    """A new empty file beside `path`, to write its audio in before it takes `path`'s place;
    created with mode 0o666 for the umask to trim, as any new file is. Raise VoiceError when
    `path` cannot be written: not a regular file, a read-only place, a missing directory (not
    created)."""
    check_target(path)
    partial = path.parent / f".legtwitch-{secrets.token_hex(8)}.wav.part"
    try:
        os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o666))
    except OSError as exc:
        raise cannot_write(path, exc) from exc
    return partial


def join_wavs(first: Path, second: Path) -> None:
    """Rewrite `second` as the audio of `first`, half a second of silence, then its own."""
    with wave.open(str(first), "rb") as a, wave.open(str(second), "rb") as b:
        if a.getparams()[:3] != b.getparams()[:3]:
            raise VoiceError(f"{first} has another audio format: choose a new --wav file")
        params = b.getparams()
        head = a.readframes(a.getnframes())
        tail = b.readframes(b.getnframes())
    silence = b"\x00" * (params.sampwidth * params.nchannels * (params.framerate // 2))
    with wave.open(str(second), "wb") as out:
        out.setparams(params)
        out.writeframes(head + silence + tail)


def read_pcm(path: Path | str) -> tuple[bytes, float]:
    """The audio of a PCM WAV file as 16 kHz mono signed 16-bit little-endian, and its seconds.

    Only a regular file of at most MAX_WAV_BYTES is read (a FIFO or device is refused unread), at
    MIN_RATE to MAX_RATE Hz, MAX_SECONDS long at most."""
    data = files.read_regular(path, MAX_WAV_BYTES, lambda reason: _unreadable(path, reason))
    try:
        with wave.open(io.BytesIO(data), "rb") as wav:
            channels, width, rate = wav.getnchannels(), wav.getsampwidth(), wav.getframerate()
            declared = wav.getnframes()
            if not MIN_RATE <= rate <= MAX_RATE:
                raise _not_pcm(path, f"its sample rate is {rate:,} Hz; from {MIN_RATE:,} to "
                               f"{MAX_RATE:,} Hz is read")
            if not 1 <= channels <= MAX_CHANNELS:
                raise _not_pcm(path, f"it declares {channels} channels")
            if declared / rate > MAX_SECONDS:
                raise VoiceError(f"{path} is {declared / rate:,.0f} s long; the most is "
                                 f"{MAX_SECONDS} s: record one question at a time")
            frames = wav.readframes(declared)
    except WAV_ERRORS as exc:
        raise _not_pcm(path, wav_problem(data, exc)) from exc
    frames = frames[: len(frames) - len(frames) % (width * channels)]  # a file cut mid-sample
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


def _unreadable(path: Path | str, reason: str) -> VoiceError:
    if reason == "no such file or directory":
        return VoiceError(f"{path}: no such file: give the path of a WAV recording")
    return VoiceError(f"cannot read {path} ({reason}): give the path of a WAV recording")


def _not_pcm(path: Path | str, reason: str) -> VoiceError:
    return VoiceError(f"{path} is not a PCM WAV file ({reason}): record or convert it to "
                      "16-bit PCM WAV")


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


# Sound devices --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Player:
    """A command that plays a WAV file given as its last argument."""

    command: tuple[str, ...]
    source: str = field(default="", compare=False)

    def play(self, wav: Path, stop: threading.Event | None = None) -> str | None:
        """Play `wav` to the end (or until `stop` is set); return None on success, else the
        player's complaint."""
        return self.start(wav).wait(stop)

    def start(self, wav: Path) -> Playing:
        """Start playing `wav` and return at once: `wait()` on what it gives says how it went."""
        try:
            process = subprocess.Popen(
                [*self.command, str(wav)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
        except OSError as exc:
            return Playing(self.command[0], None, f"{self.command[0]}: {exc}")
        return Playing(self.command[0], process)


class Playing:
    """A WAV being played by a player command (or one that could not start: `complaint`)."""

    LONGEST = 600  # seconds after which a player is taken for stuck
    POLL = 0.02  # seconds between looks at whether to stop it

    def __init__(self, name: str, process: subprocess.Popen[str] | None,
                 complaint: str | None = None) -> None:
        self.name, self.process, self.complaint = name, process, complaint

    def wait(self, stop: threading.Event | None = None) -> str | None:
        """Wait until the player ends, or until `stop` is set (the player is then stopped: the
        person spoke over the answer); None on success or when stopped, else its complaint."""
        if self.process is None:
            return self.complaint
        deadline = time.monotonic() + self.LONGEST
        try:
            while stop is not None and self.process.poll() is None and time.monotonic() < deadline:
                if stop.wait(self.POLL):
                    self._stop()
                    return None
            _, errors = self.process.communicate(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired as exc:
            self._stop()
            return f"{self.name}: {exc}"
        except BaseException:  # Ctrl-C while it plays: the answer stops with the guide
            self._stop()
            raise
        if self.process.returncode:
            lines = [line for line in errors.splitlines() if line.strip()]
            return lines[0] if lines else f"{self.name} exited with {self.process.returncode}"
        return None

    def _stop(self) -> None:
        """End the player: asked first (SIGTERM), made to (SIGKILL) if it has not within 1 s."""
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.communicate(timeout=1)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.communicate()


@dataclass(frozen=True)
class Recorder:
    """A command that writes raw 16 kHz mono signed 16-bit audio from a microphone to stdout."""

    command: tuple[str, ...]
    source: str = field(default="", compare=False)

    def start(self) -> Recording:
        """Start recording (NoDeviceError if the command cannot start)."""
        try:
            process = subprocess.Popen(
                self.command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
        except OSError as exc:
            raise NoDeviceError(f"cannot start {self.command[0]}: {exc}") from exc
        if process.stdout is None:  # never with stdout=PIPE; a real check, not an assert
            process.kill()
            process.wait()
            raise NoDeviceError(f"{self.command[0]} gave no audio stream")
        return Recording(process, process.stdout)

    def chunks(self, size: int) -> Generator[bytes, None, None]:
        """The audio in chunks of `size` bytes (the last may be shorter) until the recorder ends
        or the iterator is closed, which stops the recording."""
        with self.start() as recording:
            while chunk := recording.read(size):
                yield chunk


class Recording:
    """A microphone being recorded: its audio is read, then closing it stops the recorder."""

    def __init__(self, process: subprocess.Popen[bytes], stream: IO[bytes]) -> None:
        self._process, self._stream = process, stream

    def read(self, size: int) -> bytes:
        """Up to `size` bytes of audio, fewer only at the end (b"" once the recorder stopped)."""
        return self._stream.read(size)

    def close(self) -> None:
        self._process.kill()
        self._process.wait()
        self._stream.close()

    def __enter__(self) -> Recording:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def sound_servers(env: Mapping[str, str]) -> frozenset[str]:
    """The sound servers this session reaches: "pulse" (PULSE_SERVER or its socket), "pipewire"."""
    runtime = env.get("XDG_RUNTIME_DIR", "")
    found = set()
    if env.get("PULSE_SERVER") or (runtime and Path(runtime, "pulse/native").exists()):
        found.add("pulse")
    if runtime and Path(runtime, "pipewire-0").exists():
        found.add("pipewire")
    return frozenset(found)


# The ways to reach a device, in order of preference: (what must be there, command). What must be
# there: "darwin" (macOS), "pulse"/"pipewire" (that sound server), "server" (either one),
# "alsa" (an ALSA device node of the kind: p plays, c records).
PLAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("darwin", ("afplay",)),
    ("server", ("pw-play",)),
    ("server", ("paplay",)),
    ("alsa", ("aplay", "-q")),
)
RECORDERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("pulse", ("parecord", "--raw", "--format=s16le", f"--rate={SAMPLE_RATE}", "--channels=1")),
    ("pipewire", ("pw-record", "--format", "s16", "--rate", str(SAMPLE_RATE), "--channels", "1", "-")),
    ("alsa", ("arecord", "-q", "-t", "raw", "-f", "S16_LE", "-r", str(SAMPLE_RATE), "-c", "1")),
)


def _find(
    setting: settings.Setting[tuple[str, ...] | None],
    ladder: tuple[tuple[str, tuple[str, ...]], ...],
    node_kind: str,
    env: Mapping[str, str] | None,
    devices: Path | None,
) -> tuple[tuple[str, ...], str] | None:
    """The first way of `ladder` this machine offers (the setting wins), and what found it."""
    env = os.environ if env is None else env
    devices = SOUND_DEVICES if devices is None else devices
    configured = setting.read(env)
    if configured:
        return configured, setting.name
    servers = sound_servers(env)
    for needs, command in ladder:
        present = {
            "darwin": sys.platform == "darwin",
            "server": bool(servers),
            "pulse": "pulse" in servers,
            "pipewire": "pipewire" in servers,
            "alsa": any(devices.glob(f"pcmC*D*{node_kind}")),
        }[needs]
        if present and shutil.which(command[0]):
            return command, needs
    return None


def find_player(env: Mapping[str, str] | None = None, devices: Path | None = None) -> Player | None:
    """The way to play answers on this machine, or None when it has no sound device:
    LEGTWITCH_PLAYER (a command line; the WAV path is appended), then PLAYERS in order."""
    found = _find(settings.PLAYER, PLAYERS, "p", env, devices)
    return Player(found[0], source=found[1]) if found else None


def find_recorder(env: Mapping[str, str] | None = None, devices: Path | None = None) -> Recorder | None:
    """The microphone, as a recording command, or None when this machine has none:
    LEGTWITCH_RECORDER, then RECORDERS in order."""
    found = _find(settings.RECORDER, RECORDERS, "c", env, devices)
    return Recorder(found[0], source=found[1]) if found else None
