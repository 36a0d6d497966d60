"""Template expansion: content/utterances.yaml into the ask-cli interaction model JSON.

The templates use hassil's syntax: (a|b) picks one alternative, [x] is optional, <rule> is a
shared piece defined under `rules`, {slot} a slot reference. A bad file raises ModelError naming
the file, the item and the fix, as the content does; the result is checked by
skill.core.model.validate before it is written.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from skill.core import datafiles
from skill.core.locales import DEFAULT, Locale, default_locales
from skill.core.locales import FILE as LOCALES_FILE
from skill.errors import ModelError

_RULE_REF = re.compile(r"<([a-z_]+)>")
TOP_KEYS = frozenset({"invocation", "fallback_sensitivity", "slot_types", "rules", "intents"})
SENSITIVITIES = ("LOW", "MEDIUM", "HIGH")
INTENT_KEYS = frozenset({"slots", "samples"})


def expand(template: str) -> list[str]:
    """All sentences a template stands for: (a|b) alternatives and [optional] parts."""
    results = []
    for words in _expand_seq(template, 0, None)[0]:
        sentence = " ".join(words.split())
        if sentence and sentence not in results:
            results.append(sentence)
    return results


def _expand_seq(text: str, i: int, closer: str | None) -> tuple[list[str], int]:
    """Expand text[i:] up to `closer` into alternatives; returns them and the index after."""
    alternatives: list[str] = []
    current = [""]
    while i < len(text):
        char = text[i]
        if char in "([":
            inner, i = _expand_seq(text, i + 1, ")" if char == "(" else "]")
            if char == "[":
                inner = [*inner, ""]
            current = [a + b for a in current for b in inner]
            continue
        if char == "|" and closer is not None:
            alternatives += current
            current = [""]
        elif char == closer:
            return alternatives + current, i + 1
        elif char in ")]|":
            raise ValueError(f"unbalanced '{char}' at position {i}")
        else:
            current = [c + char for c in current]
        i += 1
    if closer is not None:
        raise ValueError(f"missing '{closer}'")
    return alternatives + current, i


def _load(path: Path) -> Mapping[str, Any]:
    source = datafiles.read_yaml(path, ModelError)
    if not isinstance(source, dict):
        raise ModelError(path, "file", "is not a mapping", "write invocation, slot_types, rules, intents")
    unknown = set(source) - TOP_KEYS
    if unknown:
        raise ModelError(path, "file", f"unknown key(s) {sorted(unknown)}", f"use only {sorted(TOP_KEYS)}")
    if not isinstance(source.get("invocation"), str):
        raise ModelError(path, "invocation", "is missing", "give the invocation name, e.g. leg twitch guide")
    for key in ("slot_types", "intents"):
        if not isinstance(source.get(key), dict) or not source[key]:
            raise ModelError(path, key, "is missing or not a mapping", f"write '{key}:' as a mapping")
    if source.get("fallback_sensitivity", "LOW") not in SENSITIVITIES:
        raise ModelError(path, "fallback_sensitivity", f"is not one of {', '.join(SENSITIVITIES)}",
                         "choose how readily Alexa sends doubtful requests to AMAZON.FallbackIntent")
    if not isinstance(source.get("rules", {}), dict):
        raise ModelError(path, "rules", "is not a mapping", "write each rule as 'name: (a|b)'")
    return source


def _types(path: Path, slot_types: Mapping[str, Any], locale: Locale) -> list[dict[str, Any]]:
    types = []
    for type_name, values in slot_types.items():
        if not isinstance(values, dict) or not values:
            raise ModelError(path, f"slot type {type_name}", "has no values",
                             "list 'id: [name, synonyms...]' under it")
        entries = []
        for value_id, synonyms in values.items():
            if not isinstance(synonyms, list) or not synonyms or not all(
                isinstance(s, str) and s.strip() for s in synonyms
            ):
                raise ModelError(path, f"slot type {type_name} value '{value_id}'",
                                 "is not a list of words", "write it as 'id: [name, synonym, ...]'")
            spoken: list[str] = []
            for synonym in synonyms:
                spoken += [s for s in expand(locale.alternatives(synonym)) if s not in spoken]
            entries.append({"id": str(value_id), "name": {"value": spoken[0], "synonyms": spoken[1:]}})
        types.append({"name": str(type_name), "values": entries})
    return types


def generate(templates_path: Path | None = None, locale: Locale | None = None) -> dict[str, Any]:
    """Build the ask-cli interaction model JSON of `locale` (default en-US) from the templates
    file: the same templates in every locale, with what people there also say heard beside them."""
    path = templates_path or datafiles.templates_path()
    locale = locale or default_locales().get(DEFAULT)
    source = _load(path)
    rules = source.get("rules") or {}

    def substitute(template: str, seen: tuple[str, ...] = ()) -> str:
        def rule(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in rules or not isinstance(rules[name], str):
                raise ModelError(path, f"rule <{name}>", "is not defined",
                                 "define it under 'rules' or fix its name")
            if name in seen:
                raise ModelError(path, f"rule <{name}>", "refers to itself", "remove the loop")
            return substitute(rules[name], (*seen, name))

        return _RULE_REF.sub(rule, template)

    texts = [*(str(t) for spec in source["intents"].values() if isinstance(spec, dict)
               for t in spec.get("samples") or [] if isinstance(t, str)),
             *(str(r) for r in rules.values()),
             *(str(s) for values in source["slot_types"].values() if isinstance(values, dict)
               for synonyms in values.values() if isinstance(synonyms, list) for s in synonyms)]
    for phrase in locale.unheard(texts):
        raise ModelError(datafiles.content_dir() / LOCALES_FILE, f"{locale.tag} '{phrase}'",
                         f"is a phrase {path.name} never uses",
                         "list only words of the templates' samples and slot values, or remove it")

    intents = []
    for name, spec in source["intents"].items():
        spec = spec or {}
        if not isinstance(spec, dict) or set(spec) - INTENT_KEYS:
            raise ModelError(path, f"intent {name}", "is not a mapping of slots and samples",
                             "write 'slots: {name: TYPE}' and 'samples: [...]' only")
        templates = spec.get("samples", [])
        if not isinstance(templates, list) or not all(isinstance(t, str) for t in templates):
            raise ModelError(path, f"intent {name} samples", "is not a list of templates",
                             "write each sample as a line '- words'")
        samples: list[str] = []
        for template in templates:
            try:
                expanded = expand(locale.alternatives(substitute(template)))
            except ValueError as exc:
                raise ModelError(path, f"intent {name} template '{template}'",
                                 str(exc), "balance its brackets") from exc
            samples += [s for s in expanded if s not in samples]
        intent: dict[str, Any] = {"name": name, "samples": samples}
        slots = spec.get("slots")
        if slots:
            if not isinstance(slots, dict):
                raise ModelError(path, f"intent {name} slots", "is not a mapping",
                                 "write 'slots: {name: TYPE}'")
            intent["slots"] = [{"name": s, "type": t} for s, t in slots.items()]
        intents.append(intent)
    return {
        "interactionModel": {
            "languageModel": {
                "invocationName": source["invocation"],
                **({"modelConfiguration": {"fallbackIntentSensitivity": {
                    "level": source["fallback_sensitivity"]}}}
                   if "fallback_sensitivity" in source else {}),
                "intents": intents,
                "types": _types(path, source["slot_types"], locale),
            }
        }
    }


def render(model: Mapping[str, Any]) -> str:
    """The JSON text as committed: stable, indented, with a final newline."""
    return json.dumps(model, indent=2, ensure_ascii=False) + "\n"
