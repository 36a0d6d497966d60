"""The command line's core commands."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from skill.cli import main
from skill.core import datafiles


def test_model_check_passes_on_the_committed_model(capsys):
    assert main(["model"]) == 0
    assert "is current and valid" in capsys.readouterr().out


def test_python_dash_m_skill_runs_the_same_cli():
    result = subprocess.run([sys.executable, "-m", "skill", "model"], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_unknown_command_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["frobnicate"])
    assert caught.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_check_reports_the_content(capsys):
    assert main(["check"]) == 0
    assert "ok: 19 topics" in capsys.readouterr().out


def test_bad_content_fails_start_up_naming_file_item_and_fix(tmp_path):
    shutil.copytree(datafiles.content_dir(), tmp_path, dirs_exist_ok=True)
    topics = tmp_path / "topics.yaml"
    topics.write_text(topics.read_text().replace("topic: above_knee", "topic: elbow"))
    result = subprocess.run([sys.executable, "-m", "skill", "check"], capture_output=True,
                            text=True, timeout=60,
                            env={**os.environ, "LEGTWITCH_CONTENT_DIR": str(tmp_path)})
    assert result.returncode == 1
    assert f"{topics}: topic 'toe': offers topic 'elbow'" in result.stderr
    assert "Fix: " in result.stderr and "Traceback" not in result.stderr


def test_bad_model_fails_start_up_naming_the_file(tmp_path):
    bad = tmp_path / "en-US.json"
    bad.write_text('{"interactionModel": {"languageModel": {"invocationName": "Twitch"}}}')
    result = subprocess.run([sys.executable, "-m", "skill", "check"], capture_output=True,
                            text=True, timeout=60, env={**os.environ, "LEGTWITCH_MODEL": str(bad)})
    assert result.returncode == 1
    assert f"{bad}: invocationName" in result.stderr and "Traceback" not in result.stderr


def test_the_settings_table_in_the_docs_is_current() -> None:
    from pathlib import Path

    from skill import settings

    docs = (Path(__file__).resolve().parents[1] / "docs" / "settings.md").read_text()
    assert settings.table() in docs, "regenerate docs/settings.md from skill.settings.table()"
