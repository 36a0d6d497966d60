"""Conversation scripts played through the simulator: how a failing one is reported."""

from __future__ import annotations

from pathlib import Path

from ask_sdk_core.skill import CustomSkill

from skill.simulator import script, script_runner
from skill.simulator.simulator import Simulator
from skill.simulator.transport import LocalTransport


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "conv.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_failing_script_reports_what_was_expected_and_what_came(tmp_path: Path, skill: CustomSkill) -> None:
    path = write(tmp_path, (
        "name: wrong on purpose\nturns:\n"
        "  - say: why do my legs twitch at night\n"
        "    expect: {topic: caffeine, speech: /^Bananas/, card_title: null, end_session: false}\n"
    ))  # fmt: skip
    result = script_runner.run(script.load(path), Simulator(LocalTransport(skill)))
    assert not result.ok
    report = result.report()
    assert report.splitlines()[0] == f"FAIL {path}: wrong on purpose"
    assert 'turn 1 (say "why do my legs twitch at night"): topic: expected "caffeine", got "night"' in report
    assert 'speech: expected "/^Bananas/", got "This is general information' in report
    assert 'card_title: expected nothing, got "Twitching at night"' in report
    assert "end_session" not in report


def test_an_intent_or_slot_the_model_lacks_stops_the_script_with_the_reason(
    tmp_path: Path, skill: CustomSkill
) -> None:
    path = write(tmp_path, "turns:\n  - intent: PizzaIntent\n")
    result = script_runner.run(script.load(path), Simulator(LocalTransport(skill)))
    assert "'PizzaIntent' is not an intent of the model" in (result.error or "")
    path = write(tmp_path, "turns:\n  - intent: TopicIntent\n    slots: {size: large}\n")
    result = script_runner.run(script.load(path), Simulator(LocalTransport(skill)))
    assert "TopicIntent has no slot 'size'" in (result.error or "")


def test_slots_given_directly_resolve_by_id_or_by_any_synonym(tmp_path: Path, skill: CustomSkill) -> None:
    path = write(tmp_path, (
        "turns:\n"
        "  - {intent: TopicIntent, slots: {topic: nicotine}, expect: {topic: nicotine}}\n"
        "  - {intent: TopicIntent, slots: {topic: cigarettes}, expect: {topic: nicotine}}\n"
        "  - {intent: TopicIntent, slots: {topic: bananas}, expect: {topic: null, speech: bananas}}\n"
    ))  # fmt: skip
    result = script_runner.run(script.load(path), Simulator(LocalTransport(skill)))
    assert result.ok, result.report()
