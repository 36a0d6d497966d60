"""General English the understanding adds to any interaction model, read from lexicon.yaml, and
the words of English the speller leaves alone, from english_words.txt (written at build time by
skill.authoring.english).

The speech-in door reads the same file's `builtins` (how people say Alexa's built-in intents).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from skill.simulator.normalise import stem

LEXICON_FILE = "lexicon.yaml"
ENGLISH_FILE = "english_words.txt"
ENGLISH_PATH = Path(__file__).with_name(ENGLISH_FILE)  # where `make model` writes it


@dataclass(frozen=True)
class Lexicon:
    """Stop words, synonym groups, settings, body parts, conditions and built-in phrasings; and
    words of English, never taken for a typing slip of another word."""

    stopwords: frozenset[str]
    synonyms: tuple[tuple[str, ...], ...]
    settings: frozenset[str]
    body_parts: tuple[str, ...]
    conditions: tuple[str, ...]
    symptoms: tuple[str, ...]
    subjects: tuple[str, ...]
    builtins: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    english: frozenset[str] = frozenset()

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], english: frozenset[str] = frozenset()) -> Lexicon:
        return cls(
            stopwords=frozenset(stem(w) for w in data["stopwords"]),
            synonyms=tuple(tuple(g) for g in data["synonyms"]),
            settings=frozenset(stem(w) for w in data["settings"]),
            body_parts=tuple(data["body_parts"]),
            conditions=tuple(data["conditions"]),
            symptoms=tuple(data["symptoms"]),
            subjects=tuple(data["subjects"]),
            builtins={k: tuple(v) for k, v in data["builtins"].items()},
            english=english,
        )

    @classmethod
    @cache
    def default(cls) -> Lexicon:
        """The shipped lexicon (skill/simulator/lexicon.yaml and english_words.txt), read once per
        process."""
        here = resources.files("skill.simulator")
        text = here.joinpath(LEXICON_FILE).read_text(encoding="utf-8")
        english = here.joinpath(ENGLISH_FILE).read_text(encoding="utf-8").split("\n")
        return cls.from_dict(yaml.safe_load(text), frozenset(w for w in english if w and w[0] != "#"))
