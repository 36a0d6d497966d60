"""The `legtwitch chat` loop: type what you would say to Alexa, see what it says back.

Lines are utterances in one session that lasts until the skill ends it; lines starting with a dot
are commands (.launch, .new, .quit, .help). With a terminal, lines can be edited and recalled
(readline), and the history is kept between runs.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TextIO

from skill import settings
from skill.errors import InputError, TransportError
from skill.simulator.simulator import Simulator, Turn
from skill.simulator.transcript import TurnSink
from skill.simulator.utterance import read_line

log = logging.getLogger(__name__)

PROMPT = "you> "
HISTORY_SIZE = 1000
BANNER = (
    "Leg Twitch Guide text simulator. Type what you would say to Alexa, e.g. "
    '"why do my legs twitch at night".\n'
    "Commands: .launch opens the skill, .new starts a new session, .help, .quit (or Ctrl-D)."
)
HELP = (
    ".launch  open the skill, as 'Alexa, open leg twitch guide'\n"
    ".new     end this session and start afresh (the next line opens a new one)\n"
    ".quit    leave (Ctrl-D too)\n"
    "Anything else is said to the skill; the session carries over until the skill ends it."
)


def history_path() -> Path:
    """Where chat history is kept: LEGTWITCH_HISTORY (skill.settings.HISTORY), else under
    $XDG_STATE_HOME or ~/.local/state."""
    configured = settings.HISTORY.read()
    if configured is not None:
        return configured
    state = Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state")
    return state / "legtwitch" / "history"


class Repl:
    """Reads lines, plays them through the simulator and shows each turn on every sink."""

    def __init__(
        self, simulator: Simulator, sinks: Iterable[TurnSink], out: TextIO | None = None,
        read: Callable[[str], str] | None = None, echo: bool = False,
    ) -> None:  # fmt: skip
        self.simulator, self.sinks = simulator, list(sinks)
        self.out = out or sys.stdout  # banner, prompts and messages (stderr when turns are JSON)
        self.read = read or self._read_line
        self.echo = echo  # print each line read, so a piped session reads as a transcript
        self.errors = 0

    def run(self) -> int:
        """The loop; returns the exit status (1 if any line could not be played)."""
        print(BANNER, file=self.out, flush=True)
        while True:
            try:
                line = self.read(PROMPT)
            except EOFError:
                print(file=self.out)
                break
            except KeyboardInterrupt:
                print("\n(.quit or Ctrl-D to leave)", file=self.out, flush=True)
                continue
            if self.echo:
                print(line, file=self.out, flush=True)
            if not self.handle(line):
                break
        try:
            self.simulator.end()
        except TransportError as exc:
            log.warning("session not closed: %s", exc)
        return 1 if self.errors else 0

    def _read_line(self, prompt: str) -> str:
        """A line from standard input, the prompt on `out`; EOFError at the end."""
        print(prompt, end="", file=self.out, flush=True)
        line = read_line(sys.stdin)
        if not line:
            raise EOFError
        return line.rstrip("\r\n")

    def handle(self, line: str) -> bool:
        """Play one line; False when it asks to leave."""
        text = line.strip()
        if not text:
            return True
        if text.startswith("."):
            return self._command(text)
        try:
            self._show(self.simulator.say(text))
        except (InputError, TransportError) as exc:
            self.errors += 1
            print(f"legtwitch: {exc}", file=self.out, flush=True)
        return True

    def _command(self, text: str) -> bool:
        command = text.split()[0].lower()
        try:
            if command in (".quit", ".exit", ".q"):
                return False
            if command == ".launch":
                self._show(self.simulator.launch())
            elif command == ".new":
                self.simulator.end()
                print("(new session: the next line opens it)", file=self.out, flush=True)
            elif command in (".help", ".h", ".?"):
                print(HELP, file=self.out, flush=True)
            else:
                print(f"unknown command {command}: type .help", file=self.out, flush=True)
        except TransportError as exc:
            self.errors += 1
            print(f"legtwitch: {exc}", file=self.out, flush=True)
        return True

    def _show(self, turn: Turn) -> None:
        for sink in self.sinks:
            sink.show(turn)


def line_editing(path: Path | None = None) -> Callable[[], None]:
    """Turn on readline editing and history for an interactive terminal; returns the saver."""
    try:
        import readline
    except ImportError:  # not on every platform; chat works without it
        return lambda: None
    path = path or history_path()
    try:
        readline.read_history_file(path)
    except OSError:
        pass
    readline.set_history_length(HISTORY_SIZE)

    def save() -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            readline.write_history_file(path)
        except OSError as exc:
            log.warning("chat history not saved to %s: %s", path, exc)

    return save
