"""The project's errors: one base class, each message naming the item at fault and the fix.

Each class carries what it means at an edge: `exit_code` for the command line (2: usage, what
to type differs; 1: a failure) and `http_status` for the endpoint. The CLI's `main` and the web
app's error handler are the only places that turn an error into either.
"""

from __future__ import annotations


class LegTwitchError(Exception):
    """Base class of every error this project raises on purpose."""

    exit_code = 1
    http_status = 500


class DataError(LegTwitchError):
    """A content or interaction-model file is invalid: fails start-up, never a live request.

    path: the file; item: the entry at fault (a topic id, an intent name); fix: what to change.
    """

    def __init__(self, path: object, item: str, problem: str, fix: str) -> None:
        self.path, self.item, self.problem, self.fix = str(path), item, problem, fix
        super().__init__(f"{self.path}: {item}: {problem}. Fix: {fix}")


class ContentError(DataError):
    """A file under content/ is invalid."""


class ModelError(DataError):
    """The interaction model (or its templates) is invalid."""


class InputError(LegTwitchError):
    """Text a person could not have said to Alexa: empty, far too long, or unspeakable characters."""

    exit_code = 2
    http_status = 400


class TransportError(LegTwitchError):
    """A skill endpoint could not be reached or did not answer with a response envelope."""


class ScriptError(LegTwitchError):
    """A conversation script is invalid: names the file, the turn and what to write instead."""

    exit_code = 2

    def __init__(self, path: object, where: str, problem: str, fix: str) -> None:
        self.path, self.where, self.problem, self.fix = str(path), where, problem, fix
        super().__init__(f"{self.path}: {where}: {problem}. Fix: {fix}")


class OutputError(LegTwitchError):
    """Standard output cannot take what is written: closed, a full disk, or an encoding that has
    no way to write a character."""


class ConfigError(LegTwitchError):
    """A setting (a LEGTWITCH_* variable, a create_app key, a CLI option) cannot work."""

    exit_code = 2

    def __init__(self, key: str, value: object, fix: str) -> None:
        self.key, self.value, self.fix = key, value, fix
        super().__init__(f"{key}={value!r}: {fix}")


class RequestError(LegTwitchError):
    """A request the endpoint refuses (HTTP 400): the message is the short reason sent back."""

    http_status = 400


class RequestTimeout(RequestError):
    """A request whose body did not arrive within the server's timeout (HTTP 408)."""

    http_status = 408


class MediaTypeError(RequestError):
    """A request body not sent as Alexa sends it: another Content-Type, or a Content-Encoding (HTTP 415)."""

    http_status = 415


class VerificationError(RequestError):
    """A request failed Amazon's signature, certificate, timestamp or application id checks."""


class VoiceError(LegTwitchError):
    """Speech out or speech in cannot work: a bad voice setting, audio file or engine failure."""

    exit_code = 2


class EngineMissingError(VoiceError):
    """A speech engine is not installed (eSpeak NG, or the pyttsx3/pocketsphinx extra)."""


class NoDeviceError(VoiceError):
    """There is no sound device to record from."""
