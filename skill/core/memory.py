"""What the skill remembers between turns.

The session attributes are untrusted input (any client can send any JSON), so they are read
into a typed `Memory` that drops whatever is not valid, and written back from it.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any, NamedTuple

from skill.core.ssml import is_own_ssml


class Memory(NamedTuple):
    """Session state: the last topic answered, the pending offer, and the last thing said.

    last_topic: topic id for "tell me more"; offer: topic id a "yes" accepts;
    last_speech / last_reprompt: SSML for "repeat".
    """

    last_topic: str | None = None
    offer: str | None = None
    last_speech: str | None = None
    last_reprompt: str | None = None

    @classmethod
    def from_attributes(cls, attributes: Any, topic_ids: Collection[str]) -> Memory:
        """Read session attributes, keeping only well-formed values (unknown topics dropped)."""
        if not isinstance(attributes, Mapping):
            return cls()

        def topic(key: str) -> str | None:
            value = attributes.get(key)
            return value if isinstance(value, str) and value in topic_ids else None

        def text(key: str) -> str | None:
            # Only speech this skill could have written is said again: no client-made SSML.
            value = attributes.get(key)
            return value if isinstance(value, str) and is_own_ssml(value) else None

        return cls(topic("last_topic"), topic("offer"), text("last_speech"), text("last_reprompt"))

    def to_attributes(self) -> dict[str, object]:
        """Session attributes for the response."""
        return {
            "last_topic": self.last_topic,
            "offer": self.offer,
            "last_speech": self.last_speech,
            "last_reprompt": self.last_reprompt,
        }
