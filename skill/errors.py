"""The project's errors: one base class, each message naming the item at fault and the fix."""

from __future__ import annotations


class LegTwitchError(Exception):
    """Base class of every error this project raises on purpose."""


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


class TransportError(LegTwitchError):
    """A skill endpoint could not be reached or did not answer with a response envelope."""


class ScriptError(LegTwitchError):
    """A conversation script is invalid: names the file, the turn and what to write instead."""

    def __init__(self, path: object, where: str, problem: str, fix: str) -> None:
        self.path, self.where, self.problem, self.fix = str(path), where, problem, fix
        super().__init__(f"{self.path}: {where}: {problem}. Fix: {fix}")


class ConfigError(LegTwitchError):
    """A setting (a LEGTWITCH_* variable, a create_app key, a CLI option) cannot work."""

    def __init__(self, key: str, value: object, fix: str) -> None:
        self.key, self.value, self.fix = key, value, fix
        super().__init__(f"{key}={value!r}: {fix}")


class RequestError(LegTwitchError):
    """A request the endpoint refuses (HTTP 400): the message is the short reason sent back."""


class VerificationError(RequestError):
    """A request failed Amazon's signature, certificate, timestamp or application id checks."""


class VoiceError(LegTwitchError):
    """Speech out or speech in cannot work: a bad voice setting, audio file or engine failure."""


class EngineMissingError(VoiceError):
    """A speech engine is not installed (eSpeak NG, or the pyttsx3/pocketsphinx extra)."""


class NoDeviceError(VoiceError):
    """There is no sound device to record from."""
