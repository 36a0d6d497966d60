"""SSML for Alexa and plain text for everything else: escaping, building and stripping speech."""

from __future__ import annotations

import html
import re

_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;"})
_BREAK = re.compile(r"<break\b[^>]*/>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")
_PAUSE = '<break time="300ms"/>'
_SENTINEL = "\x1e"


def escape_text(text: str) -> str:
    """Escape the five XML special characters so text is safe inside SSML."""
    return text.translate(_ESCAPES)


def ssml(*parts: str) -> str:
    """Join plain-text parts into one <speak> document, each escaped, with a short pause between."""
    body = f" {_PAUSE} ".join(escape_text(p.strip()) for p in parts if p and p.strip())
    return f"<speak>{body}</speak>"


def is_own_ssml(speech: str) -> bool:
    """True when `speech` is SSML as `ssml()` writes it: escaped text and short pauses only."""
    if not (speech.startswith("<speak>") and speech.endswith("</speak>")):
        return False
    body = speech[len("<speak>") : -len("</speak>")].replace(_PAUSE, "")
    return "<" not in body and ">" not in body


def to_plain_text(speech: str) -> str:
    """Turn SSML into clean text: tags removed, entities unescaped, pauses kept as sentence breaks."""
    text = _BREAK.sub(_SENTINEL, speech)
    text = _TAG.sub(" ", text)
    text = html.unescape(text)
    pieces = [_SPACE.sub(" ", p).strip() for p in text.split(_SENTINEL)]
    out = ""
    for piece in filter(None, pieces):
        if out and out[-1] not in ".?!":
            out += "."
        out = f"{out} {piece}" if out else piece
    return out
