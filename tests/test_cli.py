"""The command line's core commands."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from skill.cli import main
from skill.core import datafiles


def test_model_check_passes_on_the_committed_model(capsys):
    assert main(["model"]) == 0
    assert "en-US, en-CA, en-GB, en-AU, en-IN are current and valid" in capsys.readouterr().out


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


def _legtwitch(*argv: str, stdin: bytes | None = b"", env: dict[str, str] | None = None,
               close_stdin: bool = False, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`legtwitch ARGV` in a subprocess: stdin the bytes given, or closed; at most 60 s."""
    done = subprocess.run(
        [sys.executable, "-m", "skill", *argv],
        input=None if close_stdin else stdin, capture_output=True, timeout=60, check=False,
        env={**os.environ, **(env or {})}, cwd=cwd,
        preexec_fn=(lambda: os.close(0)) if close_stdin else None,
    )  # fmt: skip
    return subprocess.CompletedProcess(done.args, done.returncode, done.stdout.decode(),
                                       done.stderr.decode())


@pytest.mark.parametrize("command", ["ask", "chat"])
def test_closed_stdin_is_one_line(command):
    done = _legtwitch(command, *(["-"] if command == "ask" else []), close_stdin=True)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr == "legtwitch: standard input is closed: pipe the utterances in, one per line\n"


@pytest.mark.parametrize("command", ["ask", "chat"])
def test_binary_stdin_is_one_line(command):
    done = _legtwitch(command, *(["-"] if command == "ask" else []),
                      stdin=b"\xff\xfe\x00\x01binary\n", env={"PYTHONIOENCODING": "utf-8"})
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr == ("legtwitch: standard input is not utf-8 text: give the utterances as "
                           "text, one per line\n")


@pytest.mark.parametrize("command", ["ask", "chat"])
def test_a_byte_order_mark_before_the_first_line_is_accepted(command):
    done = _legtwitch(command, *(["-"] if command == "ask" else []),
                      stdin="\ufeffwhy do my toes twitch\nwhy do my toes twitch\n".encode())
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.lower().count("toe twitching") == 2  # the first line answered as the next


def test_a_model_file_that_is_not_utf8_names_the_file(tmp_path):
    bad = tmp_path / "en-US.json"
    bad.write_bytes(datafiles.model_path().read_bytes().replace(b'"', b'"\xe9', 1))
    done = _legtwitch("check", env={"LEGTWITCH_MODEL": str(bad)})
    assert (done.returncode, done.stdout) == (1, "")
    offset = datafiles.model_path().read_bytes().index(b'"') + 1
    assert done.stderr == (f"legtwitch: {bad}: byte {offset}: is not UTF-8 text. Fix: run "
                           "`make model` to regenerate it\n")


@pytest.mark.parametrize("argv", [("check",), ("serve", "--dev", "--port", "1")])
def test_content_that_is_not_utf8_stops_start_up_naming_the_file(tmp_path, argv):
    shutil.copytree(datafiles.content_dir(), tmp_path, dirs_exist_ok=True)
    (tmp_path / "responses.yaml").write_bytes(
        (tmp_path / "responses.yaml").read_bytes() + b"# caf\xe9\n")
    done = _legtwitch(*argv, env={"LEGTWITCH_CONTENT_DIR": str(tmp_path), "LEGTWITCH_VERIFY": "false"})
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.endswith(f"legtwitch: {tmp_path / 'responses.yaml'}: byte "
                                f"{(tmp_path / 'responses.yaml').stat().st_size - 2}: is not UTF-8 "
                                "text. Fix: save the file as UTF-8\n")


def _capped_memory() -> None:
    """In the child: at most 1 GiB of address space, so reading without limit fails fast."""
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


@pytest.mark.parametrize("command", ["ask", "chat"])
@pytest.mark.parametrize("source", ["/dev/zero", "long line"])
def test_a_line_with_no_end_is_refused_read_no_further(tmp_path, command, source):
    if source == "long line":
        source = str(tmp_path / "long.txt")
        Path(source).write_bytes(b"twitch " * 1_000_000)  # 7 MB, no newline
    with open(source, "rb") as stdin:
        done = subprocess.run(
            [sys.executable, "-m", "skill", command, *(["-"] if command == "ask" else [])],
            stdin=stdin, capture_output=True, timeout=60, check=False, preexec_fn=_capped_memory)
    stderr = done.stderr.decode()
    assert done.returncode == 2 and "Traceback" not in stderr
    assert stderr == ("legtwitch: line 1: the utterance is over 4,096 characters long; the most is "
                      "500: say one question at a time\n")


def test_a_long_line_within_the_read_limit_is_refused_and_the_next_answered():
    done = _legtwitch("ask", "-", stdin=b"x" * 4000 + b"\nwhy do my toes twitch\n")
    assert done.returncode == 1 and "toe twitching" in done.stdout.lower()
    assert done.stderr == ("legtwitch: line 1: the utterance is 4,000 characters long; the most is "
                           "500: say one question at a time\n")


