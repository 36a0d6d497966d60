"""`legtwitch ask` and `legtwitch chat`: output, exit status, and every kind of bad input."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from skill.cli import main

JSON_KEYS = {"utterance", "intent", "slots", "topic", "speech", "ssml", "reprompt", "card",
             "end_session", "request", "response"}  # fmt: skip
ROOT = Path(__file__).resolve().parents[2]


def run(capsys: pytest.CaptureFixture[str], *argv: str, stdin: str | None = None,
        monkeypatch: pytest.MonkeyPatch | None = None) -> tuple[int, str, str]:  # fmt: skip
    if stdin is not None:
        assert monkeypatch is not None
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_ask_prints_what_alexa_would_say(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "ask", "why", "do", "my", "toes", "twitch")
    assert code == 0 and not err
    assert out.startswith("Toes") or "toe" in out.lower()
    assert "<speak>" not in out and out.count("\n") == 1


def test_ask_details_show_how_it_was_understood(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "ask", "--details", "can smoking make my legs twitch")
    assert code == 0
    assert "[TopicIntent topic=nicotine -> topic nicotine]" in out
    assert "Alexa: " in out and "[card] Nicotine\n" in out and "Source: " in out


def test_ask_json_prints_one_object_with_exactly_the_documented_keys(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "ask", "--json", "is it normal for a baby's legs to twitch")
    (line,) = out.splitlines()
    data = json.loads(line)
    assert code == 0 and set(data) == JSON_KEYS
    assert (data["intent"], data["slots"], data["topic"]) == ("TopicIntent", {"topic": "child"}, "child")
    assert data["request"]["session"]["new"] is True


def test_ask_json_from_stdin_answers_each_line_in_a_new_session(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = "why do my legs twitch at night\n\nyes\nwhat's the weather tomorrow\n"
    code, out, err = run(capsys, "ask", "--json", "-", stdin=lines, monkeypatch=monkeypatch)
    turns = [json.loads(x) for x in out.splitlines()]
    assert code == 0 and not err
    assert [t["intent"] for t in turns] == ["TopicIntent", "AMAZON.YesIntent", "AMAZON.FallbackIntent"]
    assert all(t["request"]["session"]["new"] for t in turns)
    assert turns[1]["topic"] is None  # a new session: no offer to accept


def test_ask_from_stdin_reports_bad_lines_and_goes_on(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = run(capsys, "ask", "--json", "-", stdin="help\nbad\x07line\nstop\n",
                         monkeypatch=monkeypatch)  # fmt: skip
    assert code == 1
    assert len(out.splitlines()) == 2
    assert err.startswith("legtwitch: line 2: the utterance contains control character U+0007")


def test_ask_from_empty_stdin_says_what_to_give(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = run(capsys, "ask", "-", stdin="\n\n", monkeypatch=monkeypatch)
    assert (code, out) == (2, "")
    assert "no utterances: give one per line" in err


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "nothing to say: type a question"),
        ("   ", "nothing to say"),
        ("x" * 10_000, "10,000 characters long; the most is 500"),
        ("why\x1b[2J", "control character U+001B"),
        ("twitch \u2603", "U+2603 (SNOWMAN)"),
    ],
)
def test_ask_refuses_bad_input_with_a_message_and_exit_2(
    capsys: pytest.CaptureFixture[str], text: str, says: str
) -> None:
    code, out, err = run(capsys, "ask", text)
    assert (code, out) == (2, "")
    assert err.startswith("legtwitch: ") and says in err and "Traceback" not in err


def test_ask_url_sends_the_envelope_to_the_endpoint(
    capsys: pytest.CaptureFixture[str], endpoint: str
) -> None:
    code, out, _ = run(capsys, "ask", "--json", "--url", endpoint, "does caffeine cause twitching")
    data = json.loads(out)
    assert code == 0 and data["topic"] == "caffeine" and data["response"]["version"] == "1.0"


def test_ask_url_that_nothing_answers_fails_with_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "ask", "--url", "http://127.0.0.1:9/", "help")
    assert (code, out) == (1, "")
    assert "cannot reach http://127.0.0.1:9/" in err


def test_chat_keeps_the_session_and_obeys_commands(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = ".launch\nwhy do my legs twitch at night\nyes\nrepeat\n.new\ntell me more\n.help\n.dance\nstop\n"
    code, out, _ = run(capsys, "chat", "--details", stdin=lines, monkeypatch=monkeypatch)
    assert code == 0
    assert out.startswith("Leg Twitch Guide text simulator.")
    assert "you> .launch\n  [LaunchRequest]\nAlexa: Welcome to Leg Twitch Guide" in out
    assert "[AMAZON.YesIntent -> topic falling_asleep]" in out
    assert "(new session: the next line opens it)" in out
    assert "[card] Twitching at night\n" in out and "Source: " in out
    assert "Ask me about a topic first" in out  # .new forgot the topic
    assert ".launch  open the skill" in out and "unknown command .dance: type .help" in out
    assert out.rstrip().endswith("(session ended)\nyou>")


def test_chat_json_prints_a_line_per_turn(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = run(capsys, "chat", "--json", stdin="help\nstop\n", monkeypatch=monkeypatch)
    turns = [json.loads(x) for x in out.splitlines() if x.startswith("{")]
    assert code == 0 and [t["intent"] for t in turns] == ["AMAZON.HelpIntent", "AMAZON.StopIntent"]


def test_chat_reports_bad_lines_and_exits_1_at_the_end(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = run(capsys, "chat", stdin="\x00\nhelp\n", monkeypatch=monkeypatch)
    assert code == 1
    assert "legtwitch: the utterance contains control character U+0000" in out
    assert "You can ask me" in out


def test_chat_script_passes_and_fails_with_a_report(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    good = ROOT / "tests/simulator/conversations/flow_question_then_no.yaml"
    bad = tmp_path / "bad.yaml"
    bad.write_text("turns:\n  - say: help\n    expect: {topic: night}\n", encoding="utf-8")
    code, out, _ = run(capsys, "chat", "--script", str(good))
    assert code == 0 and out.endswith("1 passed, 0 failed\n")
    code, out, _ = run(capsys, "chat", "--script", str(good), str(bad))
    assert code == 1
    assert f"FAIL {bad}: bad\n  turn 1 (say \"help\"): topic: expected \"night\", got nothing" in out
    assert out.endswith("1 passed, 1 failed\n")


@pytest.mark.parametrize(
    ("text", "says"),
    [("turns: [oops\n", "not valid YAML"), ("turns:\n  - say: hi\n    expec: {}\n", "unknown key 'expec'")],
)
def test_chat_script_that_is_invalid_says_why_and_exits_1(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, text: str, says: str
) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    code, out, _ = run(capsys, "chat", "--script", str(path), str(tmp_path / "missing.yaml"))
    assert code == 1 and says in out and "cannot be read" in out and "Traceback" not in out


def test_the_installed_command_never_shows_a_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"\xff\xfe not text")
    for argv, status in ((["ask", ""], 2), (["chat", "--script", str(bad)], 1), (["ask"], 2)):
        done = subprocess.run([sys.executable, "-m", "skill", *argv], capture_output=True, text=True,
                              cwd=ROOT, timeout=60)  # fmt: skip
        assert done.returncode == status, done.stderr
        assert "Traceback" not in done.stderr + done.stdout


# The five worried questions of the safety review reach the red-flag answer, in process and over
# HTTP through the real endpoint: the same answer through every door.
RED_FLAG_QUESTIONS = [
    "Could multiple sclerosis make my legs twitch",
    "should I go to the emergency room for leg twitching",
    "tell me about muscle weakness",
    "is this twitching ALS",
    "my legs twitch and feel weak",
]


@pytest.mark.parametrize("through", ["in process", "endpoint"])
def test_red_flag_questions_get_the_red_flag_answer_through_every_door(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, endpoint: str, through: str
) -> None:
    from skill.core.content import load_content

    red_flag = load_content().say("red_flag")
    url = ["--url", endpoint] if through == "endpoint" else []
    code, out, _ = run(capsys, "ask", "--json", *url, "-", stdin="\n".join(RED_FLAG_QUESTIONS) + "\n",
                       monkeypatch=monkeypatch)
    turns = [json.loads(x) for x in out.splitlines()]
    assert code == 0 and len(turns) == len(RED_FLAG_QUESTIONS)
    for turn in turns:
        assert (turn["topic"], turn["intent"]) == ("red_flag", "RedFlagIntent"), turn["utterance"]
        assert red_flag in turn["speech"] and "usually" not in turn["speech"]


def test_locale_sends_the_requests_as_from_a_device_there(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "ask", "--json", "--locale", "en-GB",
                       "should I take my baby to the paediatrician")
    data = json.loads(out)
    assert code == 0 and data["request"]["request"]["locale"] == "en-GB"
    assert (data["intent"], data["topic"]) == ("TopicIntent", "child")


@pytest.mark.parametrize("locale", ["de-DE", "en-NZ", "english"])
def test_a_locale_the_skill_is_not_published_in_is_a_usage_error(
        capsys: pytest.CaptureFixture[str], locale: str) -> None:
    code, out, err = run(capsys, "ask", "--locale", locale, "hello")
    assert code == 2 and not out
    assert f"--locale {locale} is not a locale of this skill: give one of en-US, en-CA" in err
