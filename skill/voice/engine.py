"""The pyttsx3 engine (eSpeak NG on Linux), writing each answer to a whole WAV as soon as eSpeak
NG has synthesised it.

pyttsx3 2.99 on Linux returns from runAndWait() before the file is written, cancels queued rate
and volume settings, polls its loop every 10 ms (most of a short sentence's time) and prints
"Audio saved to" on stdout. `Engine` keeps pyttsx3 for what works (eSpeak NG's initialisation,
its voices, its driver's setters of voice, rate and volume) and takes the audio from pyttsx3's
own eSpeak NG binding through a callback of its own, returning when eSpeak NG ends the text.
"""

from __future__ import annotations

import ctypes
import logging
import os
import threading
import wave
from collections import OrderedDict
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
SAMPLE_RATE = 22050  # eSpeak NG's own voices (pyttsx3 writes its WAVs at this rate too)
KEPT_AUDIO = 16 * 1024 * 1024  # bytes of synthesised audio kept for texts said again ("repeat")


class Engine:
    """The process's one pyttsx3 engine (eSpeak NG initialises once per process), used under a
    lock, one text at a time: eSpeak NG's audio is gathered by `_on_audio` until its end."""

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
            from pyttsx3.drivers import _espeak, espeak

            self._espeak: Any = _espeak
            # The driver's own setter acts at once; the engine's waits in pyttsx3's queue until a
            # runAndWait(), which is not used here.
            self._set: Any = espeak.EspeakDriver.setProperty
        except (RuntimeError, OSError, AttributeError) as exc:
            log.debug("pyttsx3.init failed", exc_info=True)
            raise EngineMissingError(INSTALL_ESPEAK) from exc
        self.lock = threading.Lock()
        self._done = threading.Event()
        self._audio = bytearray()
        # The audio of the texts synthesised last, newest last: a text said again in the same
        # voice (the answer to "repeat", the help, a reprompt) is written without eSpeak NG.
        self._kept: OrderedDict[tuple[str, str, int, float], bytes] = OrderedDict()
        self.synthesised = 0  # texts eSpeak NG has synthesised
        # In place of pyttsx3's driver's callback (its say() is never used here): the binding
        # keeps this one alive for as long as eSpeak NG may call it.
        _espeak.SetSynthCallback(self._on_audio)
        self._voices: tuple[VoiceInfo, ...] | None = None
        self._variants: tuple[str, ...] | None = None

    @classmethod
    def get(cls) -> Engine:
        with cls._create_lock:
            if cls._instance is None:
                cls._instance = cls()
            return cls._instance

    def _on_audio(self, samples: Any, count: int, events: Any) -> int:
        """eSpeak NG's callback, on its own thread: a buffer of samples, and the events in it."""
        if count > 0:
            self._audio += ctypes.string_at(samples, count * ctypes.sizeof(ctypes.c_short))
        i = 0
        while events[i].type != self._espeak.EVENT_LIST_TERMINATED:
            if events[i].type == self._espeak.EVENT_MSG_TERMINATED:
                self._done.set()
            i += 1
        return 0  # go on synthesising

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

    def variants(self) -> tuple[str, ...]:
        """The names of eSpeak NG's voice variants (its voices/!v folder: f1, m3, klatt...)."""
        if self._variants is None:
            spec = self._espeak.VOICE()
            spec.languages = b"variant"  # eSpeak NG lists its variants for this language
            found = self._espeak.ListVoices(ctypes.byref(spec))
            self._variants = tuple(
                os.path.basename(v.identifier.decode("utf-8", "replace"))
                for v in found if v.identifier)
        return self._variants

    def synthesise(self, text: str, settings: VoiceSettings, voice_id: str, path: Path) -> None:
        """Write `text` to `path` as a WAV and return once eSpeak NG has synthesised all of it
        (or at once, for a text it synthesised lately in the same voice, rate and volume)."""
        key = (text, voice_id, settings.rate, settings.volume)
        audio = self._kept.get(key)
        if audio is None:
            audio = self._synthesised(text, settings, voice_id)
            self._keep(key, audio)
        else:
            self._kept.move_to_end(key)
        with wave.open(str(path), "wb") as wav:
            wav.setnchannels(1)
            wav.setsampwidth(2)
            wav.setframerate(SAMPLE_RATE)
            wav.writeframes(audio)

    def forget(self) -> None:
        """Forget the audio kept for texts said again."""
        self._kept.clear()

    def _keep(self, key: tuple[str, str, int, float], audio: bytes) -> None:
        self._kept[key] = audio
        while sum(map(len, self._kept.values())) > KEPT_AUDIO and len(self._kept) > 1:
            self._kept.popitem(last=False)

    def _synthesised(self, text: str, settings: VoiceSettings, voice_id: str) -> bytes:
        """eSpeak NG's audio for `text`."""
        self._done.clear()
        self._audio.clear()
        try:
            self._set("voice", voice_id)
            self._set("rate", settings.rate)
            self._set("volume", settings.volume)
        except ValueError as exc:  # eSpeak NG refused the voice
            raise VoiceError(f"eSpeak NG cannot use voice {voice_id}: {exc}; type "
                             "`legtwitch voices` to see the voices it has") from exc
        # eSpeak NG runs its commands in order on its own thread: the settings come first.
        status = self._espeak.Synth(text.encode("utf-8"),
                                    flags=self._espeak.ENDPAUSE | self._espeak.CHARS_UTF8)
        if status:
            raise VoiceError(f"eSpeak NG refused the answer (error {status}); try again")
        if not self._done.wait(timeout=30 + len(text) / 20):
            self._espeak.Cancel()
            raise VoiceError("eSpeak NG did not finish the answer in time; try a shorter text")
        self.synthesised += 1
        return bytes(self._audio)
