"""Speech out: answers spoken by pyttsx3 (eSpeak NG on Linux), to the sound device or a WAV file."""

from __future__ import annotations

import logging
import os
import re
import stat
import tempfile
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from skill import files, settings
from skill.core.ssml import to_plain_text
from skill.errors import ConfigError, VoiceError
from skill.voice.audio import (
    Player,
    cannot_write,
    check_target,
    check_wav,
    find_player,
    join_wavs,
    new_partial,
)
from skill.voice.engine import Engine
from skill.voice.voices import DEFAULT_VOICE, resolve_voice

log = logging.getLogger(__name__)

# Where a spoken answer may be cut without cutting a phrase: after a sentence or a clause
# (eSpeak NG pauses there anyway, and ends each part with the intonation of its punctuation).
_CLAUSE_END = re.compile(r"(?<=[.?!,;:])\s+")
FIRST_PART_WORDS = 3  # the first part played is at least this many words ("Too much caffeine,")
# Seconds a just-started player has the CPU to itself before the rest of the answer is
# synthesised: a new process starts on its parent's core, and eSpeak NG synthesising there at
# once delayed the player by about 2 ms (`python -m bench talk`); the first clause plays for
# seconds, so the rest is not needed sooner.
PLAYER_HEAD_START = 0.001
DEFAULT_RATE = 175
DEFAULT_VOLUME = 1.0
MIN_RATE, MAX_RATE = 80, 450


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
        env: Mapping[str, str] | None = None,
    ) -> VoiceSettings:
        """Settings from the arguments given, else the LEGTWITCH_* variables, else defaults."""
        try:
            env_rate, env_volume = settings.RATE.read(env), settings.VOLUME.read(env)
        except ConfigError as exc:  # a bad variable: what to type, as for a bad option
            raise VoiceError(str(exc)) from exc
        return cls(
            voice=voice or settings.VOICE.read(env) or DEFAULT_VOICE,
            rate=rate if rate is not None else env_rate if env_rate is not None else DEFAULT_RATE,
            volume=volume if volume is not None else env_volume if env_volume is not None
            else DEFAULT_VOLUME,
        )


@dataclass(frozen=True)
class Delivery:
    """What happened to one spoken answer: played on a device, or written to `wav` with a
    one-line `notice` for the user saying why and where."""

    played: bool
    wav: Path | None = None
    notice: str | None = None
    stopped: bool = False  # played, but stopped before its end (the person spoke over it)


def default_speech_dir(env: Mapping[str, str] | None = None) -> Path:
    """Where answers go when there is no sound device: LEGTWITCH_SPEECH_DIR, or a folder of this
    user's own under the temp dir ($TMPDIR/legtwitch-UID; see `private_dir`)."""
    uid = os.geteuid() if hasattr(os, "geteuid") else 0
    return settings.SPEECH_DIR.read(env) or Path(tempfile.gettempdir(), f"legtwitch-{uid}")


def private_dir(path: Path) -> Path:
    """`path` as a directory only this user can write in: created with mode 0700 when missing
    (its parent must exist); refused (VoiceError) when it is a link or not a directory, owned by
    another user, or writable by group or others, since another user could then plant a link
    where an answer is written."""
    def refuse(problem: str) -> VoiceError:
        return VoiceError(f"cannot keep answers in {path} ({problem}): set {settings.SPEECH_DIR.name}"
                          " to a directory of your own that only you can write to (mode 0700)")

    try:
        os.mkdir(path, 0o700)
    except FileExistsError:
        pass
    except OSError as exc:
        raise refuse(files.os_reason(exc)) from exc
    try:
        info = os.lstat(path)
    except OSError as exc:
        raise refuse(files.os_reason(exc)) from exc
    if not stat.S_ISDIR(info.st_mode):
        raise refuse(f"it is {files.kind(info.st_mode)}")
    if hasattr(os, "geteuid") and info.st_uid != os.geteuid():
        raise refuse(f"it belongs to user id {info.st_uid}")
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        raise refuse(f"its mode {stat.S_IMODE(info.st_mode):04o} lets others write in it")
    return path


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
        self._engine = Engine.get()
        self.voice_id = resolve_voice(self.settings.voice, self._engine.voices(),
                                      self._engine.variants())

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
        partial = new_partial(path)
        try:
            with self._engine.lock:
                self._engine.synthesise(text, self.settings, self.voice_id, partial)
            check_wav(partial)
            check_target(path)  # again: what was there may have changed while eSpeak NG spoke
            if append and path.exists():
                join_wavs(path, partial)
            os.replace(partial, path)  # replaces a regular file (or a link planted since: not
            # its target), never writing through a link
        except OSError as exc:
            raise cannot_write(path, exc) from exc
        finally:
            partial.unlink(missing_ok=True)
        log.debug("wrote %s (%d characters)", path, len(text))
        return path

    def speak(self, speech: str, stop: threading.Event | None = None) -> Delivery:
        """Play `speech` on the sound device; with none, write it to a WAV in the speech
        directory (a private one: `private_dir`) and say where. Setting `stop` while it plays
        stops it there (the person spoke over it).

        The first clause is played as soon as it is synthesised, and the rest is synthesised
        while it plays (the player is started once for each of the two): the answer starts
        sooner than if its whole first sentence were waited for."""
        if self.player is None:
            return self._keep(speech, "No audio output device found")
        first, rest = first_part(self.engine_text(speech))
        with tempfile.TemporaryDirectory(prefix="legtwitch-") as tmp:
            playing = self.player.start(self.save(first, Path(tmp, "first.wav")))
            try:
                following = None
                if rest:
                    time.sleep(PLAYER_HEAD_START)
                    following = self.save(rest, Path(tmp, "rest.wav"))
            finally:
                complaint = playing.wait(stop)
            if complaint is None and following is not None and not _is_set(stop):
                complaint = self.player.play(following, stop)
        if complaint is None:
            return Delivery(played=True, stopped=_is_set(stop))
        return self._keep(speech, f"Could not play the answer ({complaint})")

    def _keep(self, speech: str, why: str) -> Delivery:
        """`speech` written to answer.wav in the speech directory, for want of a player."""
        fallback = self.speech_dir / "answer.wav"
        private_dir(self.speech_dir)
        self.save(speech, fallback)
        return Delivery(played=False, wav=fallback, notice=f"{why}: the answer is in {fallback} instead.")


def _is_set(event: threading.Event | None) -> bool:
    return event is not None and event.is_set()


def first_part(text: str) -> tuple[str, str]:
    """`text` split after its first clause of FIRST_PART_WORDS words or more (a sentence, or a
    phrase ending in a comma, semicolon or colon): (that part, the rest, which may be empty)."""
    for end in _CLAUSE_END.finditer(text):
        if len(text[: end.start()].split()) >= FIRST_PART_WORDS:
            return text[: end.start()], text[end.end() :]
    return text, ""
