"""Every LEGTWITCH_* setting: one typed declaration each, read from the environment when asked.

Each `Setting` names its variable, parses and checks the text (a bad value raises ConfigError,
which names the variable and the fix), and documents itself; `docs/settings.md` is this table
(`table()`), checked current by a test. Doors read their settings when they start, never at import.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Generic, NamedTuple, TypeVar

from skill import files
from skill.errors import ConfigError

T = TypeVar("T")
TRUE_WORDS, FALSE_WORDS = frozenset({"1", "true", "yes", "on"}), frozenset({"0", "false", "no", "off"})
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class Setting(NamedTuple, Generic[T]):
    """One environment variable: name, parser (text to value, ValueError if bad), default,
    who reads it (door) and what it does (doc). An empty variable counts as unset."""

    name: str
    parse: Callable[[str], T]
    default: T
    door: str
    doc: str
    fix: str = ""

    def read(self, environ: Mapping[str, str] | None = None) -> T:
        """The value from `environ` (default os.environ), or the default when unset or empty."""
        text = (os.environ if environ is None else environ).get(self.name, "").strip()
        return self.default if not text else self.convert(text)

    def convert(self, value: object) -> T:
        """Parse a value given as text (or already typed, from code): ConfigError if it is bad."""
        try:
            return self.parse(value) if isinstance(value, str) else self.parse(str(value))
        except ValueError as exc:
            raise ConfigError(self.name, value, self.fix or str(exc)) from exc


def flag(text: str) -> bool:
    """true/false/yes/no/on/off/1/0, any case."""
    word = text.strip().lower()
    if word not in TRUE_WORDS | FALSE_WORDS:
        raise ValueError("use true or false")
    return word in TRUE_WORDS


def _text(text: str) -> str | None:
    return text.strip() or None


def _path(text: str) -> Path | None:
    if not text.strip():
        return None
    try:
        return Path(text).expanduser()
    except RuntimeError as exc:  # ~name of no user, or ~ with no home directory
        user = text.split("/", 1)[0]
        raise ValueError(f"{user} names no home directory on this machine: give the full "
                         "path, e.g. /home/me/folder") from exc


def _command(text: str) -> tuple[str, ...] | None:
    """A command line split as a shell would (quotes, backslashes), without running a shell."""
    import shlex

    if not text.strip():
        return None
    try:
        words = tuple(shlex.split(text))
    except ValueError as exc:  # "No closing quotation", "No escaped character"
        raise ValueError(f"{str(exc).lower()}: write the command as you would type it in a "
                         "shell, quotes closed, e.g. '\"/opt/my tool\" --quiet'") from exc
    if not words or not words[0]:
        raise ValueError("give a command as you would type it in a shell, e.g. "
                         "'\"/opt/my tool\" --quiet'")
    return words


def _file(what: str) -> Callable[[str], str | None]:
    """A file's path, refused when it names what is never read: a FIFO, device or directory, or
    a file over files.MAX_DATA_BYTES (a missing file is left to its reader to report)."""
    def parse(text: str) -> str | None:
        path = text.strip()
        reason = files.refusal(path) if path else None
        if reason:
            raise ValueError(f"{reason}: give {what} of at most {files.MAX_DATA_BYTES:,} bytes")
        return path or None

    return parse


def _file_path(text: str) -> Path | None:
    """`_path`, refused as `_file` refuses."""
    return _path(_file("a regular file")(text) or "")


def _bounded_int(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        value = int(text)
        if not low <= value <= high:
            raise ValueError(f"out of range {low} to {high}")
        return value

    return parse


def _bounded_float(low: float, high: float) -> Callable[[str], float]:
    def parse(text: str) -> float:
        value = float(text)
        if not low <= value <= high:
            raise ValueError(f"out of range {low} to {high}")
        return value

    return parse


def _public_url(text: str) -> str:
    """An https URL of a host (and optional path), without query or fragment; no trailing slash."""
    from urllib.parse import urlsplit

    url = text.strip()
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname or parts.query or parts.fragment or " " in url:
        raise ValueError("give the https address the endpoint is reached at, e.g. "
                         "https://twitch.example.com")
    return url.rstrip("/")


def _log_level(text: str) -> str:
    level = text.strip().upper()
    if level not in LOG_LEVELS:
        raise ValueError(f"use one of {', '.join(LOG_LEVELS)}")
    return level


# The core ---------------------------------------------------------------------------------------
CONTENT_DIR: Setting[Path | None] = Setting(
    "LEGTWITCH_CONTENT_DIR", _path, None, "core",
    "folder of topics.yaml, responses.yaml, utterances.yaml, locales.yaml (default: the shipped content/)")
MODEL: Setting[Path | None] = Setting(
    "LEGTWITCH_MODEL", _path, None, "core",
    "the en-US interaction model JSON the skill loads (default: the shipped "
    "interaction_model/.../en-US.json; other locales' models are always the shipped ones)")
SKILL_ID: Setting[str | None] = Setting(
    "LEGTWITCH_SKILL_ID", _text, None, "alexa",
    "the skill's application id; requests for another skill get 400 (default: any skill)")

# Amazon's endpoint --------------------------------------------------------------------------------
TRUST_ROOTS: Setting[str | None] = Setting(
    "LEGTWITCH_TRUST_ROOTS", _file("a PEM file of certificates, a regular file"), None, "alexa",
    "PEM file of trusted root certificates for request signatures (default: the system's bundle)")
VERIFY: Setting[bool] = Setting(
    "LEGTWITCH_VERIFY", flag, True, "alexa",
    "`false` switches signature and timestamp checks off; only with `legtwitch serve --dev`",
    "use true or false")
MAX_BODY: Setting[int] = Setting(
    "LEGTWITCH_MAX_BODY", _bounded_int(1, 16 * 1024 * 1024), 64 * 1024, "alexa",
    "largest request body in bytes; larger gets 413", "give bytes, 1 to 16777216")
LOG_LEVEL: Setting[str] = Setting(
    "LEGTWITCH_LOG_LEVEL", _log_level, "INFO", "alexa", "level of the endpoint's log",
    f"use one of {', '.join(LOG_LEVELS)}")

PUBLIC_URL: Setting[str | None] = Setting(
    "LEGTWITCH_PUBLIC_URL", _public_url, None, "alexa",
    "public https base URL serving /privacy, /terms and /icons/ (`make model` puts them in "
    "skill.json; `legtwitch check` then refuses empty icon or policy URLs)")

# Speech out and in ---------------------------------------------------------------------------------
VOICE: Setting[str | None] = Setting(
    "LEGTWITCH_VOICE", _text, None, "voice",
    "voice id, name or language, optionally +variant (`legtwitch voices`; default gmw/en-us)")
RATE: Setting[int | None] = Setting(
    "LEGTWITCH_RATE", _bounded_int(80, 450), None, "voice", "words per minute, 80 to 450 (default 175)",
    "type a whole number of words per minute from 80 to 450")
VOLUME: Setting[float | None] = Setting(
    "LEGTWITCH_VOLUME", _bounded_float(0.0, 1.0), None, "voice", "0.0 to 1.0 (default 1.0)",
    "type a number from 0.0 to 1.0")
PLAYER: Setting[tuple[str, ...] | None] = Setting(
    "LEGTWITCH_PLAYER", _command, None, "voice",
    "command that plays a WAV, given its path (default: found on the machine)")
RECORDER: Setting[tuple[str, ...] | None] = Setting(
    "LEGTWITCH_RECORDER", _command, None, "voice",
    "command that writes raw 16 kHz mono 16-bit audio to stdout until killed (default: found)")
SPEECH_DIR: Setting[Path | None] = Setting(
    "LEGTWITCH_SPEECH_DIR", _path, None, "voice",
    "where answers go as WAV when there is no sound device: a directory of your own, not writable "
    "by others (default: $TMPDIR/legtwitch-UID, created with mode 0700)")

# The text simulator -------------------------------------------------------------------------------
HISTORY: Setting[Path | None] = Setting(
    "LEGTWITCH_HISTORY", _file_path, None, "simulator",
    "chat's line history file (default: $XDG_STATE_HOME/legtwitch/history)")

ALL: tuple[Setting[Any], ...] = (
    CONTENT_DIR, MODEL, SKILL_ID, TRUST_ROOTS, VERIFY, MAX_BODY, LOG_LEVEL, PUBLIC_URL,
    VOICE, RATE, VOLUME, PLAYER, RECORDER, SPEECH_DIR, HISTORY,
)  # fmt: skip


def table() -> str:
    """The settings as the Markdown table of docs/settings.md."""
    rows = ["| variable | door | what it does | default |", "|---|---|---|---|"]
    for s in ALL:
        default = "not set" if s.default is None else f"`{s.default}`"
        rows.append(f"| `{s.name}` | {s.door} | {s.doc} | {default} |")
    return "\n".join(rows) + "\n"
