"""`legtwitch talk`: a spoken conversation that keeps the session, as on an Echo, offline.

The guide opens the skill and speaks; the microphone is read all along, but what it hears while
the guide speaks is dropped (the guide never hears itself); then it listens for the person's
reply or next question, until the skill ends the session, the person says stop, or stays silent
through the reprompt, or presses Ctrl-C.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

from ask_sdk_model import SessionEndedReason

from skill.errors import NoDeviceError, VoiceError
from skill.simulator.interpretation import Interpretation
from skill.voice.audio import Recorder, Recording

if TYPE_CHECKING:
    from skill.simulator.simulator import Simulator, Turn
    from skill.simulator.transcript import TurnSink
    from skill.voice.listener import Listener
    from skill.voice.sink import SpeechSink

FALLBACK = "AMAZON.FallbackIntent"  # what Alexa sends for speech that matches nothing


@dataclass(frozen=True)
class Timing:
    """How long the guide waits for the person to start speaking (then says the reprompt, or,
    after the reprompt, closes the session, as Alexa does after about 8 s), and the longest a
    question may last."""

    wait: float = 8.0
    longest: float = 15.0

    def __post_init__(self) -> None:
        if not 1.0 <= self.wait <= 60.0:
            raise VoiceError(f"a wait of {self.wait:g} s is out of range: type a number of "
                             "seconds from 1 to 60, e.g. --wait 8")


class Microphone:
    """The recorder read continuously on a thread of its own, in frames; `drop` forgets what was
    heard so far (the guide's own voice, while it spoke)."""

    STALL = 5.0  # seconds without any audio after which the microphone is taken for broken

    def __init__(self, recorder: Recorder, frame_bytes: int) -> None:
        self.recorder, self.frame_bytes = recorder, frame_bytes
        self._frames: queue.Queue[bytes] = queue.Queue()
        self._again: deque[bytes] = deque()  # frames given back (`unread`), read before the rest
        self._recording: Recording | None = None
        self._thread: threading.Thread | None = None

    def __enter__(self) -> Microphone:
        self._recording = self.recorder.start()
        self._thread = threading.Thread(target=self._read, args=(self._recording,),
                                        name="microphone", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._recording is not None:
            self._recording.close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _read(self, recording: Recording) -> None:
        try:
            while frame := recording.read(self.frame_bytes):
                self._frames.put(frame)
        except (OSError, ValueError):  # the stream closed under the read: the end
            pass
        self._frames.put(b"")  # the end of the recording

    def unread(self, frames: Iterable[bytes]) -> None:
        """Give `frames` back, to be read again before any other."""
        self._again.extendleft(reversed(list(frames)))

    def drop(self) -> None:
        """Forget every frame heard so far (the end of the recording, if reached, is kept)."""
        self._again.clear()
        ended = False
        while True:
            try:
                ended = self._frames.get_nowait() == b"" or ended
            except queue.Empty:
                break
        if ended:
            self._frames.put(b"")

    def frames(self) -> Iterator[bytes]:
        """The frames as they come; NoDeviceError when the recorder stops or stalls."""
        while True:
            if self._again:
                yield self._again.popleft()
                continue
            try:
                frame = self._frames.get(timeout=self.STALL)
            except queue.Empty:
                raise NoDeviceError(f"the microphone ({self.recorder.command[0]}) gave no audio "
                                    f"for {self.STALL:g} s: check it, or type `legtwitch chat "
                                    "--speak` to type instead") from None
            if not frame:
                self._frames.put(b"")
                raise NoDeviceError(f"the microphone ({self.recorder.command[0]}) stopped: check "
                                    "it, or type `legtwitch chat --speak` to type instead")
            yield frame


class Conversation:
    """The spoken loop: each turn shown on `sinks` (a transcript) and spoken by `speech`; what
    was heard is printed on `out` before each answer (`you> ...`). With `barge_in`, the person
    speaking while the guide speaks stops it, and what they say is the next turn (with a
    headset: through loudspeakers, the microphone hears the guide's own voice and stops it)."""

    def __init__(
        self, simulator: Simulator, listener: Listener, speech: SpeechSink,
        sinks: Sequence[TurnSink], out: TextIO, timing: Timing | None = None,
        barge_in: bool = False,
    ) -> None:  # fmt: skip
        self.simulator, self.listener, self.speech = simulator, listener, speech
        self.sinks, self.out, self.timing = list(sinks), out, timing or Timing()
        self.barge_in = barge_in

    def run(self, microphone: Microphone) -> int:
        """Hold the conversation until it ends; 0 when it ended as a conversation does (by the
        skill, by silence, or by Ctrl-C), NoDeviceError when the microphone failed."""
        try:
            turn = self._answer(self.simulator.launch(), microphone)
            reprompted = False
            while not turn.end_session:
                heard = self.listener.hear(microphone.frames(), self.timing.wait, self.timing.longest,
                                           replies=turn.topic is not None)
                if heard is None:
                    self._print("you> (silence)")
                    if reprompted or not turn.reprompt:
                        self.simulator.end(SessionEndedReason.EXCEEDED_MAX_REPROMPTS)
                        self._print("  (session ended: no answer)")
                        return 0
                    self._print(f"Alexa: {turn.reprompt}")
                    self._say(turn.reprompt, microphone)
                    reprompted = True
                    continue
                reprompted = False
                self._print(f"you> {heard.text or '(not understood)'}")
                if heard.text:
                    turn = self.simulator.say(heard.text)
                else:
                    turn = self.simulator.send_intent(Interpretation(FALLBACK))
                turn = self._answer(turn, microphone)
        except KeyboardInterrupt:
            self.simulator.end(SessionEndedReason.USER_INITIATED)
            self._print("\n  (session ended: Ctrl-C)")
        return 0

    def _answer(self, turn: Turn, microphone: Microphone) -> Turn:
        """Show and speak `turn`."""
        for sink in self.sinks:
            sink.show(turn)
        self._say(turn.speech, microphone)
        return turn

    def _say(self, speech: str, microphone: Microphone) -> None:
        """Speak `speech`, then forget what the microphone heard meanwhile (the guide's own
        voice); with barge-in, the person starting to speak stops it, and what they say from
        then on is kept for the next listening."""
        if not self.barge_in:
            self.speech.say(speech)
            microphone.drop()
            return
        spoke, done = threading.Event(), threading.Event()
        kept: list[list[bytes]] = []

        def watch() -> None:
            with contextlib.suppress(NoDeviceError):  # the listening after says so
                frames = self.listener.speech_starts(microphone.frames(), done)
                if frames is not None:
                    kept.append(frames)
                    spoke.set()

        watcher = threading.Thread(target=watch, name="barge-in", daemon=True)
        watcher.start()
        try:
            self.speech.say(speech, spoke)
        finally:
            done.set()
            watcher.join()
        if kept:
            self._print("  (stopped: you spoke)")
            microphone.unread(kept[0])
        else:
            microphone.drop()

    def _print(self, line: str) -> None:
        print(line, file=self.out, flush=True)
