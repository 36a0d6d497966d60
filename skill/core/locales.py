"""The English locales the skill is published in, from content/locales.yaml.

The content and the templates are US English; a `Locale` says what differs elsewhere: how words
are spelled there (applied to everything the skill says, by `Locale.spell`) and what people there
also say (heard beside the templates' words, by `Locale.alternatives` when the model is made).
A request in a locale the skill does not list is answered in the default one, en-US.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from skill.core import datafiles
from skill.errors import ContentError

DEFAULT = datafiles.DEFAULT_LOCALE
FILE = "locales.yaml"
_TAG = re.compile(r"^en-[A-Z]{2}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_PHRASE = re.compile(r"^[A-Za-z][A-Za-z'. ]*$")  # words as Alexa's samples accept them
KEYS = frozenset({"countries", "spellings", "hear", "says"})
_NONE: Mapping[str, Any] = MappingProxyType({})


class Locale(NamedTuple):
    """One locale: its tag (en-GB), the countries it is sold in, its spellings (US -> local), the
    phrases heard beside the templates' own (template phrase -> local phrases) and the phrases
    said instead of the content's (content phrase -> local phrase: the emergency number)."""

    tag: str
    countries: tuple[str, ...]
    spellings: Mapping[str, str] = _NONE
    hear: Mapping[str, tuple[str, ...]] = _NONE
    says: Mapping[str, str] = _NONE

    def spell(self, text: str) -> str:
        """`text` as this locale spells and says it ("tumor" becomes "tumour" in en-GB, "nine one
        one" becomes "nine nine nine"), a capital first letter kept."""
        local_words = {**self.spellings, **self.says}
        pattern = _alternation(tuple(local_words), r"\b", r"\b")
        if pattern is None:
            return text

        def local(match: re.Match[str]) -> str:
            word = match.group()
            spelled = local_words[word.lower()]
            return spelled[0].upper() + spelled[1:] if word[0].isupper() else spelled

        return pattern.sub(local, text)

    @property
    def heard(self) -> Mapping[str, tuple[str, ...]]:
        """Every phrase of the templates with what is also heard for it here: the locale's own
        words and its spellings (the US spelling stays heard too)."""
        extra = dict(self.hear)
        for us, local in self.spellings.items():
            extra[us] = (*extra.get(us, ()), local)
        return extra

    def alternatives(self, template: str) -> str:
        """A template that also matches what people here say: each phrase `heard` lists becomes
        a choice "(phrase|local|...)" of hassil's syntax."""
        extra = self.heard
        pattern = _phrases(tuple(extra))
        if pattern is None:
            return template
        return pattern.sub(lambda m: "(" + "|".join((m.group(), *extra[m.group().lower()])) + ")",
                           template)

    def unheard(self, texts: Iterable[str]) -> list[str]:
        """The phrases and US spellings this locale lists that none of `texts` contains."""
        extra = self.heard
        pattern = _phrases(tuple(extra))
        found = {m.lower() for text in texts for m in pattern.findall(text)} if pattern else set()
        return [phrase for phrase in extra if phrase not in found]


class Locales:
    """Every locale, by tag; en-US first."""

    def __init__(self, by_tag: Mapping[str, Locale]) -> None:
        self.by_tag = by_tag

    def __iter__(self) -> Iterator[Locale]:
        return iter(self.by_tag.values())

    @property
    def tags(self) -> tuple[str, ...]:
        return tuple(self.by_tag)

    def get(self, tag: str | None) -> Locale:
        """The locale of a request: its own if listed, else the default (en-US)."""
        return self.by_tag.get(tag or "", self.by_tag[DEFAULT])


@cache
def _alternation(phrases: tuple[str, ...], before: str, after: str) -> re.Pattern[str] | None:
    """A pattern matching any of `phrases` (longest first, any case) between the lookarounds
    `before` and `after`; None when there are none."""
    if not phrases:
        return None
    choices = "|".join(map(re.escape, sorted(phrases, key=len, reverse=True)))
    return re.compile(f"{before}({choices}){after}", re.IGNORECASE)


def _phrases(phrases: tuple[str, ...]) -> re.Pattern[str] | None:
    """`phrases` found in a template: outside words, and outside its {slot} references."""
    return _alternation(phrases, r"(?<![\w'{])", r"(?![\w'}])")


def load_locales(path: Path | None = None) -> Locales:
    """Read and check content/locales.yaml; ContentError naming the file, the item and the fix."""
    path = path or datafiles.content_dir() / FILE
    data = datafiles.read_yaml(path, ContentError)
    if not isinstance(data, dict) or DEFAULT not in data:
        raise ContentError(path, "file", f"is not a mapping of locales with {DEFAULT} among them",
                           f"write '{DEFAULT}:' and each other locale as a key")
    locales = {tag: _locale(path, tag, spec) for tag, spec in data.items()}
    default = locales.pop(DEFAULT)
    if default.spellings or default.hear or default.says:
        raise ContentError(path, DEFAULT, "has spellings or phrases of its own",
                           f"write the content and templates in {DEFAULT}; list only countries")
    return Locales({DEFAULT: default, **locales})


def _locale(path: Path, tag: Any, spec: Any) -> Locale:
    if not isinstance(tag, str) or not _TAG.match(tag):
        raise ContentError(path, f"locale {tag!r}", "is not an English locale tag",
                           "write it as en-GB, en-AU...")
    if not isinstance(spec, dict) or set(spec) - KEYS:
        raise ContentError(path, tag, "is not a mapping of countries, spellings, hear and says",
                           f"use only {sorted(KEYS)}")
    countries = spec.get("countries")
    if not isinstance(countries, list) or not countries or not all(
            isinstance(c, str) and _COUNTRY.match(c) for c in countries):
        raise ContentError(path, f"{tag} countries", "is not a list of country codes",
                           "list two-letter codes, e.g. [GB]")
    spellings = spec.get("spellings") or {}
    if not isinstance(spellings, dict) or not all(
            isinstance(k, str) and isinstance(v, str) and k.isalpha() and v.isalpha()
            and k.islower() for k, v in spellings.items()):
        raise ContentError(path, f"{tag} spellings", "is not a mapping of lowercase words",
                           "write 'us spelling: local spelling', one word each")
    hear = spec.get("hear") or {}
    if not isinstance(hear, dict):
        raise ContentError(path, f"{tag} hear", "is not a mapping", "write 'phrase: [local, ...]'")
    for phrase, local in hear.items():
        if not (isinstance(phrase, str) and _PHRASE.match(phrase) and phrase == phrase.lower()
                and isinstance(local, list) and local
                and all(isinstance(w, str) and _PHRASE.match(w) for w in local)):
            raise ContentError(path, f"{tag} hear '{phrase}'",
                               "is not a lowercase phrase with a list of phrases",
                               "write 'phrase: [what people there say]', letters only")
    says = spec.get("says") or {}
    if not isinstance(says, dict) or not all(
            isinstance(k, str) and isinstance(v, str) and _PHRASE.match(k) and _PHRASE.match(v)
            and k == k.lower() for k, v in says.items()):
        raise ContentError(path, f"{tag} says", "is not a mapping of lowercase phrases",
                           "write 'phrase the content says: what is said here', letters only")
    return Locale(tag, tuple(countries), dict(spellings),
                  {phrase: tuple(local) for phrase, local in hear.items()}, dict(says))


@cache
def default_locales() -> Locales:
    """The shipped locales, loaded once per process."""
    return load_locales()
