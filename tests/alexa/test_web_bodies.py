"""Request bodies that are malformed or never arrive, at gunicorn (`legtwitch serve`'s server) and
at the development server: each is a short JSON 4xx, never a 500, and never a hang."""

from __future__ import annotations

import socket
import sys
import time
from collections.abc import Iterator

import pytest

from tests.support.loopback import FileServer, free_port, running

HEAD = (b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n")

#: Chunked bodies gunicorn's reader refuses mid-body (gunicorn.http.errors), as the app reads them.
MALFORMED_CHUNKED = {
    "chunk size zz": b"zz\r\n{}\r\n0\r\n\r\n",
    "chunk size -1": b"-1\r\n{}\r\n0\r\n\r\n",
    "chunk size 0x2": b"0x2\r\n{}\r\n0\r\n\r\n",
    "chunk extension over 8 KB": b"2;" + b"e" * 40_000 + b"\r\n{}\r\n0\r\n\r\n",
    "data not followed by CRLF": b"2\r\n{}XX0\r\n\r\n",
    "trailer over 256 KB": b"2\r\n{}\r\n0\r\nX-T: " + b"t" * 300_000 + b"\r\n\r\n",
}


def exchange(port: int, data: bytes, chunk: int = 4096) -> bytes:
    """Send `data` on a fresh connection (a piece at a time, so no single read holds it all)
    and read the whole reply until the server closes the connection."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        try:
            for start in range(0, len(data), chunk):
                sock.sendall(data[start:start + chunk])
            sock.shutdown(socket.SHUT_WR)
        except OSError:  # the server answered and closed before taking it all
            pass
        reply = b""
        try:
            while part := sock.recv(65536):
                reply += part
        except ConnectionResetError:
            pass
    return reply


def status(reply: bytes) -> int:
    return int(reply.split(b" ", 2)[1])


def _serving(cert_host: FileServer, *options: str) -> Iterator[int]:
    """The endpoint served by tests.support.webapps with one worker and `options`, on a free
    port; when it stops, its output holds no traceback."""
    port = free_port()
    argv = [sys.executable, "-m", "tests.support.webapps", "--port", str(port), "--workers", "1",
            "--quiet", *options]
    with running(argv, port, {"LEGTWITCH_TEST_CERT_BASE": cert_host.base}) as server:
        yield port
        output = server.stop()
    assert "Traceback" not in output, output[-3000:]


@pytest.fixture(scope="module")
def gunicorn_port(cert_host: FileServer) -> Iterator[int]:
    """The endpoint under gunicorn's gevent worker, as `legtwitch serve` runs it (one worker)."""
    yield from _serving(cert_host)


@pytest.mark.parametrize("case", MALFORMED_CHUNKED, ids=list(MALFORMED_CHUNKED))
def test_a_malformed_chunked_body_at_gunicorn_is_a_400(gunicorn_port: int, case: str) -> None:
    reply = exchange(gunicorn_port, HEAD + MALFORMED_CHUNKED[case])
    assert status(reply) == 400, reply[:300]
    assert reply.endswith(b'{"error":"body could not be read"}\n'), reply[-300:]


#: The timeout the stall tests give the servers (their `timeout` option), and the slack allowed.
STALL_TIMEOUT = 2
SLACK = 3.0

PLAIN_HEAD = b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
#: Requests whose body never arrives whole: the client sends this and then nothing more.
STALLED = {
    "Content-Length 100, then one byte": PLAIN_HEAD + b"Content-Length: 100\r\n\r\n{",
    "a chunk of size ffffff, then one byte": PLAIN_HEAD + b"Transfer-Encoding: chunked\r\n\r\nffffff\r\n{",
    "chunks ended by LF only": PLAIN_HEAD + b"Transfer-Encoding: chunked\r\n\r\n2\n{}\n",
}


@pytest.fixture(scope="module", params=["gunicorn", "dev"])
def stall_port(request: pytest.FixtureRequest, cert_host: FileServer) -> Iterator[int]:
    """The endpoint under gunicorn (gevent worker) and under the dev server, each with a timeout
    of STALL_TIMEOUT seconds (ServeOptions.timeout, `legtwitch serve`'s 30 s by default)."""
    dev = ("--dev",) if request.param == "dev" else ()
    yield from _serving(cert_host, "--timeout", str(STALL_TIMEOUT), *dev)


@pytest.mark.parametrize("case", STALLED, ids=list(STALLED))
def test_a_stalled_body_is_answered_and_closed_within_the_timeout(stall_port: int, case: str) -> None:
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", stall_port), timeout=STALL_TIMEOUT + SLACK) as sock:
        sock.sendall(STALLED[case])  # and then nothing: the write side stays open
        reply = b""
        try:
            while part := sock.recv(65536):  # until the server closes the connection
                reply += part
        except TimeoutError:
            pytest.fail(f"no reply and no close within {STALL_TIMEOUT + SLACK} s: {reply[:200]!r}")
    assert time.monotonic() - started < STALL_TIMEOUT + SLACK
    assert status(reply) == 408, reply[:300]
    assert reply.endswith(b'{"error":"request body not received in time"}\n'), reply[-300:]
