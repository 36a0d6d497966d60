"""Transports: the skill in this process and a running endpoint over HTTP, and how an endpoint fails."""

from __future__ import annotations

from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from ask_sdk_core.skill import CustomSkill

from skill.errors import TransportError
from skill.simulator.simulator import Simulator
from skill.simulator.transport import HttpTransport, LocalTransport
from tests.support.loopback import free_port, in_thread


def test_over_http_the_same_envelopes_get_the_same_answers(skill: CustomSkill, endpoint: str) -> None:
    local = Simulator(LocalTransport(skill))  # the same Skill the endpoint fixture serves
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


def test_the_local_transport_defaults_to_the_process_wide_skill() -> None:
    from skill.core.assembly import get_skill

    assert LocalTransport().skill is get_skill()
