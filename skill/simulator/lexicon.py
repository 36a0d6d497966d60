"""General English the understanding adds to any interaction model, read from lexicon.yaml.

The speech-in door reads the same file's `builtins` (how people say Alexa's built-in intents).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml

from skill.simulator.normalise import stem

LEXICON_FILE = "lexicon.yaml"


@dataclass(frozen=True)
class Lexicon:
    """Stop words, synonym groups, settings, body parts, conditions and built-in phrasings."""

    stopwords: frozenset[str]
    synonyms: tuple[tuple[str, ...], ...]
    settings: frozenset[str]
    body_parts: tuple[str, ...]
    conditions: tuple[str, ...]
    symptoms: tuple[str, ...]
    animals: tuple[str, ...]
    builtins: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Lexicon:
        return cls(
            stopwords=frozenset(stem(w) for w in data["stopwords"]),
            synonyms=tuple(tuple(g) for g in data["synonyms"]),
            settings=frozenset(stem(w) for w in data["settings"]),
            body_parts=tuple(data["body_parts"]),
            conditions=tuple(data["conditions"]),
            symptoms=tuple(data["symptoms"]),
            animals=tuple(data["animals"]),
            builtins={k: tuple(v) for k, v in data["builtins"].items()},
        )

    @classmethod
    @cache
    def default(cls) -> Lexicon:
        """The shipped lexicon (skill/simulator/lexicon.yaml), read once per process."""
        text = resources.files("skill.simulator").joinpath(LEXICON_FILE).read_text(encoding="utf-8")
        return cls.from_dict(yaml.safe_load(text))
