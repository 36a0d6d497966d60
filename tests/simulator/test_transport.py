"""Transports: the skill in this process and a running endpoint over HTTP, and how an endpoint fails."""

from __future__ import annotations

import socketserver
import subprocess
import sys
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from ask_sdk_core.skill import CustomSkill

from skill.errors import TransportError
from skill.simulator.simulator import Simulator
from skill.simulator.transport import MAX_REPLY, HttpTransport, LocalTransport
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


class _Raw(socketserver.StreamRequestHandler):
    """Reads one HTTP request, then sends the server's `reply` bytes as they are and closes."""

    server: _RawServer

    def handle(self) -> None:
        length = 0
        while (line := self.rfile.readline(65537)) not in (b"\r\n", b"\n", b""):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        self.rfile.read(length)
        self.wfile.write(self.server.reply)


class _RawServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, reply: bytes) -> None:
        super().__init__(("127.0.0.1", 0), _Raw)
        self.reply = reply


def _http(body: bytes, head: bytes = b"", length: int | None = None) -> bytes:
    size = len(body) if length is None else length
    return (b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n" + head
            + b"Content-Length: " + str(size).encode() + b"\r\n\r\n" + body)


MISBEHAVING = {
    "not HTTP": (b"SSH-2.0-OpenSSH_9.2\r\n", "gave no readable HTTP reply (the reply is not HTTP)"),
    "nothing": (b"", "gave no readable HTTP reply (it closed the connection without a reply)"),
    "cut short": (_http(b'{"version": "1.0"', length=400),
                  "gave no readable HTTP reply (the reply was cut short)"),
    "huge header": (_http(b"{}", head=b"X-Big: " + b"a" * 70_000 + b"\r\n"),
                    "gave no readable HTTP reply (the reply has a header line that is too long)"),
    "not UTF-8": (_http(b'{"response": "\xff\xfe"}'), "did not answer with an Alexa response envelope"),
    "not an envelope": (_http(b'{"hello":1}'), "did not answer with an Alexa response envelope"),
    "JSON list": (_http(b"[1, 2]"), "did not answer with an Alexa response envelope"),
    "too big": (_http(b" " * (MAX_REPLY + 10)), f"answered with over {MAX_REPLY:,} bytes"),
}


@pytest.mark.parametrize("case", list(MISBEHAVING))
def test_a_misbehaving_endpoint_is_one_line_and_exit_1(tmp_path, case):
    reply, message = MISBEHAVING[case]
    server = _RawServer(reply)
    with in_thread(server):
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        done = subprocess.run([sys.executable, "-m", "skill", "ask", "--url", url, "help"],
                              capture_output=True, text=True, timeout=30, cwd=tmp_path)
    assert done.returncode == 1 and done.stdout == "", done.stdout
    assert done.stderr.startswith(f"legtwitch: {url} {message}"), done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr


@pytest.mark.parametrize(("url", "problem"), [
    ("http://[::1", "is not a valid URL (Invalid IPv6 URL)"),
    ("http://127.0.0.1:8080/a b", "contains a space or control character"),
    ("http://127.0.0.1:99999/", "is not a valid URL (Port out of range 0-65535)"),
    ("http:///path", "is not an http:// or https:// URL with a host"),
])  # fmt: skip
def test_a_malformed_url_is_refused_before_sending(tmp_path, url, problem):
    done = subprocess.run([sys.executable, "-m", "skill", "ask", "--url", url, "help"],
                          capture_output=True, text=True, timeout=30, cwd=tmp_path)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == (f"legtwitch: --url {url!r} {problem}: give a full URL, e.g. "
                           "http://127.0.0.1:8080/\n")
