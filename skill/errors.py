"""Errors of the Leg Twitch Guide: one base class, one subclass per failing part."""

from __future__ import annotations


class LegTwitchError(Exception):
    """Base of every error the skill raises on purpose; the message says what to do."""


class VoiceError(LegTwitchError):
    """Speech out or speech in cannot work: a missing engine, voice, device or bad audio."""


class EngineMissingError(VoiceError):
    """The speech engine (eSpeak NG or pyttsx3/pocketsphinx) is not installed."""


class NoDeviceError(VoiceError):
    """There is no sound device to play to or record from."""
