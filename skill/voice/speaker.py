"""Speech out: answers spoken by pyttsx3 (eSpeak NG on Linux), to the sound device or a WAV file."""

from __future__ import annotations

import contextlib
import io
import logging
import os
import re
import secrets
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import wave
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TextIO

from skill.core.ssml import to_plain_text
from skill.errors import EngineMissingError, VoiceError

log = logging.getLogger(__name__)

# Environment variables read by `VoiceSettings.from_env` and `find_player`.
VOICE_ENV = "LEGTWITCH_VOICE"
RATE_ENV = "LEGTWITCH_RATE"
VOLUME_ENV = "LEGTWITCH_VOLUME"
PLAYER_ENV = "LEGTWITCH_PLAYER"
SPEECH_DIR_ENV = "LEGTWITCH_SPEECH_DIR"

DEFAULT_VOICE = "gmw/en-us"
DEFAULT_RATE = 175
DEFAULT_VOLUME = 1.0
MIN_RATE, MAX_RATE = 80, 450
ESPEAK_PACKAGE = "espeak-ng"
INSTALL_ESPEAK = (
    f"eSpeak NG is not installed: install the Debian package {ESPEAK_PACKAGE} "
    f"(sudo apt-get install {ESPEAK_PACKAGE}), or type the question without --speak"
)
INSTALL_EXTRA = "pyttsx3 is not installed: pip install 'legtwitch[voice]'"
# ALSA's device nodes: pcmC<card>D<device>p plays, ...c records (read at each look-up).
SOUND_DEVICES = Path("/dev/snd")
_VARIANT = re.compile(r"^[a-z0-9_-]+$")


@dataclass(frozen=True)
class VoiceInfo:
    """One voice of the engine: id (what --voice takes), name, languages, gender."""

    id: str
    name: str
    languages: tuple[str, ...]
    gender: str | None


@dataclass(frozen=True)
class VoiceSettings:
    """How to speak: voice (id, name or language, optionally +variant such as +f3), rate in
    words per minute, volume from 0.0 to 1.0."""

    voice: str = DEFAULT_VOICE
    rate: int = DEFAULT_RATE
    volume: float = DEFAULT_VOLUME

    def __post_init__(self) -> None:
        if not MIN_RATE <= self.rate <= MAX_RATE:
            raise VoiceError(
                f"rate {self.rate} is out of range: type a number of words per minute "
                f"from {MIN_RATE} to {MAX_RATE}, e.g. --rate 150"
            )
        if not 0.0 <= self.volume <= 1.0:
            raise VoiceError(
                f"volume {self.volume} is out of range: type a number from 0.0 to 1.0, "
                "e.g. --volume 0.8"
            )

    @classmethod
    def from_env(
        cls,
        voice: str | None = None,
        rate: int | None = None,
        volume: float | None = None,
        env: dict[str, str] | None = None,
    ) -> VoiceSettings:
        """Settings from the arguments given, else the LEGTWITCH_* variables, else defaults."""
        env = os.environ if env is None else env
        try:
            return cls(
                voice=voice or env.get(VOICE_ENV) or DEFAULT_VOICE,
                rate=rate if rate is not None else int(env.get(RATE_ENV, DEFAULT_RATE)),
                volume=(
                    volume if volume is not None else float(env.get(VOLUME_ENV, DEFAULT_VOLUME))
                ),
            )
        except ValueError as exc:
            if isinstance(exc, VoiceError):
                raise
            raise VoiceError(
                f"{RATE_ENV} must be a whole number and {VOLUME_ENV} a decimal: {exc}"
            ) from exc


@dataclass(frozen=True)
class Delivery:
    """What happened to one spoken answer: played on a device, or written to `wav` with a
    one-line `notice` for the user saying why and where."""

    played: bool
    wav: Path | None = None
    notice: str | None = None


