"""Conversation scripts: YAML files of turns and expectations, loaded and validated.

In the spirit of Bespoken's unit tests. A script is a mapping with `turns` (and optionally
`name`, and `description`, which is free text for the reader); each turn does one thing and may
check what came back:

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
expects nothing there. skill.simulator.script_runner plays a script and checks it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from ask_sdk_model import SessionEndedReason

from skill import files
from skill.errors import ScriptError

ACTIONS = ("say", "launch", "intent", "end")
TURN_KEYS = frozenset(ACTIONS) | {"slots", "expect"}
SCRIPT_KEYS = frozenset({"name", "description", "turns"})
TEXT_KEYS = ("speech", "reprompt", "card_title", "card_text")
EXPECT_KEYS = frozenset(TEXT_KEYS) | {"topic", "intent", "slots", "end_session", "session"}
MAX_SCRIPT_BYTES = 1024 * 1024
MAX_DEPTH = 32  # a script nests 6 deep (turns, a turn, expect, session); deeper is no script
_REGEX = re.compile(r"/(?P<body>.+)/(?P<flags>i?)", re.DOTALL)

#: Whether a text holds one expected substring or /regular expression/.
Matcher = Callable[[str], bool]


@dataclass(frozen=True)
class Expectation:
    """What one turn should bring back; only the keys given are checked.

    checks: each expected key with its value as written; matchers: for each text key given,
    the matchers that must all hold, or None when nothing is expected there.
    """

    checks: Mapping[str, Any] = field(default_factory=dict)
    matchers: Mapping[str, tuple[Matcher, ...] | None] = field(default_factory=dict)


@dataclass(frozen=True)
class Step:
    """One turn of a script: an action (say, launch, intent, end), its argument and expectations.

    argument: the words (say), the intent name (intent), the SessionEndedReason (end); "" for launch.
    """

    index: int
    action: str
    argument: str
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


class _Refused(yaml.MarkedYAMLError):
    """Valid YAML a script may not hold; `fix` says what to write instead."""

    def __init__(self, problem: str, mark: Any, fix: str) -> None:
        super().__init__(None, None, problem, mark)
        self.fix = fix


class _Loader(yaml.SafeLoader):
    """YAML's safe loader without aliases (`*name`): a few hundred bytes of nested aliases
    would otherwise stand for gigabytes of turns; nor nesting over MAX_DEPTH (the composer
    recurses), duplicate keys (the last would silently win), or text that is no characters
    (a lone surrogate, "\\ud800", which cannot be printed)."""

    depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise _Refused("not valid YAML: aliases (*name) are not allowed in scripts", event.start_mark,
                           "write the turns out in full")
        if self.depth >= MAX_DEPTH:
            raise _Refused(f"nests deeper than {MAX_DEPTH} levels", event.start_mark,
                           "write turns as a list of mappings, as in the examples")
        self.depth += 1
        try:
            node = super().compose_node(parent, index)
        finally:
            self.depth -= 1
        if isinstance(node, yaml.ScalarNode):
            lone = next((c for c in node.value if "\ud800" <= c <= "\udfff"), None)
            if lone is not None:
                raise _Refused(f"not valid YAML: U+{ord(lone):04X}, a lone surrogate, is no character",
                               node.start_mark, "write the text as plain characters")
        return node

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, (str, int, float, bool)) or key is None:
                if key in seen:
                    raise _Refused(f"not valid YAML: duplicate key {key!r}", key_node.start_mark,
                                   f"give {key!r} once (a second one would replace the first)")
                seen.add(key)
        return super().construct_mapping(node, deep=deep)


def load(path: Path | str) -> Script:
    """Read and validate a script file; ScriptError names the file, the turn and the fix.

    Only a regular file of at most MAX_SCRIPT_BYTES is read, and YAML aliases are refused."""
    path = Path(path)

    def unreadable(reason: str) -> ScriptError:
        return ScriptError(path, "file", f"cannot be read ({reason})",
                           f"give the path of a YAML file of at most {MAX_SCRIPT_BYTES:,} bytes")

    raw = files.read_regular(path, MAX_SCRIPT_BYTES, unreadable)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ScriptError(path, f"byte {exc.start}", "is not UTF-8 text",
                          "save the script as UTF-8") from exc
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "file"
        problem = getattr(exc, "problem", None) or "is not valid YAML"
        if isinstance(exc, _Refused):
            raise ScriptError(path, where, problem, exc.fix) from exc
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
    return Script(path, str(name), steps)


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
    argument = _argument(path, where, action, turn[action])
    slots = turn.get("slots") or {}
    if slots and action != "intent":
        raise ScriptError(path, where, "slots belong to an intent turn", "move them under `intent:`")
    if not isinstance(slots, Mapping) or not all(isinstance(v, str) for v in slots.values()):
        raise ScriptError(path, where, "slots must map slot names to words", "write `slots: {topic: night}`")
    expect = turn.get("expect", {})
    if "expect" in turn and (expect is None or (isinstance(expect, (list, Mapping)) and not expect)):
        raise ScriptError(path, f"{where} expect", "checks nothing",
                          "write what to check, e.g. `expect: {speech: ...}`, or leave expect out")
    if not isinstance(expect, Mapping):
        raise ScriptError(path, where, "expect is not a mapping", "write `expect: {speech: ...}`")
    _known(path, f"{where} expect", expect, EXPECT_KEYS)
    matchers = {
        key: _patterns(path, f"{where} expect {key}", expect[key]) for key in TEXT_KEYS if key in expect
    }
    for key, example in (("session", "session: {offer: night}"), ("slots", "slots: {topic: night}")):
        if key not in expect:
            continue
        value = expect[key]
        if not isinstance(value, Mapping) or not all(isinstance(k, str) for k in value):
            raise ScriptError(path, f"{where} expect {key}", "is not a mapping of names",
                              f"write `{example}`")
        if not value:
            raise ScriptError(path, f"{where} expect {key}", "checks nothing",
                              f"write what to check, e.g. `{example}`, or leave {key} out")
    for slot, value in expect.get("slots", {}).items():
        if value is not None and not isinstance(value, str):
            raise ScriptError(path, f"{where} expect slots {slot}", f"{value!r} is not words",
                              "give the words heard, or null for an empty slot")
    if "end_session" in expect and not isinstance(expect["end_session"], bool):
        raise ScriptError(path, f"{where} expect end_session", "is not true or false", "write true or false")
    return Step(index, action, argument, dict(slots), Expectation(dict(expect), matchers))


def _argument(path: Path, where: str, action: str, argument: Any) -> str:
    """The action's argument, checked: words, an intent name, an end reason ("" for launch)."""
    if action == "say" and isinstance(argument, bool):
        raise ScriptError(
            path, where, f"say: {str(argument).lower()} reads as a YAML boolean (yes/no/on/off do)",
            'quote the words, e.g. say: "yes"',
        )  # fmt: skip
    if action in ("say", "intent"):
        if not isinstance(argument, str) or not argument.strip():
            raise ScriptError(path, where, f"{action} needs text", f"write `{action}: <words>`")
        return argument
    if action == "launch":
        if argument is not True:
            raise ScriptError(path, where, "launch takes no argument", "write `launch: true`")
        return ""
    reasons = [r.value for r in SessionEndedReason]
    reason = "USER_INITIATED" if argument is True else argument
    if reason not in reasons:
        raise ScriptError(path, where, f"unknown end reason {reason!r}", f"use one of {', '.join(reasons)}")
    return str(reason)


def _patterns(path: Path, where: str, value: Any) -> tuple[Matcher, ...] | None:
    if value is None:
        return None
    items = value if isinstance(value, list) else [value]
    if not items:
        raise ScriptError(path, where, "[] checks nothing",
                          "give words or a /regular expression/, or null to expect nothing there")
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
    return tuple(out)


def _searcher(pattern: re.Pattern[str]) -> Matcher:
    return lambda text: pattern.search(text) is not None
