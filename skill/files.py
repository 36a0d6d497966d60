"""Files the command line is given: read only when regular and small, written only over regular files."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

from skill.errors import LegTwitchError

#: Makes the caller's own error (VoiceError, ScriptError, ...) from the reason, e.g. "is a FIFO".
Failure = Callable[[str], LegTwitchError]


def kind(mode: int) -> str:
    """What a file that is not a regular file is, in words: "a directory", "a FIFO"."""
    for test, name in ((stat.S_ISDIR, "a directory"), (stat.S_ISLNK, "a symbolic link"),
                       (stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "not a regular file"


def os_reason(exc: OSError) -> str:
    """What went wrong with a file, without the path: "is a directory", "permission denied"."""
    return exc.strerror.lower() if exc.strerror else str(exc)


def read_regular(path: Path | str, limit: int, fail: Failure) -> bytes:
    """The bytes of the regular file `path` (a link to one is followed), at most `limit` of them.

    A FIFO, device, socket or directory is refused without being read (opening does not wait for
    a FIFO's writer); so is a file over `limit` bytes. `fail(reason)` makes the error raised."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise fail(os_reason(exc)) from exc
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise fail(f"is {kind(mode)}")
        os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=False) as file:
            data = file.read(limit + 1)
    except OSError as exc:
        raise fail(os_reason(exc)) from exc
    finally:
        os.close(fd)
    if len(data) > limit:
        raise fail(f"is over {limit:,} bytes")
    return data


def check_target(path: Path, fail: Failure) -> None:
    """Refuse to write `path` unless it is a new file in an existing directory, or a regular file
    (not a link, directory, FIFO or device: those are never replaced)."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:  # "not a directory", "file name too long", "permission denied"
        raise fail(os_reason(exc)) from exc
    if mode is not None and not stat.S_ISREG(mode):
        raise fail(f"is {kind(mode)}")  # never replaced: only a regular file is
    parent = path.parent
    try:
        parent_mode = os.stat(parent).st_mode
    except FileNotFoundError as exc:
        raise fail(f"no directory {parent}; create it first") from exc
    except OSError as exc:
        raise fail(os_reason(exc)) from exc
    if not stat.S_ISDIR(parent_mode):
        raise fail(f"{parent} is not a directory")
