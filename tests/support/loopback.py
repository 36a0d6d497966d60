"""Loopback servers for tests: a WSGI app on a thread, a certificate host, an HTTP client."""

from __future__ import annotations

import http.client
import http.server
import json
import os
import signal
import socket
import socketserver
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from werkzeug.serving import make_server


@dataclass(frozen=True)
class Reply:
    """An HTTP response: status, headers (lower-case names) and body."""

    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def call(
    port: int,
    method: str = "POST",
    path: str = "/",
    body: bytes | None = None,
    headers: Mapping[str, str] | None = None,
    timeout: float = 10.0,
) -> Reply:
    """One HTTP request to 127.0.0.1:`port` on a fresh connection."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=dict(headers or {}))
        response = conn.getresponse()
        data = response.read()
        return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, data)
    finally:
        conn.close()


@contextmanager
def in_thread(server: socketserver.BaseServer) -> Iterator[None]:
    """Run `server` on a daemon thread while in the block; shut it down and close it at its end."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@contextmanager
def serving(app: Any) -> Iterator[int]:
    """Serve WSGI `app` on 127.0.0.1 (a free port, threaded) while in the block; yields the port."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    with in_thread(server):
        yield server.server_port


class FileHandler(http.server.BaseHTTPRequestHandler):
    """GET of a path in `server.files` (bytes, or a callable producing them); 404 otherwise."""

    server: FileServer

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self.server.hits.append(self.path)
        found = self.server.files.get(self.path)
        if found is None:
            self.send_error(404)
            return
        if callable(found):
            found(self)
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/x-pem-file")
        self.send_header("Content-Length", str(len(found)))
        self.end_headers()
        self.wfile.write(found)

    def log_message(self, format: str, *args: object) -> None:
        pass


class FileServer(http.server.ThreadingHTTPServer):
    """A loopback HTTP server of in-memory files, counting the paths fetched."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), FileHandler)
        self.files: dict[str, bytes | Callable[[FileHandler], None]] = {}
        self.hits: list[str] = []

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_port}"


@contextmanager
def file_server() -> Iterator[FileServer]:
    server = FileServer()
    with in_thread(server):
        yield server


def slow(seconds: float) -> Callable[[FileHandler], None]:
    """A file that answers only after `seconds` (to trip a download timeout)."""

    def answer(handler: FileHandler) -> None:
        time.sleep(seconds)
        try:
            handler.send_response(200)
            handler.end_headers()
            handler.wfile.write(b"late")
        except OSError:
            pass

    return answer


def free_port() -> int:
    """A TCP port free on 127.0.0.1 just now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(port: int, process: subprocess.Popen[Any], seconds: float = 20.0) -> None:
    """Wait until GET /health answers on `port`; fail early if `process` exits."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            if call(port, "GET", "/health", timeout=1.0).status == 200:
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"no server on port {port} after {seconds} s")


class Running:
    """A server process whose output goes to a temporary file."""

    def __init__(self, argv: list[str], env: Mapping[str, str] | None) -> None:
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(argv, stdout=self.log, stderr=subprocess.STDOUT,
                                        env={**os.environ, **(env or {})})

    def stop(self) -> str:
        """SIGTERM (then SIGKILL after 15 s) and wait; returns everything it printed."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.log.seek(0)
        return self.log.read().decode("utf-8", "replace")


@contextmanager
def running(argv: list[str], port: int, env: Mapping[str, str] | None = None) -> Iterator[Running]:
    """Run server command `argv` (serving on `port`) while in the block, stopped at its end."""
    server = Running(argv, env)
    try:
        wait_until_up(port, server.process)
        yield server
    finally:
        server.stop()
        server.log.close()
