"""The pyttsx3 engine (eSpeak NG on Linux), with the workarounds that make it write a whole WAV.

pyttsx3 2.99 on Linux returns from runAndWait() before the file is written, cancels queued rate
and volume settings, prints "Audio saved to" on stdout and ignores unknown voices; `Engine`
waits for eSpeak NG's own finished event, lets its queue drain, and captures what it prints.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from skill.errors import EngineMissingError, VoiceError
from skill.voice.voices import VoiceInfo

if TYPE_CHECKING:
    from skill.voice.speaker import VoiceSettings

log = logging.getLogger(__name__)

ESPEAK_PACKAGE = "espeak-ng"
INSTALL_ESPEAK = (
    f"eSpeak NG is not installed: install the Debian package {ESPEAK_PACKAGE} "
    f"(sudo apt-get install {ESPEAK_PACKAGE}), or type the question without --speak"
)
INSTALL_EXTRA = "pyttsx3 is not installed: pip install 'legtwitch[voice]'"


class Engine:
    """The process's one pyttsx3 engine (eSpeak NG initialises once per process), used under a
    lock, one utterance at a time, with completion taken from its finished-utterance event."""

    _instance: Engine | None = None
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
    def get(cls) -> Engine:
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
