"""How simulator turns are shown: a readable transcript for people, JSON lines for programs.

Each sink has one method, `show(turn)`; the command line sends every turn to each sink it was
asked for, so another output (speech through a loudspeaker, a WAV file) is one more sink.
"""

from __future__ import annotations

import json
import textwrap
from typing import Protocol, TextIO

from skill.core.screen import FIELDS
from skill.simulator.simulator import Turn

WIDTH = 100


class TurnSink(Protocol):
    """Somewhere a turn goes once the skill has answered."""

    def show(self, turn: Turn) -> None: ...


class SpeechOnly:
    """Just what Alexa says, one line per turn (`legtwitch ask`)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def show(self, turn: Turn) -> None:
        print(turn.speech, file=self.stream, flush=True)
        _show_screen(turn, self.stream)


def _show_screen(turn: Turn, out: TextIO) -> None:
    """What a screen device shows with the turn (`--screen`), if it shows anything."""
    screen = turn.screen
    if screen is not None:
        shown = [screen.get(name, "") for name in FIELDS]
        print(_wrap("  [screen] ", "\n".join(line for line in shown if line)), file=out, flush=True)


class Transcript:
    """A readable transcript: speech, reprompt, card, end of session.

    details: also the intent, slots and topic understood, and the card's text in full.
    """

    def __init__(self, stream: TextIO, details: bool = False) -> None:
        self.stream, self.details = stream, details

    def show(self, turn: Turn) -> None:
        out = self.stream
        if self.details:
            understood = turn.intent or turn.request_type
            slots = " ".join(f"{k}={v}" for k, v in turn.slots.items() if v is not None)
            topic = f" -> topic {turn.topic}" if turn.topic else ""
            print(f"  [{understood}{' ' + slots if slots else ''}{topic}]", file=out)
        if turn.speech:
            print(_wrap("Alexa: ", turn.speech), file=out)
        if turn.reprompt:
            print(_wrap("  (if you say nothing) ", turn.reprompt), file=out)
        if turn.card is not None:
            # The card's paragraphs Alexa also says are left out unless details are asked for.
            paragraphs = [p.strip() for p in turn.card.text.split("\n\n") if p.strip()]
            if not self.details:
                paragraphs = [p for p in paragraphs if " ".join(p.split()) not in turn.speech]
            print(_wrap("  [card] ", "\n".join([turn.card.title, *paragraphs])), file=out)
        _show_screen(turn, out)
        if turn.end_session:
            print("  (session ended)", file=out)
        out.flush()


class JsonLines:
    """One JSON object per turn, on one line, with exactly the documented keys."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def show(self, turn: Turn) -> None:
        print(json.dumps(turn.to_json(), ensure_ascii=False), file=self.stream, flush=True)


def _wrap(prefix: str, text: str) -> str:
    paragraphs = [p for p in text.splitlines() if p.strip()] or [""]
    indent = " " * len(prefix)
    lines = []
    for i, para in enumerate(paragraphs):
        first = prefix if i == 0 else indent
        lines.append(textwrap.fill(para, WIDTH, initial_indent=first, subsequent_indent=indent))
    return "\n".join(lines)