def _special_file(tmp_path: Path, kind: str) -> Path:
    """A path that is no data file: a device, a FIFO, a directory, or a (sparse) file over 32 MiB."""
    if kind == "device":
        return Path("/dev/zero")
    path = tmp_path / f"special-{kind}"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "directory":
        path.mkdir()
    else:
        with open(path, "wb") as big:
            big.truncate(32 * 1024 * 1024 + 1)
    return path


SPECIAL_REASONS = {"device": "is a character device", "fifo": "is a FIFO",
                   "directory": "is a directory", "big": "is over 33,554,432 bytes"}


@pytest.mark.parametrize("kind", list(SPECIAL_REASONS))
@pytest.mark.parametrize("where", ["LEGTWITCH_MODEL", "topics.yaml", "compiled.json"])
def test_a_data_file_that_is_no_regular_file_is_refused_unread(tmp_path, kind, where):
    special = _special_file(tmp_path, kind)
    env = {"LEGTWITCH_MODEL": str(special)}
    if where != "LEGTWITCH_MODEL":
        content = tmp_path / "content"
        shutil.copytree(datafiles.content_dir(), content)
        (content / where).unlink()
        (content / where).symlink_to(special)
        env = {"LEGTWITCH_CONTENT_DIR": str(content)}
    done = subprocess.run([sys.executable, "-m", "skill", "check"], capture_output=True, text=True,
                          timeout=30, check=False, env={**os.environ, **env},
                          preexec_fn=_capped_memory)
    if where == "compiled.json":  # only a shortcut: without it, the YAML is read instead
        assert (done.returncode, done.stderr) == (0, "")
        return
    named = special if where == "LEGTWITCH_MODEL" else tmp_path / "content" / where
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == (f"legtwitch: {named}: file: cannot be read ({SPECIAL_REASONS[kind]}). "
                           "Fix: give a regular file of at most 33,554,432 bytes\n")


@pytest.mark.parametrize("kind", list(SPECIAL_REASONS))
def test_trust_roots_that_are_no_regular_file_are_refused_unread(tmp_path, kind):
    special = _special_file(tmp_path, kind)
    done = subprocess.run(
        [sys.executable, "-m", "skill", "serve", "--dev", "--port", "9"], capture_output=True,
        text=True, timeout=30, check=False, preexec_fn=_capped_memory,
        env={**os.environ, "LEGTWITCH_TRUST_ROOTS": str(special)})
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (f"legtwitch: LEGTWITCH_TRUST_ROOTS={str(special)!r}: "
                           f"{SPECIAL_REASONS[kind]}: give a PEM file of certificates, a regular "
                           "file of at most 33,554,432 bytes\n")


@pytest.mark.parametrize("kind", list(SPECIAL_REASONS))
def test_a_history_file_that_is_no_regular_file_is_refused(tmp_path, kind):
    from skill import settings
    from skill.errors import ConfigError

    special = _special_file(tmp_path, kind)
    with pytest.raises(ConfigError, match=f"LEGTWITCH_HISTORY=.*: {SPECIAL_REASONS[kind]}: give"):
        settings.HISTORY.read({"LEGTWITCH_HISTORY": str(special)})
    assert settings.HISTORY.read({"LEGTWITCH_HISTORY": str(tmp_path / "new")}) == tmp_path / "new"


@pytest.mark.parametrize("variable", ["LEGTWITCH_CONTENT_DIR", "LEGTWITCH_MODEL",
                                      "LEGTWITCH_SPEECH_DIR"])
def test_a_home_directory_of_no_user_is_one_line_naming_the_variable(variable):
    done = _legtwitch("ask", "--speak", "why do my legs twitch at night",
                      env={variable: "~nosuchuser/x", "LEGTWITCH_PLAYER": ""})
    assert done.returncode == 2  # (the speech directory is looked for after the answer is shown)
    assert done.stderr == (f"legtwitch: {variable}='~nosuchuser/x': ~nosuchuser names no home "
                           "directory on this machine: give the full path, e.g. /home/me/folder\n")


SHELL_FIX = ("write the command as you would type it in a shell, quotes closed, e.g. "
             "'\"/opt/my tool\" --quiet'")


@pytest.mark.parametrize(("variable", "value", "reason"), [
    ("LEGTWITCH_PLAYER", "'x", f"no closing quotation: {SHELL_FIX}"),
    ("LEGTWITCH_PLAYER", "play\\", f"no escaped character: {SHELL_FIX}"),
    ("LEGTWITCH_PLAYER", "''", "give a command as you would type it in a shell, e.g. "
                               "'\"/opt/my tool\" --quiet'"),
    ("LEGTWITCH_RECORDER", "'x", f"no closing quotation: {SHELL_FIX}"),
])  # fmt: skip
def test_a_command_setting_a_shell_could_not_split_is_one_line(variable, value, reason):
    argv = ("chat", "--speak") if variable == "LEGTWITCH_PLAYER" else ("talk",)
    done = _legtwitch(*argv, stdin=b"why do my legs twitch at night\n", env={variable: value})
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.endswith(f"legtwitch: {variable}={value!r}: {reason}\n")
    assert done.stderr.count("\n") == 1


