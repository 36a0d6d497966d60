"""The command line's speech output: each turn's answer spoken, or written to a WAV file."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from skill.errors import EngineMissingError
from skill.voice.audio import new_partial
from skill.voice.speaker import Speaker, VoiceSettings

if TYPE_CHECKING:
    from skill.simulator.simulator import Turn


class SpeechSink:
    """Where the command line sends each turn's speech (a turn sink, like the transcript):
    the sound device (`--speak`) or a WAV file (`--wav FILE`; with `append`, the first answer
    replaces the file and the next ones follow it). Notices go to `notices`, one line each, and
    a notice is not repeated on the turns right after it.
    With `keep_going` (chat), a missing engine is reported once and the rest of the session is
    text only; `failure` then holds that error, for the command's exit code."""

    def __init__(
        self,
        settings: VoiceSettings,
        notices: TextIO,
        wav: Path | None = None,
        append: bool = False,
        keep_going: bool = False,
    ) -> None:
        if wav is not None:
            new_partial(wav).unlink()  # an unwritable path is refused now, not after a turn
        self.settings, self.notices, self.wav = settings, notices, wav
        self.append, self.keep_going = append, keep_going
        self.failure: EngineMissingError | None = None
        self._speaker: Speaker | None = None
        self._written = False
        self._last_notice: str | None = None  # the same notice again, turn after turn, is not said

    def show(self, turn: Turn) -> None:
        """Speak (or write) the turn's speech, made plain text once, when the turn was read."""
        self.say(turn.speech)

    def say(self, speech: str, stop: threading.Event | None = None) -> None:
        """Speak (or write) `speech`: a turn's answer, or its reprompt when the person is silent;
        setting `stop` stops it where it is (`Speaker.speak`)."""
        if self.failure is not None or not speech.strip():
            return
        try:
            if self._speaker is None:
                self._speaker = Speaker(self.settings)
            if self.wav is not None:
                self._speaker.save(speech, self.wav, append=self.append and self._written)
                self._written = True
                return
            delivery = self._speaker.speak(speech, stop)
        except EngineMissingError as exc:
            if not self.keep_going:
                raise
            self.failure = exc
            print(f"legtwitch: {exc}; carrying on in text only", file=self.notices, flush=True)
            return
        if delivery.notice and delivery.notice != self._last_notice:
            print(delivery.notice, file=self.notices, flush=True)
        self._last_notice = delivery.notice
