"""Conversation scripts: what a bad script is told, and how a failing one is reported."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from skill.errors import ScriptError
from skill.simulator import script
from skill.simulator.simulator import LocalTransport, Simulator


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


def test_a_failing_script_reports_what_was_expected_and_what_came(tmp_path: Path, skill: Any) -> None:
    path = write(tmp_path, (
        "name: wrong on purpose\nturns:\n"
        "  - say: why do my legs twitch at night\n"
        "    expect: {topic: caffeine, speech: /^Bananas/, card_title: null, end_session: false}\n"
    ))  # fmt: skip
    result = script.run(script.load(path), Simulator(LocalTransport(skill)))
    assert not result.ok
    report = result.report()
    assert report.splitlines()[0] == f"FAIL {path}: wrong on purpose"
    assert 'turn 1 (say "why do my legs twitch at night"): topic: expected "caffeine", got "night"' in report
    assert 'speech: expected "/^Bananas/", got "No one knows' in report
    assert 'card_title: expected nothing, got "Twitching at night"' in report
    assert "end_session" not in report


def test_an_intent_or_slot_the_model_lacks_stops_the_script_with_the_reason(
    tmp_path: Path, skill: Any
) -> None:
    path = write(tmp_path, "turns:\n  - intent: PizzaIntent\n")
    result = script.run(script.load(path), Simulator(LocalTransport(skill)))
    assert "'PizzaIntent' is not an intent of the model" in (result.error or "")
    path = write(tmp_path, "turns:\n  - intent: TopicIntent\n    slots: {size: large}\n")
    result = script.run(script.load(path), Simulator(LocalTransport(skill)))
    assert "TopicIntent has no slot 'size'" in (result.error or "")


def test_slots_given_directly_resolve_by_id_or_by_any_synonym(tmp_path: Path, skill: Any) -> None:
    path = write(tmp_path, (
        "turns:\n"
        "  - {intent: TopicIntent, slots: {topic: nicotine}, expect: {topic: nicotine}}\n"
        "  - {intent: TopicIntent, slots: {topic: cigarettes}, expect: {topic: nicotine}}\n"
        "  - {intent: TopicIntent, slots: {topic: bananas}, expect: {topic: null, speech: bananas}}\n"
    ))  # fmt: skip
    result = script.run(script.load(path), Simulator(LocalTransport(skill)))
    assert result.ok, result.report()
