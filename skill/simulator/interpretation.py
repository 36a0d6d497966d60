"""What the language understanding produces and a request envelope carries: an intent and its slots.

The understanding (skill.simulator.understanding), conversation scripts (intents given directly)
and the envelope builder (skill.simulator.envelope) share these types.
"""

from __future__ import annotations

from dataclasses import dataclass

FALLBACK = "AMAZON.FallbackIntent"


@dataclass(frozen=True)
class SlotFill:
    """A filled slot: the words heard and, when they name a value of its type, that value."""

    name: str
    type: str
    value: str | None = None
    resolved_id: str | None = None
    resolved_name: str | None = None


@dataclass(frozen=True)
class Interpretation:
    """An intent with its slots (every slot the intent declares, filled or not) and why it won."""

    intent: str
    slots: tuple[SlotFill, ...] = ()
    why: str = ""  # for the debug log: which rule chose the intent, and its score
