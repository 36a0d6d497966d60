"""SSML for Alexa and plain text for everything else: escaping, building and stripping speech."""

from __future__ import annotations

import re

_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;"})
_BREAK = re.compile(r"<break\b[^>]*/>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")
_PAUSE = '<break time="300ms"/>'
_SENTINEL = "\x1e"


# Characters XML 1.0 does not allow at all (C0 controls but tab and line breaks, U+FFFE/U+FFFF,
# lone surrogates): dropped, since no escape makes them legal.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# The only entities this skill writes: the five escapes above.
_OWN_ENTITY = re.compile(r"&(?:amp|lt|gt|quot|apos);")
#: Most characters of words heard that a reply repeats back ("I don't have anything on ...").
MAX_ECHO = 60


def escape_text(text: str) -> str:
    """Escape the five XML special characters and drop XML-illegal ones, so text is safe SSML."""
    return _ILLEGAL.sub("", text).translate(_ESCAPES)


def echo(heard: str) -> str:
    """Words heard, shortened to what a reply may repeat back (at most MAX_ECHO characters)."""
    words = " ".join(heard.split())
    return words if len(words) <= MAX_ECHO else words[:MAX_ECHO].rsplit(" ", 1)[0] + "..."


def ssml(*parts: str) -> str:
    """Join plain-text parts into one <speak> document, each escaped, with a short pause between."""
    body = f" {_PAUSE} ".join(escape_text(p.strip()) for p in parts if p and p.strip())
    return f"<speak>{body}</speak>"


def is_own_ssml(speech: str) -> bool:
    """True when `speech` is SSML as `ssml()` writes it: escaped text and short pauses only."""
    if not (speech.startswith("<speak>") and speech.endswith("</speak>")):
        return False
    body = speech[len("<speak>") : -len("</speak>")].replace(_PAUSE, "")
    if "<" in body or ">" in body or _ILLEGAL.search(body):
        return False
    return "&" not in _OWN_ENTITY.sub("", body)  # every & starts one of the five escapes


def to_plain_text(speech: str) -> str:
    """Turn SSML into clean text: tags removed, entities unescaped, pauses kept as sentence breaks."""
    import html  # only the local doors turn speech into text: not imported at a cold start

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
