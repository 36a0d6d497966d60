"""The console's conversations: one per tab, bounded in count and in age, ids never chosen by a page."""

from __future__ import annotations

from skill.console.sessions import Conversations
from skill.simulator.simulator import Simulator
from skill.simulator.transport import LocalTransport


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def conversations(skill, limit=3, max_age=60.0, clock=None) -> Conversations:
    return Conversations(lambda locale: Simulator(LocalTransport(skill)), limit=limit, max_age=max_age,
                         clock=clock or Clock())


def test_an_unknown_id_gets_a_new_conversation_with_a_fresh_random_id(skill):
    tabs = conversations(skill)
    first, new = tabs.get("chosen-by-the-page")
    assert new and first.id != "chosen-by-the-page" and len(first.id) >= 16
    again, new = tabs.get(first.id)
    assert again is first and not new


def test_the_least_recently_used_goes_past_the_limit(skill):
    tabs = conversations(skill, limit=3)
    a, b, c = (tabs.new() for _ in range(3))
    assert tabs.find(a.id) is a  # a is now the most recently used
    d = tabs.new()
    assert tabs.find(b.id) is None
    assert [tabs.find(x.id) for x in (a, c, d)] == [a, c, d]
    assert len(tabs) == 3


def test_a_conversation_unused_too_long_is_forgotten(skill):
    clock = Clock()
    tabs = conversations(skill, max_age=60.0, clock=clock)
    old = tabs.new()
    clock.now += 30
    kept = tabs.new()
    clock.now += 45  # old: 75 s unused, kept: 45 s
    assert tabs.find(old.id) is None
    assert tabs.find(kept.id) is kept
    clock.now += 61
    assert len(tabs) == 0


def test_each_turns_speech_is_kept_for_the_play_button_the_oldest_forgotten(skill, monkeypatch):
    from skill.console import sessions

    monkeypatch.setattr(sessions, "MAX_TURNS", 2)
    conversation = conversations(skill).new()
    numbers = [conversation.record(conversation.simulator.say(text))
               for text in ("why do my legs twitch at night", "yes", "tell me more")]
    assert numbers == [1, 2, 3]
    assert conversation.speech_of(1) is None
    assert "falling asleep" in (conversation.speech_of(2) or "").lower()
    assert conversation.speech_of(3) and conversation.speech_of(3) != conversation.speech_of(2)
    assert conversation.speech_of(4) is None and conversation.speech_of(0) is None
