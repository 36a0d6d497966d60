"""Conversation scripts: YAML files of turns and expectations, run through the text simulator.

In the spirit of Bespoken's unit tests. A script is a mapping with `turns` (and optionally
`name` and `description`); each turn does one thing and may check what came back:

    name: question, then yes
    turns:
      - launch: true
        expect: {speech: Welcome, end_session: false}
      - say: why do my legs twitch at night
        expect: {intent: TopicIntent, topic: night, card_title: Twitching at night}
      - intent: AMAZON.YesIntent          # an intent sent directly, with `slots` if it has any
        expect: {topic: falling_asleep, session: {offer: remedies}}
      - end: USER_INITIATED               # a SessionEndedRequest (or EXCEEDED_MAX_REPROMPTS, ERROR)

Text expectations (speech, reprompt, card_title, card_text) are a case-insensitive substring, a
`/regular expression/` (`/.../i` ignores case), or a list of these that must all hold; `null`
expects nothing there.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from ask_sdk_model import SessionEndedReason

from skill.core.model import InteractionModel
from skill.errors import LegTwitchError, ScriptError
from skill.simulator.interpretation import Interpretation, SlotFill
from skill.simulator.simulator import Simulator, Turn

ACTIONS = ("say", "launch", "intent", "end")
TURN_KEYS = frozenset(ACTIONS) | {"slots", "expect"}
SCRIPT_KEYS = frozenset({"name", "description", "turns"})
TEXT_KEYS = ("speech", "reprompt", "card_title", "card_text")
EXPECT_KEYS = frozenset(TEXT_KEYS) | {"topic", "intent", "slots", "end_session", "session"}
_REGEX = re.compile(r"/(?P<body>.+)/(?P<flags>i?)", re.DOTALL)


@dataclass(frozen=True)
class Expectation:
    """What one turn should bring back; only the keys given are checked."""

    checks: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Step:
    """One turn of a script: an action (say, launch, intent, end), its argument and expectations."""

    index: int
    action: str
    argument: Any
    slots: Mapping[str, str] = field(default_factory=dict)
    expect: Expectation = field(default_factory=Expectation)

    def describe(self) -> str:
        if self.action == "say":
            return f'say "{self.argument}"'
        if self.action == "intent":
            slots = " ".join(f"{k}={v}" for k, v in self.slots.items())
            return f"intent {self.argument}{' ' + slots if slots else ''}"
        if self.action == "end":
            return f"end {self.argument}"
        return "launch"


@dataclass(frozen=True)
class Script:
    """A parsed conversation script: where it came from, its name and its steps."""

    path: Path
    name: str
    steps: tuple[Step, ...]
    description: str = ""


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


# Loading ------------------------------------------------------------------------------------


def load(path: Path | str) -> Script:
    """Read and validate a script file; ScriptError names the file, the turn and the fix."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScriptError(path, "file", f"cannot be read ({exc})", "give the path of a YAML file") from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "file"
        problem = getattr(exc, "problem", None) or "is not valid YAML"
        raise ScriptError(path, where, f"not valid YAML: {problem}", "fix the YAML syntax") from exc
    return parse(data, path)


def parse(data: Any, path: Path | str = "<script>") -> Script:
    """Validate a loaded YAML document as a script."""
    path = Path(path)
    if not isinstance(data, Mapping):
        raise ScriptError(path, "top level", "is not a mapping", "write `turns:` followed by a list of turns")
    _known(path, "top level", data, SCRIPT_KEYS)
    turns = data.get("turns")
    if not isinstance(turns, list) or not turns:
        raise ScriptError(path, "turns", "is missing or empty", "give a list of turns, e.g. `- say: help`")
    steps = tuple(_step(path, i, t) for i, t in enumerate(turns, 1))
    name = data.get("name", path.stem)
    return Script(path, str(name), steps, str(data.get("description", "")))


def _known(path: Path, where: str, data: Mapping[str, Any], allowed: frozenset[str]) -> None:
    for key in data:
        if key not in allowed:
            raise ScriptError(
                path, where, f"unknown key {key!r}", f"use only {', '.join(sorted(allowed))}"
            )


