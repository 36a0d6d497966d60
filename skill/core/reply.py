"""One turn's answer as the handlers build it, before it becomes a response envelope."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Card:
    """A simple card, and what a screen shows: the title, the answer, where its facts come from
    and the one-line disclaimer (plain text)."""

    title: str
    body: str
    source: str = ""
    disclaimer: str = ""

    @property
    def text(self) -> str:
        """The card's text in the Alexa app: its parts, a blank line between them."""
        return "\n\n".join(part for part in (self.body, self.source, self.disclaimer) if part)


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
