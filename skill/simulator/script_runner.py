"""Conversation scripts played through the text simulator: each expectation checked, failures reported.

A script (skill.simulator.script) starts with no session; each turn is said, launched, sent as an
intent or ended, and what came back is compared with what the turn expects.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ask_sdk_model import SessionEndedReason

from skill.core.model import InteractionModel
from skill.errors import LegTwitchError, ScriptError
from skill.simulator.interpretation import Interpretation, SlotFill
from skill.simulator.script import TEXT_KEYS, Script, Step, load
from skill.simulator.simulator import Simulator, Turn


@dataclass(frozen=True)
class Failure:
    """One expectation that did not hold."""

    step: Step
    key: str
    expected: Any
    got: Any

    def __str__(self) -> str:
        return (
            f"  turn {self.step.index} ({self.step.describe()}): {self.key}: "
            f"expected {_show(self.expected)}, got {_show(self.got)}"
        )


@dataclass(frozen=True)
class Result:
    """The outcome of one script: its failures (none when it passed), or the error that stopped it."""

    script: Script
    failures: tuple[Failure, ...] = ()
    error: str | None = None

    @property
    def ok(self) -> bool:
        return not self.failures and self.error is None

    def report(self) -> str:
        head = f"{'PASS' if self.ok else 'FAIL'} {self.script.path}: {self.script.name}"
        lines = [head, *(str(f) for f in self.failures)]
        if self.error:
            lines.append(f"  stopped: {self.error}")
        return "\n".join(lines)


def run(script: Script, simulator: Simulator) -> Result:
    """Play the script through the simulator (from no session) and check every expectation."""
    failures: list[Failure] = []
    simulator.reset()
    for step in script.steps:
        try:
            turn = _play(script.path, step, simulator)
        except LegTwitchError as exc:
            return Result(script, tuple(failures), f"turn {step.index} ({step.describe()}): {exc}")
        failures.extend(_check(step, turn))
    return Result(script, tuple(failures))


def run_files(paths: Sequence[Path | str], make_simulator: Callable[[], Simulator]) -> list[Result]:
    """Load and run each file; an invalid file becomes a failed result naming the problem."""
    results = []
    for p in paths:
        try:
            script = load(p)
        except ScriptError as exc:
            results.append(Result(Script(Path(p), Path(p).stem, ()), (), str(exc)))
            continue
        results.append(run(script, make_simulator()))
    return results


def _play(path: Path, step: Step, simulator: Simulator) -> Turn | None:
    if step.action == "say":
        return simulator.say(step.argument)
    if step.action == "launch":
        return simulator.launch()
    if step.action == "end":
        return simulator.end(SessionEndedReason(step.argument))
    model = simulator.nlu.model
    intent = model.intents.get(step.argument)
    if intent is None:
        raise ScriptError(path, f"turn {step.index}", f"{step.argument!r} is not an intent of the model",
                          f"use one of {', '.join(sorted(model.intents))}")  # fmt: skip
    unknown = set(step.slots) - set(intent.slots)
    if unknown:
        raise ScriptError(path, f"turn {step.index}", f"{intent.name} has no slot {sorted(unknown)[0]!r}",
                          f"use {', '.join(intent.slots) or 'no slots'}")  # fmt: skip
    fills = tuple(_fill(model, name, typ, step.slots.get(name)) for name, typ in intent.slots.items())
    return simulator.send_intent(Interpretation(intent.name, fills, "script"), None)


def _fill(model: InteractionModel, name: str, type_name: str, spoken: str | None) -> SlotFill:
    """A slot given in a script: a value id or any of its words resolves; other words do not."""
    if spoken is None:
        return SlotFill(name, type_name)
    value = next((v for v in model.types.get(type_name, ()) if v.id == spoken), None)
    value = value or model.resolve(type_name, spoken)
    if value is None:
        return SlotFill(name, type_name, spoken)
    return SlotFill(name, type_name, spoken, value.id, value.name)


def _check(step: Step, turn: Turn | None) -> list[Failure]:
    checks = step.expect.checks
    if turn is None:
        return [Failure(step, k, v, "no turn (no session was open)") for k, v in checks.items()]
    got_text = {
        "speech": turn.speech,
        "reprompt": turn.reprompt,
        "card_title": turn.card.title if turn.card else None,
        "card_text": turn.card.text if turn.card else None,
    }
    failures = []
    for key, expected in checks.items():
        if key in TEXT_KEYS:
            matchers = step.expect.matchers[key]
            actual = got_text[key]
            if matchers is None:
                if actual:
                    failures.append(Failure(step, key, None, actual))
            elif actual is None or not all(m(actual) for m in matchers):
                failures.append(Failure(step, key, expected, actual))
        elif key == "session":
            for attr, want in expected.items():
                if turn.attributes.get(attr) != want:
                    failures.append(Failure(step, f"session.{attr}", want, turn.attributes.get(attr)))
        elif key == "slots":
            for slot, want in (expected or {}).items():
                if turn.slots.get(slot) != want:
                    failures.append(Failure(step, f"slots.{slot}", want, turn.slots.get(slot)))
        else:
            got: str | bool | None = {
                "topic": turn.topic, "intent": turn.intent, "end_session": turn.end_session,
            }[key]  # fmt: skip
            if got != expected:
                failures.append(Failure(step, key, expected, got))
    return failures


def _show(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, str):
        short = value if len(value) <= 160 else value[:157] + "..."
        return f'"{short}"'
    return str(value)
