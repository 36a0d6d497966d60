"""Conversation scripts: loading, and what a bad script is told."""

from __future__ import annotations

from pathlib import Path

import pytest

from skill.errors import ScriptError
from skill.simulator import script


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "conv.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("turns: [\n  - say: hi\n", r"line \d+, column \d+: not valid YAML"),
        ("- say: hi\n", "top level: is not a mapping"),
        ("name: x\n", "turns: is missing or empty"),
        ("turns:\n  - say: hi\nsteps: []\n", "top level: unknown key 'steps'"),
        ("turns:\n  - sya: hi\n", "turn 1: unknown key 'sya'. Fix: use only"),
        ("turns:\n  - say: hi\n    expect: {spech: hi}\n", "turn 1 expect: unknown key 'spech'"),
        ("turns:\n  - expect: {topic: night}\n", "turn 1: has no action"),
        ("turns:\n  - {say: hi, launch: true}\n", "turn 1: has actions say, launch"),
        ("turns:\n  - say: yes\n", 'reads as a YAML boolean.*say: "yes"'),
        ("turns:\n  - say: hi\n    slots: {topic: night}\n", "slots belong to an intent turn"),
        ("turns:\n  - end: LATER\n", "unknown end reason 'LATER'"),
        ("turns:\n  - say: hi\n    expect: {speech: '/(unclosed/'}\n", "bad regular expression"),
        ("turns:\n  - say: hi\n    expect: {end_session: maybe}\n", "is not true or false"),
        ("turns:\n  - launch: later\n", "launch takes no argument"),
        ("turns:\n  - say: hi\n    expect: {slots: 5}\n",
         r"turn 1 expect slots: is not a mapping of names\. Fix: write `slots: \{topic: night\}`"),
        ("turns:\n  - say: hi\n    expect: {slots: [night]}\n", "turn 1 expect slots: is not a mapping"),
        ("turns:\n  - say: hi\n    expect: {slots: {topic: [night]}}\n",
         r"turn 1 expect slots topic: \['night'\] is not words"),
        ("turns:\n  - say: hi\n    expect: {session: 5}\n", "turn 1 expect session: is not a mapping"),
        ("turns:\n  - say: hi\n    expect: []\n", r"turn 1 expect: checks nothing\. Fix: write what"),
        ("turns:\n  - say: hi\n    expect: null\n", r"turn 1 expect: checks nothing\. Fix: write what"),
        ("turns:\n  - say: hi\n    expect: {}\n", r"turn 1 expect: checks nothing\. Fix: write what"),
        ("turns:\n  - say: hi\n    expect: {speech: []}\n", r"turn 1 expect speech: \[\] checks nothing"),
        ("turns:\n  - say: hi\n    expect: {card_text: []}\n", "turn 1 expect card_text: .* checks nothing"),
        ("turns:\n  - say: hi\n    expect: {session: {}}\n", r"turn 1 expect session: checks nothing"),
        ("turns:\n  - say: hi\n    expect: {slots: {}}\n", r"turn 1 expect slots: checks nothing"),
        ("turns:\n  - say: hi\nturns:\n  - say: bye\n",
         r"line 3, column 1: not valid YAML: duplicate key 'turns'\. Fix: give 'turns' once"),
        ("turns:\n  - say: hi\n    say: bye\n", r"line 3, column 5: not valid YAML: duplicate key 'say'"),
        ('turns:\n  - say: "\\ud800"\n',
         r"line 2, column 10: not valid YAML: U\+D800, a lone surrogate, is no character\. "
         r"Fix: write the text as plain characters"),
        ("turns:\n  - say: hi\n    expect: {speech: \"\\udfff\"}\n", "a lone surrogate"),
        ("turns: " + "[" * 5000 + "]" * 5000 + "\n",
         r"line 1, column \d+: nests deeper than 32 levels"),
        ("turns:\n" + "".join("  " * i + "- \n" for i in range(1, 200)),
         "nests deeper than 32 levels"),
    ],
)
def test_a_bad_script_names_the_file_the_place_and_the_fix(tmp_path: Path, text: str, says: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ScriptError, match=says) as caught:
        script.load(path)
    assert str(caught.value).startswith(str(path))


def test_a_missing_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(ScriptError, match="cannot be read"):
        script.load(tmp_path / "nope.yaml")


def test_a_script_loads_as_steps_with_their_expectations(tmp_path: Path) -> None:
    path = write(tmp_path, (
        "description: free text for the reader\nturns:\n"
        "  - launch: true\n"
        "  - say: why do my legs twitch at night\n"
        "    expect: {topic: night, speech: [/night/i, sleeping], reprompt: null}\n"
        "  - {intent: TopicIntent, slots: {topic: night}}\n"
        "  - end: true\n"
    ))  # fmt: skip
    loaded = script.load(path)
    assert (loaded.path, loaded.name) == (path, "conv")
    assert [(s.index, s.action, s.argument) for s in loaded.steps] == [
        (1, "launch", ""), (2, "say", "why do my legs twitch at night"),
        (3, "intent", "TopicIntent"), (4, "end", "USER_INITIATED"),
    ]  # fmt: skip
    expect = loaded.steps[1].expect
    assert dict(expect.checks) == {"topic": "night", "speech": ["/night/i", "sleeping"], "reprompt": None}
    speech = expect.matchers["speech"]
    assert speech is not None and [m("At NIGHT while sleeping") for m in speech] == [True, True]
    assert expect.matchers["reprompt"] is None and "topic" not in expect.matchers
    assert loaded.steps[2].slots == {"topic": "night"}
    assert [s.describe() for s in loaded.steps] == [
        "launch", 'say "why do my legs twitch at night"', "intent TopicIntent topic=night",
        "end USER_INITIATED",
    ]  # fmt: skip


# A few hundred bytes standing for 9**9 strings (nine levels of nine aliases): the 397-byte
# bomb took 278 MB.
ALIAS_BOMB = "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
) + "turns: [*i]\n"


def test_a_yaml_alias_is_refused(tmp_path):
    with pytest.raises(ScriptError) as caught:
        script.load(write(tmp_path, ALIAS_BOMB))
    assert str(caught.value) == (f"{tmp_path / 'conv.yaml'}: line 2, column 8: not valid YAML: "
                                 "aliases (*name) are not allowed in scripts. Fix: write the turns "
                                 "out in full")


def test_a_script_over_the_size_limit_is_refused_unread(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text("# " + "x" * script.MAX_SCRIPT_BYTES + "\nturns: [{say: hi}]\n")
    with pytest.raises(ScriptError, match=r"file: cannot be read \(is over 1,048,576 bytes\)"):
        script.load(path)


def test_a_script_that_is_not_utf8_names_the_byte(tmp_path):
    path = tmp_path / "conv.yaml"
    path.write_bytes(b"turns:\n  - say: caf\xe9\n")
    with pytest.raises(ScriptError) as caught:
        script.load(path)
    assert str(caught.value) == f"{path}: byte 19: is not UTF-8 text. Fix: save the script as UTF-8"
