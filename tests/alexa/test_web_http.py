"""The Alexa endpoint end to end over HTTP on loopback: Amazon's checks, each refusal's status."""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Iterator
from typing import Any

import pytest

from tests.support import certauthority
from tests.support.alexarequest import CHAIN_PATH, JSON, asking, envelope, signed_headers
from tests.support.loopback import FileServer, Reply, call, serving, slow

NOW = dt.datetime.now(dt.UTC)


@pytest.fixture(scope="module")
def port(make_app: Any) -> Iterator[int]:
    """The endpoint with verification on, served on loopback by a real HTTP server."""
    with serving(make_app()) as port:
        yield port


def refused(reply: Reply, status: int = 400) -> str:
    """The reason of a refusal with `status`, after checking it is short JSON, no traceback."""
    assert reply.status == status, reply.body
    assert reply.headers["content-type"] == "application/json"
    assert b"Traceback" not in reply.body
    reason = reply.json()["error"]
    assert 0 < len(reason) < 120
    return reason


def test_signed_request_is_answered(port: int, test_chain: certauthority.SigningChain) -> None:
    body = envelope()
    reply = call(port, body=body, headers=signed_headers(body, test_chain))
    assert reply.status == 200, reply.body
    speech = reply.json()["response"]["outputSpeech"]
    assert speech["type"] == "SSML" and speech["ssml"].startswith("<speak>")


@pytest.mark.parametrize("screen", [True, False])
def test_a_screen_device_gets_the_answer_on_its_screen_over_http(
    port: int, test_chain: certauthority.SigningChain, screen: bool
) -> None:
    body = envelope(asking("coffee"), screen=screen)
    reply = call(port, body=body, headers=signed_headers(body, test_chain))
    assert reply.status == 200, reply.body
    directives = reply.json()["response"].get("directives") or []
    assert [d["type"] for d in directives] == (["Alexa.Presentation.APL.RenderDocument"] if screen else [])
    if screen:
        assert directives[0]["datasources"]["answer"]["title"] == "Caffeine"


def test_health(port: int) -> None:
    reply = call(port, "GET", "/health")
    assert (reply.status, reply.json()) == (200, {"status": "ok"})


def test_warm_request_reuses_the_validated_chain(
    port: int, test_chain: certauthority.SigningChain, cert_host: FileServer
) -> None:
    body = envelope()
    assert call(port, body=body, headers=signed_headers(body, test_chain)).status == 200
    downloads = cert_host.hits.count(CHAIN_PATH)  # the host is shared with other test modules
    for _ in range(3):
        body = envelope()
        assert call(port, body=body, headers=signed_headers(body, test_chain)).status == 200
    assert cert_host.hits.count(CHAIN_PATH) == downloads


def test_tampered_body(port: int, test_chain: certauthority.SigningChain) -> None:
    body = envelope()
    headers = signed_headers(body, test_chain)
    tampered = body.replace(b"LaunchRequest", b"IntentRequest")
    assert "signature does not match" in refused(call(port, body=tampered, headers=headers))


def test_wrong_signature(port: int, test_root: certauthority.Issuer) -> None:
    other = certauthority.signing_chain(test_root)  # a valid chain, but not the one at the URL
    body = envelope()
    reply = call(port, body=body, headers=signed_headers(body, other))
    assert "signature does not match" in refused(reply)


@pytest.mark.parametrize(
    ("name", "make", "reason"),
    [
        ("expired", lambda root: certauthority.signing_chain(
            root, start=NOW - dt.timedelta(days=400), end=NOW - dt.timedelta(days=1)),
         "expired"),
        ("not-yet-valid", lambda root: certauthority.signing_chain(
            root, start=NOW + dt.timedelta(days=1), end=NOW + dt.timedelta(days=100)),
         "not yet valid"),
        ("wrong-san", lambda root: certauthority.signing_chain(root, san="echo-api.example.com"),
         "does not name echo-api.amazon.com"),
        ("untrusted-root", lambda root: certauthority.signing_chain(certauthority.root("Other")),
         "trusted root"),
    ],
)
def test_bad_chain(port: int, cert_host: FileServer, test_root: certauthority.Issuer,
                   name: str, make: Any, reason: str) -> None:
    chain = make(test_root)
    path = f"/echo.api/{name}.pem"
    cert_host.files[path] = chain.pem
    body = envelope()
    headers = signed_headers(body, chain, f"https://s3.amazonaws.com{path}")
    assert reason in refused(call(port, body=body, headers=headers))


