"""Files the command line is given: read only when regular and small, written only over regular files."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

#: Makes the caller's own error (VoiceError, ScriptError, ...) from the reason, e.g. "is a FIFO".
Failure = Callable[[str], Exception]
#: The most a data file (content, a model, a classifier, trust roots) may hold, in bytes.
MAX_DATA_BYTES = 32 * 1024 * 1024


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


def read_regular(path: Path | str, limit: int, fail: Failure, refuse: Failure | None = None) -> bytes:
    """The bytes of the regular file `path` (a link to one is followed), at most `limit` of them.

    A FIFO, device, socket or directory is refused without being read (opening does not wait for
    a FIFO's writer); so is a file over `limit` bytes. `fail(reason)` makes the error raised, or
    for those refusals `refuse(reason)` when given (its fix: give a regular file)."""
    refuse = refuse or fail
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise fail(os_reason(exc)) from exc
    try:
        reason = _unreadable(os.fstat(fd), limit)
        if reason:
            raise refuse(reason)
        os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=False) as file:
            data = file.read(limit + 1)
    except OSError as exc:
        raise fail(os_reason(exc)) from exc
    finally:
        os.close(fd)
    if len(data) > limit:
        raise refuse(f"is over {limit:,} bytes")
    return data


def refusal(path: Path | str, limit: int = MAX_DATA_BYTES) -> str | None:
    """Why `path` would be refused unread (read_regular): "is a FIFO", "is over N bytes"; None
    for a regular file within `limit`, or one that cannot be looked at (its reader says why)."""
    try:
        return _unreadable(os.stat(path), limit)
    except (OSError, ValueError):
        return None


def _unreadable(status: os.stat_result, limit: int) -> str | None:
    """Why a file of this status is refused unread: not a regular file, or over `limit` bytes."""
    if not stat.S_ISREG(status.st_mode):
        return f"is {kind(status.st_mode)}"
    return f"is over {limit:,} bytes" if status.st_size > limit else None


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