@dataclass(frozen=True)
class Player:
    """A command that plays a WAV file given as its last argument."""

    command: tuple[str, ...]
    source: str = field(default="", compare=False)

    def play(self, wav: Path) -> str | None:
        """Play `wav` to the end; return None on success, else the player's complaint."""
        try:
            done = subprocess.run(
                [*self.command, str(wav)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
                timeout=600,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            return f"{self.command[0]}: {exc}"
        if done.returncode:
            lines = [line for line in done.stderr.splitlines() if line.strip()]
            return lines[0] if lines else f"{self.command[0]} exited with {done.returncode}"
        return None


def sound_servers(env: Mapping[str, str]) -> frozenset[str]:
    """The sound servers this session reaches: "pulse" (PULSE_SERVER or its socket), "pipewire"."""
    runtime = env.get("XDG_RUNTIME_DIR", "")
    found = set()
    if env.get("PULSE_SERVER") or (runtime and Path(runtime, "pulse/native").exists()):
        found.add("pulse")
    if runtime and Path(runtime, "pipewire-0").exists():
        found.add("pipewire")
    return frozenset(found)


def find_player(env: dict[str, str] | None = None, devices: Path | None = None) -> Player | None:
    """The way to reach a sound device, or None when this machine has none.

    LEGTWITCH_PLAYER (a command line; the WAV path is appended) wins; then macOS afplay; then a
    PulseAudio/PipeWire server with pw-play or paplay; then an ALSA playback device in `devices`
    (default SOUND_DEVICES) with aplay.
    """
    env = os.environ if env is None else env
    devices = SOUND_DEVICES if devices is None else devices
    if env.get(PLAYER_ENV, "").strip():
        return Player(tuple(shlex.split(env[PLAYER_ENV])), source=PLAYER_ENV)
    if sys.platform == "darwin" and shutil.which("afplay"):
        return Player(("afplay",), source="afplay")
    if sound_servers(env):
        for name, args in (("pw-play", ()), ("paplay", ())):
            if shutil.which(name):
                return Player((name, *args), source="sound server")
    if any(devices.glob("pcmC*D*p")) and shutil.which("aplay"):
        return Player(("aplay", "-q"), source="ALSA")
    return None


def default_speech_dir(env: dict[str, str] | None = None) -> Path:
    """Where answers go when there is no sound device: LEGTWITCH_SPEECH_DIR or $TMPDIR/legtwitch."""
    env = os.environ if env is None else env
    return Path(env.get(SPEECH_DIR_ENV) or Path(tempfile.gettempdir(), "legtwitch"))


class _Engine:
    """The process's one pyttsx3 engine (eSpeak NG initialises once per process), used under a
    lock, one utterance at a time, with completion taken from its finished-utterance event."""

    _instance: _Engine | None = None
    _create_lock = threading.Lock()

    def __init__(self) -> None:
        data = os.environ.get("ESPEAK_DATA_PATH")
        if data and not Path(data, "phontab").exists():
            # eSpeak NG calls exit() when its data is missing: refuse before it can.
            raise EngineMissingError(f"{INSTALL_ESPEAK} (ESPEAK_DATA_PATH={data} has no phontab)")
        try:
            import pyttsx3
        except ImportError as exc:
            raise EngineMissingError(INSTALL_EXTRA) from exc
        try:
            self._tts: Any = pyttsx3.init()
            from pyttsx3.drivers import _espeak

            self._espeak: Any = _espeak
        except (RuntimeError, OSError, AttributeError) as exc:
            log.debug("pyttsx3.init failed", exc_info=True)
            raise EngineMissingError(INSTALL_ESPEAK) from exc
        self.lock = threading.Lock()
        self._done = threading.Event()
        self._errors: list[BaseException] = []
        self._tts.connect("finished-utterance", self._on_finished)
        self._tts.connect("error", self._on_error)
        self._voices: tuple[VoiceInfo, ...] | None = None

    @classmethod
    def get(cls) -> _Engine:
        with cls._create_lock:
            if cls._instance is None:
                cls._instance = cls()
            return cls._instance

    def _on_finished(self, name: str | None = None, completed: bool = True) -> None:
        self._done.set()

    def _on_error(self, name: str | None = None, exception: BaseException | None = None) -> None:
        if exception is not None:
            self._errors.append(exception)
        self._done.set()

    def _settle(self, engine: bool = True, seconds: float = 5.0) -> None:
        """Wait until eSpeak NG's command queue (and with `engine`, pyttsx3) is idle."""
        deadline = time.monotonic() + seconds
        while (engine and self._tts.isBusy()) or self._espeak.IsPlaying():
            if time.monotonic() > deadline:
                log.warning("eSpeak NG is still busy after %.0f s", seconds)
                return
            time.sleep(0.001)

    def voices(self) -> tuple[VoiceInfo, ...]:
        if self._voices is None:
            self._voices = tuple(
                VoiceInfo(
                    id=v.id,
                    name=v.name,
                    languages=tuple(str(lang) for lang in (v.languages or ())),
                    gender=v.gender,
                )
                for v in self._tts.getProperty("voices")
            )
        return self._voices

    def synthesise(self, text: str, settings: VoiceSettings, voice_id: str, path: Path) -> None:
        """Write `text` to `path` as a WAV and return only once eSpeak NG has written it."""
        self._done.clear()
        self._errors.clear()
        self._tts.setProperty("voice", voice_id)
        self._tts.setProperty("rate", settings.rate)
        self._tts.setProperty("volume", settings.volume)
        # eSpeak NG queues rate and volume behind its own thread; pyttsx3's runAndWait cancels
        # whatever is still queued ("playing"), settings included: let the queue drain first.
        self._settle(engine=False)
        self._tts.save_to_file(text, str(path))
        captured = io.StringIO()  # pyttsx3 prints "Audio saved to ..." on stdout
        with contextlib.redirect_stdout(captured):
            self._tts.runAndWait()
            finished = self._done.wait(timeout=30 + len(text) / 20)
            # eSpeak NG's thread announces the end before pyttsx3 is idle again.
            self._settle()
        if captured.getvalue().strip():
            log.debug("pyttsx3: %s", captured.getvalue().strip())
        if self._errors:
            raise VoiceError(f"eSpeak NG failed: {self._errors[0]}")
        if not finished:
            raise VoiceError("eSpeak NG did not finish the answer in time; try a shorter text")


def voices() -> tuple[VoiceInfo, ...]:
    """Every voice eSpeak NG offers through pyttsx3."""
    return _Engine.get().voices()


def resolve_voice(spec: str, available: tuple[VoiceInfo, ...]) -> str:
    """The engine's voice id for `spec`: an id, a name or a language, optionally with an eSpeak
    variant suffix such as "+f3"; raise VoiceError naming `legtwitch voices` otherwise."""
    base, _, variant = spec.strip().partition("+")
    wanted = base.strip().lower()
    for match in (
        lambda v: v.id.lower() == wanted,
        lambda v: v.id.lower().rsplit("/", 1)[-1] == wanted,
        lambda v: v.name.lower() == wanted,
        lambda v: wanted in (lang.lower() for lang in v.languages),
    ):
        found = next((v for v in available if match(v)), None)
        if found is not None:
            break
    else:
        raise VoiceError(
            f"no voice {spec!r}: type `legtwitch voices` to list them, then e.g. --voice en-us"
        )
    if variant:
        if not _VARIANT.match(variant):
            raise VoiceError(f"bad voice variant {variant!r}: use e.g. --voice en-us+f3")
        return f"{found.id}+{variant}"
    return found.id


def wav_problem(path: Path | str, exc: EOFError | wave.Error) -> str:
    """Why `wave` could not open `path`, in words: it gives a truncated file a bare EOFError."""
    if str(exc):
        return str(exc)
    with open(path, "rb") as file:
        head = file.read(4)
    if not head:
        return "the file is empty"
    if head != b"RIFF":
        return "file does not start with RIFF id"
    return "the file ends inside its WAV header"


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
    except (EOFError, wave.Error) as exc:
        raise VoiceError(f"{path} is not a valid WAV file: {wav_problem(path, exc)}") from exc
    if width != 2 or frames == 0 or len(data) != frames * width:
        raise VoiceError(f"{path} is incomplete: {frames} frames, {len(data)} bytes of audio")
    return frames / rate


def os_reason(exc: OSError) -> str:
    """What went wrong with a file, without the path: "is a directory", "permission denied"."""
    return exc.strerror.lower() if exc.strerror else str(exc)


def _cannot_write(path: Path, problem: OSError | str) -> VoiceError:
    """The error for a WAV file that cannot be written, saying why and what to type instead."""
    if isinstance(problem, OSError):
        problem = os_reason(problem)
    return VoiceError(f"cannot write {path} ({problem}): give a writable path")


def _new_partial(path: Path) -> Path:
    """A new empty file beside `path`, to write its audio in before it takes `path`'s place;
    created with mode 0o666 for the umask to trim, as any new file is. Raise VoiceError when
    `path` cannot be written (a directory, a read-only or missing place)."""
    if path.is_dir():
        raise _cannot_write(path, "is a directory")
    partial = path.parent / f".{path.stem}-{secrets.token_hex(8)}.wav"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    except OSError as exc:
        raise _cannot_write(path, exc) from exc
    return partial


class Speaker:
    """Speaks answers (SSML or plain text) with one voice, rate and volume.

    player: how to play them, "find" (the default) for this machine's (`find_player`), None for
    no sound device (answers go to a WAV in `speech_dir`, whatever the machine has)."""

    def __init__(
        self,
        settings: VoiceSettings | None = None,
        player: Player | Literal["find"] | None = "find",
        speech_dir: Path | None = None,
    ) -> None:
        self.settings = settings or VoiceSettings.from_env()
        self.player = find_player() if player == "find" else player
        self.speech_dir = speech_dir or default_speech_dir()
        self._engine = _Engine.get()
        self.voice_id = resolve_voice(self.settings.voice, self._engine.voices())

    @staticmethod
    def engine_text(speech: str) -> str:
        """The text handed to eSpeak NG: SSML turned into plain text, no tags, no entities."""
        text = to_plain_text(speech).strip()
        if not text:
            raise VoiceError("there is nothing to say: the answer is empty")
        return text

    def save(self, speech: str, path: Path | str, append: bool = False) -> Path:
        """Write `speech` to the WAV file `path`; return once it is complete and valid.

        With `append`, an existing WAV at `path` keeps its audio and this answer follows it.
        """
        path = Path(path)
        text = self.engine_text(speech)
        partial = _new_partial(path)
        try:
            with self._engine.lock:
                self._engine.synthesise(text, self.settings, self.voice_id, partial)
            check_wav(partial)
            if append and path.exists():
                _join_wavs(path, partial)
            os.replace(partial, path)
        except OSError as exc:
            raise _cannot_write(path, exc) from exc
        finally:
            partial.unlink(missing_ok=True)
        log.debug("wrote %s (%d characters)", path, len(text))
        return path

    def speak(self, speech: str) -> Delivery:
        """Play `speech` on the sound device; with none, write it to a WAV and say where."""
        fallback = self.speech_dir / "answer.wav"
        if self.player is None:
            self.save(speech, fallback)
            return Delivery(
                played=False,
                wav=fallback,
                notice=f"No audio output device found: the answer is in {fallback} instead.",
            )
        with tempfile.TemporaryDirectory(prefix="legtwitch-") as tmp:
            wav = self.save(speech, Path(tmp, "answer.wav"))
            complaint = self.player.play(wav)
            if complaint is None:
                return Delivery(played=True)
            try:
                fallback.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(wav, fallback)
            except OSError as exc:
                raise _cannot_write(fallback, exc) from exc
        return Delivery(
            played=False,
            wav=fallback,
            notice=f"Could not play the answer ({complaint}): it is in {fallback} instead.",
        )


def _join_wavs(first: Path, second: Path) -> None:
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


class SpeechSink:
    """Where the command line sends each turn's speech (a turn sink, like the transcript):
    the sound device (`--speak`) or a WAV file (`--wav FILE`; with `append`, the first answer
    replaces the file and the next ones follow it). Notices go to `notices`, one line each, and
    a notice is not repeated on the turns right after it.
    With `keep_going` (chat), a missing engine is reported once and the rest of the session is
    text only; `exit_code` is then 2."""

    def __init__(
        self,
        settings: VoiceSettings,
        notices: TextIO,
        wav: Path | None = None,
        append: bool = False,
        keep_going: bool = False,
    ) -> None:
        if wav is not None:
            _new_partial(wav).unlink()  # an unwritable path is refused now, not after a turn
        self.settings, self.notices, self.wav = settings, notices, wav
        self.append, self.keep_going = append, keep_going
        self.exit_code = 0
        self._speaker: Speaker | None = None
        self._failed = self._written = False
        self._last_notice: str | None = None  # the same notice again, turn after turn, is not said

    def show(self, turn: Any) -> None:
        """Speak (or write) the turn's SSML, or its plain speech when it has none."""
        speech = getattr(turn, "ssml", None) or getattr(turn, "speech", "")
        if self._failed or not speech or not to_plain_text(speech).strip():
            return
        try:
            if self._speaker is None:
                self._speaker = Speaker(self.settings)
            if self.wav is not None:
                self._speaker.save(speech, self.wav, append=self.append and self._written)
                self._written = True
                return
            delivery = self._speaker.speak(speech)
        except EngineMissingError as exc:
            if not self.keep_going:
                raise
            self._failed, self.exit_code = True, 2
            print(f"legtwitch: {exc}; carrying on in text only", file=self.notices, flush=True)
            return
        if delivery.notice and delivery.notice != self._last_notice:
            print(delivery.notice, file=self.notices, flush=True)
        self._last_notice = delivery.notice


def describe_voices(found: tuple[VoiceInfo, ...], language: str | None = None) -> list[str]:
    """`legtwitch voices`: one line per voice (id, language, gender, name), English first."""
    prefix = (language or "").lower()
    wanted = [v for v in found if any(lang.lower().startswith(prefix) for lang in v.languages)]
    wanted.sort(key=lambda v: (not any(lang.startswith("en") for lang in v.languages), v.id))
    lines = [f"{'VOICE':<28} {'LANGUAGE':<16} {'GENDER':<7} NAME"]
    for v in wanted:
        default = "  (default)" if v.id == DEFAULT_VOICE else ""
        languages = ",".join(v.languages)
        lines.append(f"{v.id:<28} {languages:<16} {v.gender or '-':<7} {v.name}{default}")
    lines.append(
        "Add an eSpeak NG variant for another sound, e.g. --voice en-us+f2 (f1-f5 female, "
        "m1-m7 male, klatt, whisper, croak)."
    )
    return lines
