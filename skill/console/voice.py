"""The console's speech: answers synthesised by the same Speaker as `--speak`, questions heard by the
same Listener as `legtwitch listen`, each built once when first needed, or the reason it cannot be."""

from __future__ import annotations

import importlib.util
import tempfile
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from skill.errors import EngineMissingError, VoiceError

if TYPE_CHECKING:
    from skill.voice.listener import Listener, Recognition
    from skill.voice.speaker import Speaker

RECORDING = "recording.wav"  # the name an uploaded recording is read under


class Voice:
    """Speech out and in for the console; `play_problem`/`speak_problem` say why either cannot work."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._decoding = threading.Lock()  # one pocketsphinx decoder: one recording at a time
        self._speaker: Speaker | None = None
        self._listener: Listener | None = None
        self._problems: dict[str, str] = {}

    def play_problem(self) -> str | None:
        """None when answers can be synthesised, else why not (what to install)."""
        try:
            self.speaker()
        except VoiceError as exc:
            return str(exc)
        return None

    def speak_problem(self) -> str | None:
        """None when questions can be recognised, else why not. Cheap: the listener itself is
        built on the first recording."""
        if "listen" in self._problems:
            return self._problems["listen"]
        if importlib.util.find_spec("pocketsphinx") is None:
            from skill.voice.listener import INSTALL_EXTRA

            return INSTALL_EXTRA
        return None

    def speaker(self) -> Speaker:
        with self._lock:
            if "play" in self._problems:
                raise EngineMissingError(self._problems["play"])
            if self._speaker is None:
                try:
                    from skill.voice.speaker import Speaker, VoiceSettings

                    self._speaker = Speaker(VoiceSettings.from_env(), player=None)
                except VoiceError as exc:
                    self._problems["play"] = str(exc)
                    raise
            return self._speaker

    def listener(self) -> Listener:
        with self._lock:
            if "listen" in self._problems:
                raise EngineMissingError(self._problems["listen"])
            if self._listener is None:
                try:
                    from skill.voice.listener import Listener

                    self._listener = Listener()
                except VoiceError as exc:
                    self._problems["listen"] = str(exc)
                    raise
            return self._listener

    def synthesise(self, speech: str) -> bytes:
        """`speech` as the bytes of a WAV file, spoken as `--speak` would speak it."""
        speaker = self.speaker()
        with tempfile.TemporaryDirectory(prefix="legtwitch-console-") as tmp:
            return speaker.save(speech, Path(tmp, "answer.wav")).read_bytes()

    def recognise(self, wav: bytes) -> Recognition:
        """What is said in the WAV file `wav` (any PCM format `legtwitch listen` reads). A bad
        recording (however `wave` fails on it: read_pcm makes every such failure a VoiceError) is
        a VoiceError naming "the recording", not a temporary file."""
        listener = self.listener()
        with tempfile.TemporaryDirectory(prefix="legtwitch-console-") as tmp:
            path = Path(tmp, RECORDING)
            path.write_bytes(wav)
            try:
                with self._decoding:
                    return listener.recognise_wav(path)
            except VoiceError as exc:
                raise VoiceError(str(exc).replace(str(path), "the recording")) from exc
