"""The text simulator: turns through the skill in process and over HTTP, sessions kept and ended."""

from __future__ import annotations

import json
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from skill.errors import InputError, TransportError
from skill.simulator.simulator import HttpTransport, LocalTransport, Simulator
from tests.support.loopback import free_port, in_thread

JSON_KEYS = {"utterance", "intent", "slots", "topic", "speech", "ssml", "reprompt", "card",
             "end_session", "request", "response"}  # fmt: skip


@pytest.fixture
def sim(skill: Any) -> Simulator:
    return Simulator(LocalTransport(skill))


def test_a_turn_as_json_has_exactly_the_documented_keys(sim: Simulator) -> None:
    data = sim.say("why do my legs twitch at night").to_json()
    assert set(data) == JSON_KEYS
    assert data["intent"] == "TopicIntent" and data["slots"] == {"topic": "night"}
    assert data["topic"] == "night"
    assert data["ssml"].startswith("<speak>") and "<" not in data["speech"]
    assert data["card"]["title"] == "Twitching at night" and data["card"]["text"]
    assert data["reprompt"] and data["end_session"] is False
    assert data["request"]["request"]["type"] == "IntentRequest"
    assert data["response"]["sessionAttributes"]["answered"] == "night"
    json.dumps(data)  # all of it is JSON


def test_the_session_and_its_attributes_carry_over_between_turns(sim: Simulator) -> None:
    first = sim.say("can coffee make my legs twitch")
    second = sim.say("yes")
    assert first.request["session"]["new"] is True
    assert second.request["session"]["new"] is False
    assert second.request["session"]["sessionId"] == first.request["session"]["sessionId"]
    assert second.request["session"]["attributes"]["offer"] == first.attributes["offer"]
    assert second.topic == first.attributes["offer"]


def test_after_the_skill_ends_the_session_the_next_words_open_a_new_one(sim: Simulator) -> None:
    first = sim.launch()
    goodbye = sim.say("stop")
    assert goodbye.end_session and not sim.in_session
    again = sim.say("what is myoclonus")
    assert again.request["session"]["new"] is True and again.end_session is False
    assert again.request["session"]["sessionId"] != first.request["session"]["sessionId"]


def test_ending_a_session_sends_session_ended_and_nothing_when_none_is_open(sim: Simulator) -> None:
    sim.say("why do my toes twitch")
    turn = sim.end()
    assert turn is not None and turn.request_type == "SessionEndedRequest"
    assert turn.request["request"]["reason"] == "USER_INITIATED" and turn.end_session
    assert sim.end() is None


def test_words_nobody_could_say_never_reach_the_skill(sim: Simulator) -> None:
    with pytest.raises(InputError):
        sim.say("\x1b[31m")
    assert not sim.in_session


def test_over_http_the_same_envelopes_get_the_same_answers(skill: Any, endpoint: str) -> None:
    local = Simulator(LocalTransport(skill))
    remote = Simulator(HttpTransport(endpoint), caller=local.caller)
    for said in ("why do my legs twitch at night", "yes", "tell me more", "stop"):
        here, there = local.say(said), remote.say(said)
        assert (there.intent, there.topic, there.speech, there.end_session) == (
            here.intent, here.topic, here.speech, here.end_session,
        )  # fmt: skip


def test_an_endpoint_that_is_not_running_is_named_with_what_to_do() -> None:
    transport = HttpTransport(f"http://127.0.0.1:{free_port()}/")
    with pytest.raises(TransportError, match="cannot reach .* start the endpoint"):
        Simulator(transport).say("help")


def test_a_url_that_is_not_http_is_refused() -> None:
    with pytest.raises(TransportError, match="give a full URL"):
        HttpTransport("localhost:8000")


class _Broken(BaseHTTPRequestHandler):
    answers: tuple[int, bytes] = (500, b"boom")

    def do_POST(self) -> None:  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        status, body = self.answers
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


@pytest.fixture
def broken() -> Iterator[type[_Broken]]:
    handler = type("Handler", (_Broken,), {})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    handler.url = f"http://127.0.0.1:{server.server_address[1]}/"  # type: ignore[attr-defined]
    with in_thread(server):
        yield handler


@pytest.mark.parametrize(
    ("answers", "says"),
    [
        ((500, b"boom"), "answered HTTP 500"),
        ((400, b"bad signature"), "HTTP 400 .*bad signature.*verification off"),
        ((200, b"hello"), "did not answer with an Alexa response envelope"),
    ],
)
def test_an_endpoint_that_answers_badly_is_reported(
    broken: type[_Broken], answers: tuple[int, bytes], says: str
) -> None:
    broken.answers = answers
    with pytest.raises(TransportError, match=says):
        Simulator(HttpTransport(broken.url)).say("help")  # type: ignore[attr-defined]
