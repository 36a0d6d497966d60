"""One turn's answer as the handlers build it, before it becomes a response envelope."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple


class Card(NamedTuple):
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

    def spelled(self, spell: Callable[[str], str]) -> Card:
        """The card with every text passed through `spell` (a locale's spellings)."""
        return Card(spell(self.title), spell(self.body), spell(self.source), spell(self.disclaimer))


class Reply(NamedTuple):
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

    def spelled(self, spell: Callable[[str], str]) -> Reply:
        """The reply with everything said or shown passed through `spell` (a locale's spellings)."""
        return self._replace(speech=spell(self.speech),
                             reprompt=spell(self.reprompt) if self.reprompt else None,
                             card=self.card.spelled(spell) if self.card else None)
