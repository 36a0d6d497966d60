"""Files the command line is given: special files are never replaced or read, names are checked;
each case run as `legtwitch` itself, in a subprocess, on real files, FIFOs and devices."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from skill.errors import ScriptError
from skill.files import check_target, read_regular

QUESTION = "why do my legs twitch at night"


def legtwitch(*argv: str, cwd: Path, stdin: bytes | None = b"") -> subprocess.CompletedProcess[str]:
    """`legtwitch ARGV` in a subprocess, with no sound device configured; at most 60 s."""
    env = {k: v for k, v in os.environ.items() if k not in ("LEGTWITCH_PLAYER", "PULSE_SERVER")}
    env["XDG_RUNTIME_DIR"] = str(cwd)
    done = subprocess.run([sys.executable, "-m", "skill", *argv], input=stdin, capture_output=True,
                          cwd=cwd, env=env, timeout=60, check=False)
    return subprocess.CompletedProcess(done.args, done.returncode, done.stdout.decode(),
                                       done.stderr.decode())


def _special(tmp_path: Path, kind: str) -> Path:
    """A path of `kind` that must not be replaced: its content or target stays as it was."""
    if kind == "fifo":
        os.mkfifo(tmp_path / "fifo.wav")
        return tmp_path / "fifo.wav"
    if kind == "symlink":
        (tmp_path / "victim.txt").write_text("someone's file")
        (tmp_path / "link.wav").symlink_to(tmp_path / "victim.txt")
        return tmp_path / "link.wav"
    if kind == "directory":
        (tmp_path / "dir.wav").mkdir()
        return tmp_path / "dir.wav"
    return Path("/dev/null")


@pytest.mark.parametrize(("kind", "reason"), [
    ("device", "is a character device"), ("fifo", "is a FIFO"),
    ("symlink", "is a symbolic link"), ("directory", "is a directory"),
])  # fmt: skip
@pytest.mark.parametrize("command", [("ask", "--wav"), ("listen", "--answer-wav")])
def test_a_special_file_is_never_replaced(tmp_path, kind, reason, command):
    target = _special(tmp_path, kind)
    before = os.lstat(target)
    question = tmp_path / "q.wav"
    question.write_bytes(b"RIFF")  # never read: the target is refused first
    argv = (command[0], command[1], str(target),
            *(["--wav", str(question)] if command[0] == "listen" else [QUESTION]))
    done = legtwitch(*argv, cwd=tmp_path)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == f"legtwitch: cannot write {target} ({reason}): give a writable path\n"
    after = os.lstat(target)
    assert (after.st_ino, after.st_mode) == (before.st_ino, before.st_mode)
    if kind == "symlink":
        assert (tmp_path / "victim.txt").read_text() == "someone's file"


@pytest.mark.parametrize(("argv", "message"), [
    (("ask", "--wav", "", QUESTION), "the WAV file name is empty: type one, e.g. --wav answer.wav"),
    (("listen", "--wav", "x.wav", "--answer-wav", ""),
     "the WAV file name is empty: type one, e.g. --wav answer.wav"),
    (("listen", "--wav", ""),
     "the recording's file name is empty: type one, e.g. --wav question.wav"),
])  # fmt: skip
def test_an_empty_file_name_is_a_usage_error(tmp_path, argv, message):
    done = legtwitch(*argv, cwd=tmp_path)
    assert (done.returncode, done.stdout, done.stderr) == (2, "", f"legtwitch: {message}\n")
    assert not list(tmp_path.iterdir())


def test_a_missing_directory_is_refused_not_created(tmp_path):
    target = tmp_path / "missing" / "a.wav"
    done = legtwitch("ask", "--wav", str(target), QUESTION, cwd=tmp_path)
    assert done.returncode == 2 and done.stderr == (
        f"legtwitch: cannot write {target} (no directory {target.parent}; create it first): "
        "give a writable path\n")
    assert not target.parent.exists()


def test_a_path_under_a_file_is_not_a_directory(tmp_path):
    (tmp_path / "notes.txt").write_text("notes")
    target = tmp_path / "notes.txt" / "a.wav"
    done = legtwitch("ask", "--wav", str(target), QUESTION, cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr == f"legtwitch: cannot write {target} (not a directory): give a writable path\n"


@pytest.mark.parametrize("argv", [
    ("ask", "--wav", "{name}", QUESTION), ("listen", "--wav", "{name}"),
    ("chat", "--script", "{name}"),
])  # fmt: skip
def test_a_256_character_file_name_is_one_line(tmp_path, argv):
    name = "a" * 252 + ".wav"
    done = legtwitch(*(a.format(name=name) for a in argv), cwd=tmp_path)
    assert done.returncode != 0 and "Traceback" not in done.stderr
    said = done.stderr or done.stdout.splitlines()[1]  # chat --script: in the report, stdout
    assert "file name too long" in said and said.rstrip("\n").count("\n") == 0


def test_listen_refuses_a_fifo_without_waiting_for_a_writer(tmp_path):
    os.mkfifo(tmp_path / "q.wav")
    done = legtwitch("listen", "--wav", str(tmp_path / "q.wav"), cwd=tmp_path)
    assert done.returncode == 2 and done.stderr == (
        f"legtwitch: cannot read {tmp_path / 'q.wav'} (is a FIFO): give the path of a WAV recording\n")


@pytest.mark.parametrize("script", ["/dev/zero", "fifo"])
def test_chat_script_refuses_what_is_not_a_regular_file(tmp_path, script):
    if script == "fifo":
        os.mkfifo(tmp_path / "fifo.yaml")
        script = str(tmp_path / "fifo.yaml")
    done = legtwitch("chat", "--script", script, cwd=tmp_path)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert f"{script}: file: cannot be read (is a " in done.stdout
    assert done.stdout.endswith("0 passed, 1 failed\n")


def _script_error(reason: str) -> ScriptError:
    return ScriptError("f", "file", reason, "fix")


def test_read_regular_caps_the_size(tmp_path):
    path = tmp_path / "big"
    path.write_bytes(b"x" * 101)
    assert read_regular(path, 101, _script_error) == b"x" * 101
    with pytest.raises(ScriptError, match=r"is over 100 bytes"):
        read_regular(path, 100, _script_error)


def test_check_target_accepts_a_new_or_regular_file(tmp_path):
    check_target(tmp_path / "new.wav", _script_error)
    (tmp_path / "old.wav").write_bytes(b"")
    check_target(tmp_path / "old.wav", _script_error)
    (tmp_path / "dangling.wav").symlink_to(tmp_path / "nowhere")
    with pytest.raises(ScriptError, match="is a symbolic link"):
        check_target(tmp_path / "dangling.wav", _script_error)


@pytest.mark.parametrize("rate", [0, 1])
def test_listen_refuses_a_recording_declaring_a_rate_out_of_range(tmp_path, rate):
    import array

    from tests.support.wavs import write_wav

    path = write_wav(tmp_path / "q.wav", array.array("h", [100] * 2000), 16000)  # 4 KB
    data = bytearray(path.read_bytes())
    data[24:28] = rate.to_bytes(4, "little")
    path.write_bytes(bytes(data))
    done = legtwitch("listen", "--wav", str(path), cwd=tmp_path)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (f"legtwitch: {path} is not a PCM WAV file (its sample rate is {rate} Hz; "
                           "from 8,000 to 192,000 Hz is read): record or convert it to 16-bit PCM WAV\n")
