"""Screens: the APL document shown with every answer on a device that reports APL, none elsewhere."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from ask_sdk_core.serialize import DefaultSerializer

from skill.core import datafiles
from skill.core.content import load_content
from skill.core.handlers import TOPIC_INTENT, TOPIC_SLOT, TOPIC_TYPE
from skill.core.screen import DATASOURCE, FIELDS, TOKEN, load_screen
from skill.errors import ContentError
from skill.simulator.envelope import LOCAL_SKILL_ID, Caller
from skill.simulator.interpretation import Interpretation, SlotFill
from skill.simulator.simulator import Simulator
from skill.simulator.transport import LocalTransport

CONTENT = load_content()
RENDER = "Alexa.Presentation.APL.RenderDocument"


def _simulator(screen: bool) -> Simulator:
    return Simulator(LocalTransport(), caller=Caller(LOCAL_SKILL_ID, screen=screen))


def _directives(response: Any) -> list[dict[str, Any]]:
    return list(response["response"].get("directives") or [])


@pytest.mark.parametrize("topic", sorted(CONTENT.topics))
def test_every_topic_is_shown_on_a_screen_as_its_card_says(topic: str) -> None:
    simulator = _simulator(screen=True)
    turn = simulator.send_intent(_asking(topic))
    [directive] = _directives(turn.response)
    assert (directive["type"], directive["token"]) == (RENDER, TOKEN)
    shown = directive["datasources"][DATASOURCE]
    expected = CONTENT.topics[topic]
    assert turn.card is not None and shown["title"] == expected.title == turn.card.title
    assert shown["body"] == expected.short.text
    assert shown["source"] == CONTENT.source_line(expected.short)
    assert shown["disclaimer"] == CONTENT.say("card_disclaimer")
    assert directive["document"]["type"] == "APL"


@pytest.mark.parametrize("topic", sorted(CONTENT.topics))
def test_a_device_without_a_screen_gets_the_card_alone(topic: str) -> None:
    turn = _simulator(screen=False).send_intent(_asking(topic))
    assert turn.card is not None and _directives(turn.response) == []


def test_the_red_flag_answer_is_shown_too() -> None:
    turn = _simulator(screen=True).say("could my leg twitching be a sign of ALS")
    [directive] = _directives(turn.response)
    assert directive["datasources"][DATASOURCE]["title"] == CONTENT.say("red_flag_title")
    assert directive["datasources"][DATASOURCE]["body"] == CONTENT.say("red_flag")


@pytest.mark.parametrize("say", ["help", "stop"])
def test_a_reply_without_a_card_shows_nothing(say: str) -> None:
    simulator = _simulator(screen=True)
    simulator.launch()
    assert _directives(simulator.say(say).response) == []
    assert _directives(_simulator(screen=True).launch().response) == []


def test_the_longest_screen_response_stays_within_alexas_limit() -> None:
    simulator = _simulator(screen=True)
    for topic in CONTENT.topics:
        simulator.reset()
        simulator.send_intent(_asking(topic))
        turn = simulator.say("tell me more")
        assert _directives(turn.response), topic
        assert len(json.dumps(turn.response).encode("utf-8")) < 24 * 1024, topic


def test_the_directive_serialises_with_the_sdk() -> None:
    from skill.core.reply import Card

    card = Card("Title", "Body.", "Source: here.", "General information.")
    data: Any = DefaultSerializer().serialize(load_screen().directive(card))
    assert data["type"] == RENDER and set(data["datasources"][DATASOURCE]) == set(FIELDS)


@pytest.fixture
def screen_file(tmp_path: Path) -> Path:
    path = tmp_path / "screen.json"
    shutil.copy(datafiles.content_dir() / "screen.json", path)
    return path


def _edit(path: Path, change: Any) -> None:
    document = json.loads(path.read_text(encoding="utf-8"))
    change(document)
    path.write_text(json.dumps(document), encoding="utf-8")


@pytest.mark.parametrize(("change", "item"), [
    (lambda d: d.update(type="HTML"), "type"),
    (lambda d: d.pop("version"), "version"),
    (lambda d: d.pop("mainTemplate"), "mainTemplate"),
    (lambda d: d["mainTemplate"].update(parameters=["data"]), "mainTemplate.parameters"),
    (lambda d: d["mainTemplate"].update(items=[]), "mainTemplate.items"),
    (lambda d: d["mainTemplate"]["items"][0]["item"]["items"].append(
        {"type": "Text", "text": "${payload.answer.colour}"}), "${payload.answer.colour}"),
    (lambda d: d["mainTemplate"]["items"][0]["item"]["items"].pop(0), "${payload.answer.title}"),
])  # fmt: skip
def test_a_bad_screen_document_stops_start_up_naming_the_item(screen_file: Path, change: Any,
                                                              item: str) -> None:
    _edit(screen_file, change)
    with pytest.raises(ContentError) as caught:
        load_screen(screen_file)
    message = str(caught.value)
    assert "screen.json" in message and item in message and "Fix:" in message


def test_a_screen_file_that_is_not_json_is_refused(screen_file: Path) -> None:
    screen_file.write_text("{not json", encoding="utf-8")
    with pytest.raises(ContentError, match="not valid JSON"):
        load_screen(screen_file)


def _asking(topic: str) -> Interpretation:
    """TopicIntent for `topic`, resolved to its id as Alexa's entity resolution does."""
    return Interpretation(TOPIC_INTENT, (SlotFill(TOPIC_SLOT, TOPIC_TYPE, topic, topic, topic),))
