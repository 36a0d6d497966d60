"""The chat loop: commands, end of input, and line history kept between runs."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from ask_sdk_core.skill import CustomSkill

from skill.simulator.repl import Repl, history_path, line_editing
from skill.simulator.simulator import Simulator
from skill.simulator.transcript import Transcript
from skill.simulator.transport import LocalTransport


def test_history_is_kept_between_runs(tmp_path: Path) -> None:
    import readline
    path = tmp_path / "state" / "history"
    readline.clear_history()
    save = line_editing(path)
    readline.add_history("why do my legs twitch at night")
    save()
    readline.clear_history()
    line_editing(path)
    last = readline.get_history_item(readline.get_current_history_length())
    readline.clear_history()
    assert last == "why do my legs twitch at night"


def test_history_path_follows_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("LEGTWITCH_HISTORY", str(tmp_path / "h"))
    assert history_path() == tmp_path / "h"
    monkeypatch.setenv("LEGTWITCH_HISTORY", "~/chat-history")  # read as every path setting is
    assert history_path() == Path.home() / "chat-history"
    monkeypatch.delenv("LEGTWITCH_HISTORY")
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    assert history_path() == tmp_path / "legtwitch" / "history"


def test_the_loop_ends_at_end_of_input_and_closes_the_open_session(skill: CustomSkill) -> None:
    lines = iter(["why do my toes twitch"])

    def read(prompt: str) -> str:
        try:
            return next(lines)
        except StopIteration:
            raise EOFError from None

    out = io.StringIO()
    sim = Simulator(LocalTransport(skill))
    code = Repl(sim, [Transcript(out)], out=out, read=read).run()
    assert code == 0 and sim.session is None
    assert "Alexa: " in out.getvalue()


def test_ctrl_c_at_the_prompt_does_not_leave(skill: CustomSkill) -> None:
    answers: Iterator[str | KeyboardInterrupt] = iter([KeyboardInterrupt(), ".quit"])

    def read(prompt: str) -> str:
        answer = next(answers)
        if isinstance(answer, BaseException):
            raise answer
        return answer

    out = io.StringIO()
    assert Repl(Simulator(LocalTransport(skill)), [], out=out, read=read).run() == 0
    assert "(.quit or Ctrl-D to leave)" in out.getvalue()