def test_chain_that_is_not_pem(port: int, cert_host: FileServer,
                               test_chain: certauthority.SigningChain) -> None:
    cert_host.files["/echo.api/garbage.pem"] = b"<html>not a certificate</html>"
    body = envelope()
    headers = signed_headers(body, test_chain, "https://s3.amazonaws.com/echo.api/garbage.pem")
    assert "not PEM" in refused(call(port, body=body, headers=headers))


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://s3.amazonaws.com/echo.api/echo-api-cert.pem", "https"),
        ("https://notamazon.com/echo.api/echo-api-cert.pem", "host"),
        ("https://s3.amazonaws.com.evil.example/echo.api/echo-api-cert.pem", "host"),
        ("https://s3.amazonaws.com/echo.api/../invalid.path/echo-api-cert.pem", "path"),
        ("https://s3.amazonaws.com/invalid.path/echo-api-cert.pem", "path"),
        ("https://s3.amazonaws.com/EcHo.aPi/echo-api-cert.pem", "path"),
        ("https://s3.amazonaws.com:563/echo.api/echo-api-cert.pem", "port"),
        ("https://s3.amazonaws.com:8443/echo.api/echo-api-cert.pem", "port"),
    ],
)
def test_bad_chain_url(port: int, test_chain: certauthority.SigningChain, url: str,
                       reason: str) -> None:
    body = envelope()
    assert reason in refused(call(port, body=body, headers=signed_headers(body, test_chain, url)))


def test_chain_download_failure_is_a_prompt_400(
    port: int, cert_host: FileServer, test_chain: certauthority.SigningChain
) -> None:
    cert_host.files["/echo.api/slow.pem"] = slow(3.0)
    for path, reason in [("/echo.api/missing.pem", "HTTP 404"), ("/echo.api/slow.pem", "download")]:
        body = envelope()
        headers = signed_headers(body, test_chain, f"https://s3.amazonaws.com{path}")
        start = time.monotonic()
        assert reason in refused(call(port, body=body, headers=headers))
        assert time.monotonic() - start < 2.5  # the test downloader's timeout is 1 s


@pytest.mark.parametrize("missing", ["SignatureCertChainUrl", "Signature-256"])
def test_missing_header(port: int, test_chain: certauthority.SigningChain, missing: str) -> None:
    body = envelope()
    headers = signed_headers(body, test_chain)
    del headers[missing]
    assert missing in refused(call(port, body=body, headers=headers))


def test_signature_not_base64(port: int, test_chain: certauthority.SigningChain) -> None:
    body = envelope()
    headers = {**signed_headers(body, test_chain), "Signature-256": "not base64!"}
    assert "base64" in refused(call(port, body=body, headers=headers))


@pytest.mark.parametrize(("shift", "reason"), [(-200, "old"), (200, "future")])
def test_timestamp_out_of_tolerance(port: int, test_chain: certauthority.SigningChain,
                                    shift: int, reason: str) -> None:
    body = envelope(timestamp=dt.datetime.now(dt.UTC) + dt.timedelta(seconds=shift))
    assert reason in refused(call(port, body=body, headers=signed_headers(body, test_chain)))


def test_timestamp_within_tolerance(port: int, test_chain: certauthority.SigningChain) -> None:
    body = envelope(timestamp=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=120))
    assert call(port, body=body, headers=signed_headers(body, test_chain)).status == 200


def test_wrong_skill_id(port: int, test_chain: certauthority.SigningChain) -> None:
    body = envelope(skill_id="amzn1.ask.skill.someone-else")
    reply = call(port, body=body, headers=signed_headers(body, test_chain))
    assert "another skill" in refused(reply)


@pytest.mark.parametrize("body", [b"not json", b"\xff\xfe\x00", b"", b"[1, 2]", b"{}"])
def test_body_not_an_envelope(port: int, test_chain: certauthority.SigningChain,
                              body: bytes) -> None:
    reason = refused(call(port, body=body, headers=signed_headers(body, test_chain)))
    assert "body" in reason


def test_oversized_body(port: int, test_chain: certauthority.SigningChain) -> None:
    body = b'{"pad": "' + b"x" * 70_000 + b'"}'
    refused(call(port, body=body, headers=signed_headers(body, test_chain)), 413)


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE", "PATCH", "OPTIONS"])
def test_other_methods(port: int, method: str) -> None:
    reply = call(port, method, "/")
    refused(reply, 405)
    assert reply.headers["allow"] == "POST"


def test_unknown_path(port: int) -> None:
    refused(call(port, "POST", "/nowhere", body=b"{}"), 404)


def test_refusal_is_logged_with_its_reason(
    port: int, test_chain: certauthority.SigningChain, caplog: pytest.LogCaptureFixture
) -> None:
    body = envelope(skill_id="amzn1.ask.skill.someone-else")
    with caplog.at_level(logging.WARNING, logger="skill"):
        refused(call(port, body=body, headers=signed_headers(body, test_chain)))
    assert any("another skill" in r.getMessage() for r in caplog.records if r.name == "skill.alexa.app")


def test_verification_off_needs_dev(make_app: Any) -> None:
    from skill.errors import ConfigError

    with pytest.raises(ConfigError, match="serve --dev"):
        make_app(LEGTWITCH_VERIFY="false")


def test_verification_off_in_dev_serves_unsigned(make_app: Any) -> None:
    with serving(make_app(LEGTWITCH_VERIFY="false", LEGTWITCH_DEV=True)) as dev_port:
        assert call(dev_port, body=envelope(), headers=JSON).status == 200
        # the application id is still checked
        refused(call(dev_port, body=envelope(skill_id="amzn1.ask.skill.other"), headers=JSON))


def test_environment_overrides_defaults(make_app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEGTWITCH_MAX_BODY", "100")
    app = make_app()
    assert app.config["MAX_CONTENT_LENGTH"] == 100
