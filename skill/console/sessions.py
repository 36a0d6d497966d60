"""The console's conversations: a Simulator per browser tab, kept on the server, bounded in count and age."""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field

from skill.simulator.envelope import LOCALE
from skill.simulator.simulator import Simulator, Turn

MAX_SESSIONS = 100
MAX_AGE = 30 * 60.0  # seconds a tab's conversation is kept after its last use
MAX_TURNS = 50  # turns a conversation remembers for the play button


@dataclass
class Conversation:
    """One tab's conversation: the simulator (its Alexa session) and its last turns' speech."""

    id: str
    simulator: Simulator
    used: float
    speech: deque[str] = field(default_factory=lambda: deque(maxlen=MAX_TURNS))
    turns: int = 0  # turns so far; turn n's speech is speech[n - (turns - len(speech)) - 1]

    def record(self, turn: Turn) -> int:
        """Keep the turn's speech for the play button; return the turn's number (from 1)."""
        self.speech.append(turn.speech)
        self.turns += 1
        return self.turns

    def speech_of(self, number: int) -> str | None:
        """The speech of turn `number`, or None when it is unknown or forgotten."""
        index = number - (self.turns - len(self.speech)) - 1
        return self.speech[index] if 0 <= index < len(self.speech) else None


class Conversations:
    """The tabs' conversations by id: the least recently used one goes past `limit`, and any one
    unused for `max_age` seconds. Ids are random tokens made here, never chosen by the page.
    `make` gives a new conversation's simulator, asking in the locale it is given."""

    def __init__(self, make: Callable[[str], Simulator], limit: int = MAX_SESSIONS,
                 max_age: float = MAX_AGE, clock: Callable[[], float] = time.monotonic) -> None:
        self._make, self.limit, self.max_age, self._clock = make, limit, max_age, clock
        self._items: OrderedDict[str, Conversation] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        with self._lock:
            self._expire(self._clock())
            return len(self._items)

    def find(self, key: str | None) -> Conversation | None:
        """The conversation `key` names, touched; None when it is unknown or expired."""
        now = self._clock()
        with self._lock:
            self._expire(now)
            found = self._items.get(key) if key else None
            if found is not None:
                found.used = now
                self._items.move_to_end(found.id)
            return found

    def get(self, key: str | None, locale: str = LOCALE) -> tuple[Conversation, bool]:
        """The conversation `key` names, or a new one in `locale` (and True) when it is unknown or
        expired."""
        found = self.find(key)
        return (found, False) if found is not None else (self.new(locale), True)

    def new(self, locale: str = LOCALE) -> Conversation:
        """A new conversation in `locale`, the oldest one dropped when there are `limit` already."""
        made = Conversation(secrets.token_urlsafe(16), self._make(locale), self._clock())
        with self._lock:
            self._items[made.id] = made
            while len(self._items) > self.limit:
                self._items.popitem(last=False)
        return made

    def drop(self, key: str) -> Conversation | None:
        with self._lock:
            return self._items.pop(key, None)

    def _expire(self, now: float) -> None:
        while self._items:
            oldest = next(iter(self._items.values()))
            if now - oldest.used <= self.max_age:
                return
            self._items.popitem(last=False)