def _step(path: Path, index: int, turn: Any) -> Step:
    where = f"turn {index}"
    if not isinstance(turn, Mapping):
        raise ScriptError(path, where, "is not a mapping", "write e.g. `- say: why do my legs twitch`")
    _known(path, where, turn, TURN_KEYS)
    actions = [a for a in ACTIONS if a in turn]
    if len(actions) != 1:
        raise ScriptError(
            path, where, f"has {'no action' if not actions else 'actions ' + ', '.join(actions)}",
            "give exactly one of say, launch, intent, end",
        )  # fmt: skip
    action = actions[0]
    argument = turn[action]
    if action == "say" and isinstance(argument, bool):
        raise ScriptError(
            path, where, f"say: {str(argument).lower()} reads as a YAML boolean (yes/no/on/off do)",
            'quote the words, e.g. say: "yes"',
        )  # fmt: skip
    if action in ("say", "intent") and (not isinstance(argument, str) or not argument.strip()):
        raise ScriptError(path, where, f"{action} needs text", f"write `{action}: <words>`")
    if action == "launch" and argument is not True:
        raise ScriptError(path, where, "launch takes no argument", "write `launch: true`")
    if action == "end":
        reasons = [r.value for r in SessionEndedReason]
        argument = "USER_INITIATED" if argument is True else argument
        if argument not in reasons:
            raise ScriptError(
                path, where, f"unknown end reason {argument!r}", f"use one of {', '.join(reasons)}"
            )
    slots = turn.get("slots") or {}
    if slots and action != "intent":
        raise ScriptError(path, where, "slots belong to an intent turn", "move them under `intent:`")
    if not isinstance(slots, Mapping) or not all(isinstance(v, str) for v in slots.values()):
        raise ScriptError(path, where, "slots must map slot names to words", "write `slots: {topic: night}`")
    expect = turn.get("expect") or {}
    if not isinstance(expect, Mapping):
        raise ScriptError(path, where, "expect is not a mapping", "write `expect: {speech: ...}`")
    _known(path, f"{where} expect", expect, EXPECT_KEYS)
    for key in TEXT_KEYS:
        if key in expect:
            _patterns(path, f"{where} expect {key}", expect[key])
    if "session" in expect and not isinstance(expect["session"], Mapping):
        raise ScriptError(
            path, f"{where} expect session", "is not a mapping", "write `session: {offer: night}`"
        )
    if "end_session" in expect and not isinstance(expect["end_session"], bool):
        raise ScriptError(path, f"{where} expect end_session", "is not true or false", "write true or false")
    return Step(index, action, argument, dict(slots), Expectation(dict(expect)))


def _patterns(path: Path, where: str, value: Any) -> list[Callable[[str], bool]] | None:
    if value is None:
        return None
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        if not isinstance(item, str) or not item:
            raise ScriptError(path, where, f"{item!r} is not text", "give words or a /regular expression/")
        regex = _REGEX.fullmatch(item)
        if regex:
            try:
                pattern = re.compile(regex["body"], re.IGNORECASE if regex["flags"] else 0)
            except re.error as exc:
                problem = f"bad regular expression {item} ({exc})"
                raise ScriptError(path, where, problem, "fix the regex") from exc
            out.append(_searcher(pattern))
        else:
            out.append(_searcher(re.compile(re.escape(item), re.IGNORECASE)))
    return out


def _searcher(pattern: re.Pattern[str]) -> Callable[[str], bool]:
    return lambda text: pattern.search(text) is not None


# Running ------------------------------------------------------------------------------------


def run(script: Script, simulator: Simulator) -> Result:
    """Play the script through the simulator (from no session) and check every expectation."""
    failures: list[Failure] = []
    simulator.reset()
    for step in script.steps:
        try:
            turn = _play(script.path, step, simulator)
        except LegTwitchError as exc:
            return Result(script, tuple(failures), f"turn {step.index} ({step.describe()}): {exc}")
        failures.extend(_check(script.path, step, turn, simulator.nlu.model))
    return Result(script, tuple(failures))


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


def _check(path: Path, step: Step, turn: Turn | None, model: InteractionModel) -> list[Failure]:
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
            matchers = _patterns(path, key, expected)
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
            actual = {"topic": turn.topic, "intent": turn.intent, "end_session": turn.end_session}[key]
            if actual != expected:
                failures.append(Failure(step, key, expected, actual))
    return failures


def _show(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, str):
        short = value if len(value) <= 160 else value[:157] + "..."
        return f'"{short}"'
    return str(value)


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
