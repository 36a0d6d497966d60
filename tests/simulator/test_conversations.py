"""Every conversation script under tests/simulator/conversations/, one test each, through the real skill."""

from __future__ import annotations

from pathlib import Path

import pytest
from ask_sdk_core.skill import CustomSkill

from skill.simulator import script, script_runner
from skill.simulator.simulator import Simulator
from skill.simulator.transport import LocalTransport

CONVERSATIONS = sorted((Path(__file__).parent / "conversations").glob("*.yaml"))


@pytest.mark.parametrize("path", CONVERSATIONS, ids=[p.stem for p in CONVERSATIONS])
def test_conversation(path: Path, skill: CustomSkill) -> None:
    result = script_runner.run(script.load(path), Simulator(LocalTransport(skill)))
    assert result.ok, result.report()


def test_every_topic_has_a_conversation(skill: CustomSkill) -> None:
    from skill.core.content import load_content

    covered = {p.stem.removeprefix("topic_") for p in CONVERSATIONS if p.stem.startswith("topic_")}
    assert covered == set(load_content().topics)
