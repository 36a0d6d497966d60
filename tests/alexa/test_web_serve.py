"""`legtwitch serve` and gunicorn on loopback: production and dev modes, a bounded load test."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.support import certauthority
from tests.support.alexarequest import JSON, TEST_SKILL_ID, asking, envelope, signed_headers
from tests.support.loopback import FileServer, call, free_port, running

LOAD_REQUESTS = 1000
LOAD_SECONDS = 60.0


def test_serve_runs_gunicorn_with_verification_on() -> None:
    port = free_port()
    argv = [sys.executable, "-m", "skill", "serve", "--host", "127.0.0.1", "--port", str(port),
            "--workers", "2"]
    with running(argv, port, {"LEGTWITCH_SKILL_ID": ""}) as server:
        reply = call(port, body=envelope(), headers=JSON)
        assert reply.status == 400
        assert reply.json() == {"error": "missing SignatureCertChainUrl header"}
        output = server.stop()
    assert server.process.returncode == 0
    assert "gunicorn" in output and "Booting worker" in output
    assert "LEGTWITCH_SKILL_ID is not set" in output


def test_serve_dev_may_switch_verification_off_and_says_so() -> None:
    port = free_port()
    argv = [sys.executable, "-m", "skill", "serve", "--dev", "--port", str(port)]
    with running(argv, port, {"LEGTWITCH_VERIFY": "false"}) as server:
        assert call(port, body=envelope(), headers=JSON).status == 200
        output = server.stop()
    assert "verification is OFF" in output


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["--dev", "--host", "0.0.0.0"], {}, "--dev serves on 127.0.0.1 only"),
        ([], {"LEGTWITCH_VERIFY": "false"}, "allowed only with `legtwitch serve --dev`"),
        (["--dev"], {"LEGTWITCH_VERIFY": "maybe"}, "use true or false"),
        (["--dev"], {"LEGTWITCH_MAX_BODY": "lots"}, "LEGTWITCH_MAX_BODY"),
        (["--dev"], {"LEGTWITCH_LOG_LEVEL": "loud"}, "LEGTWITCH_LOG_LEVEL"),
        ([], {"LEGTWITCH_TRUST_ROOTS": "/nonexistent.pem"}, "cannot read it"),
        (["--certfile", "cert.pem"], {}, "give both files or neither"),
    ],
)
def test_serve_refuses_bad_settings(args: list[str], env: dict[str, str], message: str) -> None:
    result = subprocess.run([sys.executable, "-m", "skill", "serve", "--port", "9", *args],
                            capture_output=True, text=True, timeout=60, env={**os.environ, **env})
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr


def test_load_on_gunicorn(cert_host: FileServer, roots_file: Path,
                          test_chain: certauthority.SigningChain) -> None:
    """A bounded burst of signed requests from 6 clients at 2 gunicorn workers: all answered."""
    port = free_port()
    env = {"LEGTWITCH_TEST_CERT_BASE": cert_host.base, "LEGTWITCH_TRUST_ROOTS": str(roots_file),
           "LEGTWITCH_SKILL_ID": TEST_SKILL_ID}
    questions = [envelope(asking(topic))
                 for topic in ("stress", "caffeine", "night", "magnesium", "exercise")]
    questions.append(envelope())
    bodies = [(body, signed_headers(body, test_chain)) for body in questions]
    argv = [sys.executable, "-m", "tests.support.webapps", "--port", str(port), "--workers", "2", "--quiet"]
    with running(argv, port, env) as server:
        deadline = time.monotonic() + LOAD_SECONDS

        def one(i: int) -> int:
            if time.monotonic() > deadline:
                return -1
            body, headers = bodies[i % len(bodies)]
            return call(port, body=body, headers=headers).status

        with ThreadPoolExecutor(6) as pool:
            statuses = list(pool.map(one, range(LOAD_REQUESTS)))
        output = server.stop()
    assert statuses.count(200) == LOAD_REQUESTS, (sorted(set(statuses)), output[-2000:])
    assert "Traceback" not in output


def _tls_files(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A certificate and its key, and another key that does not match it (made with the test CA)."""
    from cryptography.hazmat.primitives import serialization

    issuer = certauthority.root("TLS test root")
    cert, key, other = tmp_path / "cert.pem", tmp_path / "key.pem", tmp_path / "other.pem"
    cert.write_bytes(issuer.cert.public_bytes(serialization.Encoding.PEM))
    for path, private in ((key, issuer.key), (other, certauthority.root("other").key)):
        path.write_bytes(private.private_bytes(serialization.Encoding.PEM,
                                               serialization.PrivateFormat.PKCS8,
                                               serialization.NoEncryption()))
    return cert, key, other


@pytest.mark.parametrize("case", ["missing cert", "key does not match", "not pem"])
def test_serve_refuses_tls_files_it_cannot_use_before_listening(tmp_path: Path, case: str) -> None:
    cert, key, other = _tls_files(tmp_path)
    (tmp_path / "junk.pem").write_text("junk")
    args = {"missing cert": [str(tmp_path / "none.pem"), str(key)],
            "key does not match": [str(cert), str(other)],
            "not pem": [str(tmp_path / "junk.pem"), str(key)]}[case]
    result = subprocess.run([sys.executable, "-m", "skill", "serve", "--port", "9",
                             "--certfile", args[0], "--keyfile", args[1]],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2, result.stderr
    assert "--certfile/--keyfile" in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


SLOW_CLIENTS = 150


def test_slow_clients_do_not_hold_up_valid_requests(cert_host: FileServer, roots_file: Path,
                                                   test_chain: certauthority.SigningChain) -> None:
    """150 connections that send half a request line and then nothing, against one worker: valid
    signed requests are still answered, every one (bounded: a few seconds on loopback)."""
    port = free_port()
    env = {"LEGTWITCH_TEST_CERT_BASE": cert_host.base, "LEGTWITCH_TRUST_ROOTS": str(roots_file)}
    argv = [sys.executable, "-m", "tests.support.webapps", "--port", str(port), "--workers", "1", "--quiet"]
    with running(argv, port, env) as server:
        stalled = []
        try:
            for _ in range(SLOW_CLIENTS):
                sock = socket.create_connection(("127.0.0.1", port), timeout=5)
                sock.sendall(b"POST / HTTP/1.1\r\nHost: loc")  # and then nothing more
                stalled.append(sock)
            statuses = []
            for _ in range(10):
                body = envelope()
                statuses.append(call(port, body=body, headers=signed_headers(body, test_chain),
                                     timeout=5.0).status)
        finally:
            for sock in stalled:
                sock.close()
        output = server.stop()
    assert statuses == [200] * 10, output[-2000:]
    assert "Traceback" not in output
