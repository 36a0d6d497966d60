"""Server: runs the web app, under gunicorn in production or Flask's own server with --dev."""

from __future__ import annotations

import ipaddress
import logging
import os
import ssl
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from skill.errors import ConfigError

logger = logging.getLogger(__name__)

DEV_HOST = "127.0.0.1"
DEFAULT_PORT = 8080


def default_workers() -> int:
    """gunicorn's advice, 2 x cores + 1, capped at 8 (each worker holds its own skill)."""
    return min(2 * (os.cpu_count() or 1) + 1, 8)


@dataclass(frozen=True)
class ServeOptions:
    """How to serve: address, dev server or gunicorn, workers, and TLS files for gunicorn.

    certfile/keyfile: when both are given gunicorn speaks HTTPS itself (Alexa calls only https
    on port 443); otherwise put a TLS-terminating proxy in front.
    """

    host: str | None = None
    port: int = DEFAULT_PORT
    dev: bool = False
    workers: int | None = None
    certfile: str | None = None
    keyfile: str | None = None
    timeout: int = 30

    def __post_init__(self) -> None:
        if not 0 < self.port < 65536:
            raise ConfigError("--port", self.port, "give a port from 1 to 65535")
        if self.workers is not None and not 1 <= self.workers <= 64:
            raise ConfigError("--workers", self.workers, "give 1 to 64 workers")
        if (self.certfile is None) != (self.keyfile is None):
            raise ConfigError("--certfile/--keyfile", self.certfile or self.keyfile,
                              "give both files or neither")
        if self.dev and self.host not in (None, DEV_HOST, "localhost", "::1"):
            raise ConfigError("--host", self.host, "--dev serves on 127.0.0.1 only; drop --host")
        if self.certfile is not None and self.keyfile is not None:
            check_tls_files(self.certfile, self.keyfile)

    @property
    def bind_host(self) -> str:
        return DEV_HOST if self.dev else (self.host or "0.0.0.0")

    @property
    def bind(self) -> str:
        host = self.bind_host
        try:
            if ipaddress.ip_address(host).version == 6:
                host = f"[{host}]"
        except ValueError:
            pass
        return f"{host}:{self.port}"


def check_tls_files(certfile: str, keyfile: str) -> None:
    """Load the certificate and key as the server will, before it listens: a missing file, a bad
    one or a key that does not match the certificate is a ConfigError (exit 2), not a server that
    says it is listening while every handshake fails."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    try:
        context.load_cert_chain(certfile, keyfile)
    except FileNotFoundError as exc:
        raise ConfigError("--certfile/--keyfile", exc.filename, "no such file: give the PEM files") from exc
    except (ssl.SSLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", None) or getattr(exc, "strerror", None) or str(exc)
        raise ConfigError("--certfile/--keyfile", f"{certfile}, {keyfile}",
                          f"cannot use them ({reason}): give a PEM certificate and its own key") from exc


def gunicorn_settings(options: ServeOptions) -> dict[str, Any]:
    """The gunicorn settings for `options`."""
    settings: dict[str, Any] = {
        "bind": [options.bind],
        "workers": options.workers or default_workers(),
        # Each connection a greenlet: a client that sends its request slowly (or not at all)
        # waits on its own, never holding a worker others need; `timeout` ends idle ones.
        "worker_class": "gevent",
        "worker_connections": 1000,
        "keepalive": 5,
        "timeout": options.timeout,
        "graceful_timeout": 10,
        "accesslog": "-",
        "errorlog": "-",
        "limit_request_line": 4094,
        "limit_request_fields": 50,
        "limit_request_field_size": 8190,
        # gunicorn >= 25 opens a control socket in $HOME by default; one per host would clash.
        "control_socket_disable": True,
    }
    if options.certfile:
        settings.update(certfile=options.certfile, keyfile=options.keyfile)
    return settings


#: What a request body read past its deadline raises; skill.alexa.app answers it with a 408.
BODY_TIMEOUT = "request body not received in time"


class DeadlineInput:
    """A WSGI input stream whose reads must all end by `deadline` (time.monotonic()), else
    TimeoutError: gevent's Timeout interrupts a read waiting on a client that stalls or drips.

    gunicorn bounds the wait for a request's headers (`keepalive`) but not for its body: a
    Content-Length never sent, or a chunk that never ends, would hold the connection forever.
    """

    def __init__(self, stream: Any, deadline: float) -> None:
        self.stream = stream
        self.deadline = deadline

    def _bounded(self, read: Callable[..., Any], *args: Any) -> Any:
        import gevent  # type: ignore[import-untyped]  # no stubs installed

        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError(BODY_TIMEOUT)
        with gevent.Timeout(remaining, TimeoutError(BODY_TIMEOUT)):
            return read(*args)

    def read(self, size: int | None = None) -> bytes:
        return bytes(self._bounded(self.stream.read, size))

    def readline(self, size: int | None = None) -> bytes:
        return bytes(self._bounded(self.stream.readline, size))

    def readlines(self, hint: int | None = None) -> list[bytes]:
        return list(self._bounded(self.stream.readlines, hint))

    def __iter__(self) -> Iterator[bytes]:
        while line := self.readline():
            yield line


def body_deadline(app: Any, seconds: float) -> Callable[[dict[str, Any], Any], Iterable[bytes]]:
    """WSGI `app` whose request bodies must arrive within `seconds` of their headers."""

    def bounded(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        environ["wsgi.input"] = DeadlineInput(environ["wsgi.input"], time.monotonic() + seconds)
        return app(environ, start_response)

    return bounded


def run_gunicorn(app: Any, settings: Mapping[str, Any]) -> None:
    """Serve WSGI `app` (built in this process, then forked to the workers) until stopped; under
    the gevent worker each request body must arrive within `timeout` seconds."""
    from gunicorn.app.base import BaseApplication

    served = app
    if settings.get("worker_class") == "gevent":
        served = body_deadline(app, float(settings["timeout"]))

    class Application(BaseApplication):
        def load_config(self) -> None:
            for key, value in settings.items():
                if key in self.cfg.settings or key != "control_socket_disable":
                    self.cfg.set(key, value)

        def load(self) -> Any:
            return served

    Application().run()


def run_dev_server(app: Any, options: ServeOptions) -> None:
    """Serve WSGI `app` on werkzeug's threaded server until Ctrl-C: every read of a connection
    (request line, headers, body) waits at most `options.timeout` seconds."""
    from werkzeug.serving import WSGIRequestHandler, make_server

    class Handler(WSGIRequestHandler):
        timeout = options.timeout  # socketserver sets it on each connection's socket

    server = make_server(options.bind_host, options.port, app, threaded=True, request_handler=Handler)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def serve(
    options: ServeOptions,
    create: Callable[[Mapping[str, Any] | None], Any] | None = None,
    config: Mapping[str, Any] | None = None,
) -> int:
    """Build the app (settings from the environment; config errors fail here) and serve it."""
    if create is None:
        from skill.alexa.app import create_app

        create = create_app
    app = create({**(config or {}), "LEGTWITCH_DEV": options.dev})
    if options.dev:
        logger.warning("development server on http://%s (Flask's own; not for production)",
                       options.bind)
        run_dev_server(app, options)
        return 0
    run_gunicorn(app, gunicorn_settings(options))
    return 0
