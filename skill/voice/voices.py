"""The voices eSpeak NG offers: listing them (`legtwitch voices`) and finding the one --voice names."""

from __future__ import annotations

import re
from dataclasses import dataclass

from skill.errors import VoiceError

DEFAULT_VOICE = "gmw/en-us"
_VARIANT = re.compile(r"^[a-z0-9_-]+$")


@dataclass(frozen=True)
class VoiceInfo:
    """One voice of the engine: id (what --voice takes), name, languages, gender."""

    id: str
    name: str
    languages: tuple[str, ...]
    gender: str | None


def voices() -> tuple[VoiceInfo, ...]:
    """Every voice eSpeak NG offers through pyttsx3."""
    from skill.voice.engine import Engine

    return Engine.get().voices()


def variants() -> tuple[str, ...]:
    """The variants eSpeak NG has (f1-f5, m1-m8, klatt, whisper, ...), for a voice's "+variant"."""
    from skill.voice.engine import Engine

    return Engine.get().variants()


def resolve_voice(spec: str, available: tuple[VoiceInfo, ...],
                  known_variants: tuple[str, ...] | None = None) -> str:
    """The engine's voice id for `spec`: an id, a name or a language, optionally with an eSpeak
    variant suffix such as "+f3" (one of `known_variants`, when given); raise VoiceError naming
    `legtwitch voices` otherwise."""
    base, _, variant = spec.strip().partition("+")
    wanted = base.strip().lower()
    for match in (
        lambda v: v.id.lower() == wanted,
        lambda v: v.id.lower().rsplit("/", 1)[-1] == wanted,
        lambda v: v.name.lower() == wanted,
        lambda v: wanted in (lang.lower() for lang in v.languages),
    ):
        found = next((v for v in available if match(v)), None)
        if found is not None:
            break
    else:
        raise VoiceError(
            f"no voice {spec!r}: type `legtwitch voices` to list them, then e.g. --voice en-us"
        )
    if variant:
        if not _VARIANT.match(variant):
            raise VoiceError(f"bad voice variant {variant!r}: use e.g. --voice en-us+f3")
        if known_variants is not None and variant not in known_variants:
            raise VoiceError(f"no voice variant {variant!r}: type `legtwitch voices` to list "
                             "them, then e.g. --voice en-us+f3")
        return f"{found.id}+{variant}"
    return found.id


def describe_voices(found: tuple[VoiceInfo, ...], language: str | None = None) -> list[str]:
    """`legtwitch voices`: one line per voice (id, language, gender, name), English first."""
    prefix = (language or "").lower()
    wanted = [v for v in found if any(lang.lower().startswith(prefix) for lang in v.languages)]
    wanted.sort(key=lambda v: (not any(lang.startswith("en") for lang in v.languages), v.id))
    lines = [f"{'VOICE':<28} {'LANGUAGE':<16} {'GENDER':<7} NAME"]
    for v in wanted:
        default = "  (default)" if v.id == DEFAULT_VOICE else ""
        languages = ",".join(v.languages)
        lines.append(f"{v.id:<28} {languages:<16} {v.gender or '-':<7} {v.name}{default}")
    lines.append(
        "Add an eSpeak NG variant for another sound, e.g. --voice en-us+f2 (f1-f5 female, "
        "m1-m7 male, klatt, whisper, croak)."
    )
    return lines
