"""One turn's answer as the handlers build it, before it becomes a response envelope."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Card:
    """A simple card: title and plain text."""

    title: str
    text: str


@dataclass(frozen=True)
class Reply:
    """One turn's answer, before it becomes a response envelope.

    speech: SSML; reprompt: SSML said if the user is silent (None ends the session);
    card: shown in the Alexa app; topic: the topic answered in this turn; offer: the topic a
    "yes" would accept next.
    """

    speech: str
    reprompt: str | None
    card: Card | None = None
    topic: str | None = None
    offer: str | None = None