def _with_stdout(argv: list[str], stdout: str, stdin: bytes = b"") -> tuple[int, str]:
    """`legtwitch ARGV` with standard output "full" (/dev/full) or "closed"; exit code and stderr."""
    with open("/dev/full", "wb") as full:
        done = subprocess.run(
            [sys.executable, "-m", "skill", *argv], input=stdin, stderr=subprocess.PIPE,
            stdout=full if stdout == "full" else None, timeout=60, check=False,
            preexec_fn=(lambda: os.close(1)) if stdout == "closed" else None)
    return done.returncode, done.stderr.decode()


FULL = ("legtwitch: cannot write to standard output (no space left on device): give the answers "
        "somewhere writable, e.g. `> answers.txt`\n")
CLOSED = "legtwitch: standard output is closed: give the answers somewhere to go, e.g. `> answers.txt`\n"


@pytest.mark.parametrize("stdout", ["full", "closed"])
@pytest.mark.parametrize("argv", [
    ["ask", "why do my legs twitch at night"], ["ask", "--json", "why do my legs twitch"],
    ["ask", "--details", "-"], ["chat"], ["check"], ["model"],
    ["chat", "--script", str(Path(__file__).parent / "simulator/conversations/flow_help.yaml")],
])  # fmt: skip
def test_an_answer_that_cannot_be_written_is_one_line_and_a_failure(stdout, argv):
    code, stderr = _with_stdout(argv, stdout, stdin=b"why do my toes twitch\n")
    assert (code, stderr) == (1, FULL if stdout == "full" else CLOSED)


def test_stdin_not_in_a_utf16_encoding_is_one_line():
    done = subprocess.run([sys.executable, "-m", "skill", "ask", "-"], capture_output=True,
                          input=b"why do my legs twitch\n", timeout=60, check=False,
                          env={**os.environ, "PYTHONIOENCODING": "utf-16"})
    assert done.returncode == 2
    assert done.stderr.decode("utf-16") == (
        "legtwitch: standard input is not utf-16 text: give the utterances as text, one per line\n")


def test_an_answer_its_output_encoding_cannot_write_is_one_line(tmp_path):
    topics = datafiles.content_dir() / "topics.yaml"
    content = tmp_path / "content"
    shutil.copytree(datafiles.content_dir(), content)
    (content / "topics.yaml").write_text(topics.read_text(encoding="utf-8").replace(
        "title: Caffeine", "title: Caffeine \u2013 coffee"), encoding="utf-8")
    done = _legtwitch("ask", "--details", "can coffee make my legs twitch",
                      env={"PYTHONIOENCODING": "ascii", "LEGTWITCH_CONTENT_DIR": str(content)})
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.endswith("legtwitch: standard output's encoding ascii cannot write U+2013: "
                                "set PYTHONIOENCODING=utf-8\n")


def _serve(*argv: str) -> subprocess.CompletedProcess[str]:
    """`legtwitch serve ARGV`, expected to refuse before it listens (at most 30 s)."""
    return subprocess.run([sys.executable, "-m", "skill", "serve", *argv], capture_output=True,
                          text=True, timeout=30, check=False)


@pytest.mark.parametrize("dev", [False, True])
def test_serve_on_a_busy_port_is_one_line_before_it_starts(dev):
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = _serve(*(["--dev"] if dev else ["--host", "127.0.0.1"]), "--port", str(port))
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (f"legtwitch: --port={port}: is in use on this address: stop what "
                           "listens there, or give another --port\n")


@pytest.mark.parametrize(("host", "reason"), [
    ("no such host!", "cannot be resolved ("), ("192.0.2.1", "cannot be bound (cannot assign"),
])  # fmt: skip
def test_serve_on_a_host_it_cannot_bind_is_one_line_before_it_starts(host, reason):
    done = _serve("--host", host, "--port", "18089")
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.startswith(f"legtwitch: --host={host!r}: {reason}")
    assert done.stderr.endswith("): give an address of this machine, e.g. 127.0.0.1, or 0.0.0.0 "
                                "for all\n")


@pytest.mark.parametrize("missing", ["--certfile", "--keyfile"])
def test_serve_names_the_tls_file_that_is_missing(tmp_path, missing):
    present = tmp_path / "present.pem"
    present.write_text("not checked: the missing file is said first\n")
    files = {"--certfile": str(present), "--keyfile": str(present), missing: str(tmp_path / "nope")}
    done = _serve("--port", "9", *(item for pair in files.items() for item in pair))
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (f"legtwitch: --certfile/--keyfile={str(tmp_path / 'nope')!r}: no such "
                           f"file (the {missing}): give the PEM file's path\n")
