"""The verifiers one by one: chain URL rules, download limits, the key cache, trust roots."""

from __future__ import annotations

import datetime as dt
import socket
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from cryptography.x509.verification import Store

from skill.alexa.gate import Gate, parse_timestamp
from skill.alexa.request_checks import ApplicationIdVerifier
from skill.alexa.signature import (
    ChainDownloader,
    KeyCache,
    SignatureVerifier,
    SigningKey,
    chain_url,
    header,
    trust_store,
)
from skill.errors import ConfigError, VerificationError
from tests.support import certauthority
from tests.support.alexarequest import CHAIN_URL
from tests.support.loopback import FileServer, slow

CANONICAL = "https://s3.amazonaws.com/echo.api/echo-api-cert.pem"


@pytest.mark.parametrize(
    "url",
    [  # Amazon's valid examples, and case/port variants the rules allow
        "https://s3.amazonaws.com/echo.api/echo-api-cert.pem",
        "https://s3.amazonaws.com:443/echo.api/echo-api-cert.pem",
        "https://s3.amazonaws.com/echo.api/../echo.api/echo-api-cert.pem",
        "HTTPS://S3.AMAZONAWS.COM/echo.api/echo-api-cert.pem",
        "https://s3.amazonaws.com/echo.api/./echo-api-cert.pem",
    ],
)
def test_valid_chain_urls_are_canonicalised(url: str) -> None:
    assert chain_url(url) == CANONICAL


@pytest.mark.parametrize(
    "url",
    [  # Amazon's invalid examples first
        "http://s3.amazonaws.com/echo.api/echo-api-cert.pem",
        "https://notamazon.com/echo.api/echo-api-cert.pem",
        "https://s3.amazonaws.com/EcHo.aPi/echo-api-cert.pem",
        "https://s3.amazonaws.com/invalid.path/echo-api-cert.pem",
        "https://s3.amazonaws.com:563/echo.api/echo-api-cert.pem",
        "https://s3.amazonaws.com/echo.api/../secrets/cert.pem",
        "https://s3.amazonaws.com/echo.api/%2e%2e/secrets/cert.pem",
        "https://s3.amazonaws.com/echo.api%2f..%2fsecrets/cert.pem",
        "https://s3.amazonaws.com//echo.api/echo-api-cert.pem",
        "https://s3.amazonaws.com/echo.api",
        "https://s3.amazonaws.com/echo.api\\..\\x/cert.pem",
        "https://user:pw@s3.amazonaws.com/echo.api/echo-api-cert.pem",
        "https://s3.amazonaws.com:notaport/echo.api/echo-api-cert.pem",
        "https://s3.amazonaws.com:99999/echo.api/echo-api-cert.pem",
        "https://s3.amazonaws.com/echo.api/cert.pem\r\nX-Injected: 1",
        "ftp://s3.amazonaws.com/echo.api/echo-api-cert.pem",
        "https:///echo.api/echo-api-cert.pem",
        "",
        "https://[::1/echo.api/",
    ],
)
def test_invalid_chain_urls_are_refused(url: str) -> None:
    with pytest.raises(VerificationError):
        chain_url(url)


def test_header_lookup_ignores_case() -> None:
    assert header({"signature-256": "x"}, "Signature-256") == "x"
    assert header({}, "Signature-256") is None


def test_downloader_timeout_is_capped() -> None:
    with pytest.raises(ConfigError):
        ChainDownloader(timeout=5.0)


def test_downloader_fetches(cert_host: FileServer, test_chain: certauthority.SigningChain) -> None:
    assert ChainDownloader()(cert_host.base + "/echo.api/echo-api-cert.pem") == test_chain.pem


def test_downloader_gives_up_after_its_timeout(cert_host: FileServer) -> None:
    cert_host.files["/echo.api/very-slow.pem"] = slow(2.0)
    start = time.monotonic()
    with pytest.raises(VerificationError, match="download failed"):
        ChainDownloader(timeout=0.5)(cert_host.base + "/echo.api/very-slow.pem")
    assert time.monotonic() - start < 1.5


def test_downloader_refuses_a_huge_chain(cert_host: FileServer) -> None:
    cert_host.files["/echo.api/huge.pem"] = b"x" * 100_000
    with pytest.raises(VerificationError, match="over 65536 bytes"):
        ChainDownloader()(cert_host.base + "/echo.api/huge.pem")


def test_downloader_connection_refused() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(VerificationError, match="download failed"):
        ChainDownloader()(f"http://127.0.0.1:{port}/echo.api/x.pem")


def test_trust_store_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        trust_store(tmp_path / "missing.pem")
    junk = tmp_path / "junk.pem"
    junk.write_text("not pem")
    with pytest.raises(ConfigError, match="PEM"):
        trust_store(junk)


def test_system_trust_store_loads() -> None:
    assert isinstance(trust_store(), Store)


class CountingDownload:
    """Serves one chain and counts the downloads."""

    def __init__(self, pem: bytes) -> None:
        self.pem, self.calls = pem, 0

    def __call__(self, url: str) -> bytes:
        self.calls += 1
        return self.pem


def verify(verifier: SignatureVerifier, chain: certauthority.SigningChain, body: bytes) -> None:
    headers = {"SignatureCertChainUrl": CHAIN_URL, "Signature-256": chain.sign(body)}
    verifier.verify(headers, body.decode(), None)


def test_key_is_cached_until_the_chain_expires(test_root: certauthority.Issuer) -> None:
    end = certauthority.NOW + dt.timedelta(days=10)
    chain = certauthority.signing_chain(test_root, end=end)
    download = CountingDownload(chain.pem)
    now = [time.time()]
    verifier = SignatureVerifier(Store([test_root.cert]), download, clock=lambda: now[0])
    verify(verifier, chain, b"{}")
    verify(verifier, chain, b'{"a": 1}')
    assert download.calls == 1
    cached = verifier.cache.get(CANONICAL, now[0])
    assert cached is not None and cached.expires == int(end.timestamp())
    now[0] = end.timestamp() + 1  # the leaf has expired: the cache drops it, the chain is refused
    with pytest.raises(VerificationError, match="expired"):
        verify(verifier, chain, b"{}")
    assert download.calls == 2


def test_cache_evicts_the_soonest_to_expire() -> None:
    cache = KeyCache(size=2)
    key = SimpleNamespace()
    cache.put("a", SigningKey(key, 30.0))  # type: ignore[arg-type]
    cache.put("b", SigningKey(key, 10.0))  # type: ignore[arg-type]
    cache.put("c", SigningKey(key, 20.0))  # type: ignore[arg-type]
    assert (cache.get("b", 0.0), len(cache)) == (None, 2)
    assert cache.get("a", 0.0) is not None and cache.get("a", 31.0) is None


def test_signature_too_long(test_root: certauthority.Issuer,
                            test_chain: certauthority.SigningChain) -> None:
    verifier = SignatureVerifier(Store([test_root.cert]), CountingDownload(test_chain.pem))
    headers = {"SignatureCertChainUrl": CHAIN_URL, "Signature-256": "A" * 2000}
    with pytest.raises(VerificationError, match="too long"):
        verifier.verify(headers, "{}", None)


def test_timestamp_bounds() -> None:
    base = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    gate = Gate(None, clock=lambda: base.timestamp())
    for seconds in (-150, 0, 150):
        gate._check_window(base + dt.timedelta(seconds=seconds))
    for seconds, reason in ((-151, "old"), (151, "future")):
        with pytest.raises(VerificationError, match=reason):
            gate._check_window(base + dt.timedelta(seconds=seconds))


@pytest.mark.parametrize("stamp", ["2026-01-01T00:00:00Z", "2026-01-01T00:00:00.000Z",
                                   "2026-01-01T01:00:00+01:00"])
def test_alexa_timestamps_parse(stamp: str) -> None:
    assert parse_timestamp(stamp).timestamp() == dt.datetime(2026, 1, 1, tzinfo=dt.UTC).timestamp()


@pytest.mark.parametrize("stamp", [None, 1767225600, "", "2026-01-01", "2026-01-01T00:00:00",
                                   "2026-01-01T00:00:00+99:00", "2026-13-45T00:00:00Z",
                                   "2026-01-01T00:00:00Z" + "0" * 64000, "now"])
def test_other_timestamps_are_refused_before_any_parser(stamp: object) -> None:
    with pytest.raises(VerificationError, match="timestamp"):
        parse_timestamp(stamp)


def test_application_id_from_session_when_context_lacks_it() -> None:
    from ask_sdk_model import Application, RequestEnvelope, Session

    app = Application(application_id="amzn1.ask.skill.mine")
    env = RequestEnvelope(context=None, session=Session(application=app))
    ApplicationIdVerifier("amzn1.ask.skill.mine").verify({}, "", env)
    with pytest.raises(VerificationError, match="no application id"):
        ApplicationIdVerifier("amzn1.ask.skill.mine").verify({}, "", RequestEnvelope())


def test_chain_served_with_its_root_is_accepted(test_root: certauthority.Issuer,
                                                test_chain: certauthority.SigningChain) -> None:
    verifier = SignatureVerifier(Store([test_root.cert]))
    key = verifier.validate(test_chain.pem + test_root.pem, time.time())
    assert key.expires == int(test_chain.leaf.not_valid_after_utc.timestamp())


def test_chain_in_the_wrong_order_is_refused(test_root: certauthority.Issuer,
                                             test_chain: certauthority.SigningChain) -> None:
    leaf_end = test_chain.pem.index(b"-----END CERTIFICATE-----") + 26
    swapped = test_chain.pem[leaf_end:] + test_chain.pem[:leaf_end]
    with pytest.raises(VerificationError):
        SignatureVerifier(Store([test_root.cert])).validate(swapped, time.time())


def test_a_host_dripping_bytes_cannot_hold_a_download_past_its_deadline(cert_host: FileServer) -> None:
    def drip(handler: Any) -> None:
        try:
            handler.send_response(200)
            handler.end_headers()
            for _ in range(20):  # a byte every 0.2 s: each read is quick, the whole is not
                handler.wfile.write(b"x")
                handler.wfile.flush()
                time.sleep(0.2)
        except OSError:
            pass

    cert_host.files["/echo.api/drip.pem"] = drip
    start = time.monotonic()
    with pytest.raises(VerificationError, match="took over 0.5 s"):
        ChainDownloader(timeout=0.5)(cert_host.base + "/echo.api/drip.pem")
    assert time.monotonic() - start < 2.0  # the 4 s the host would take, cut at the deadline


def test_a_redirect_is_a_failure_never_followed(cert_host: FileServer) -> None:
    def redirect(handler: Any) -> None:
        handler.send_response(302)
        handler.send_header("Location", cert_host.base + "/echo.api/echo-api-cert.pem")
        handler.end_headers()

    cert_host.files["/echo.api/moved.pem"] = redirect
    with pytest.raises(VerificationError, match="HTTP 302"):
        ChainDownloader()(cert_host.base + "/echo.api/moved.pem")


def test_a_failed_chain_is_not_fetched_again_at_once(test_root: certauthority.Issuer) -> None:
    calls: list[str] = []

    def download(url: str) -> bytes:
        calls.append(url)
        raise VerificationError("certificate chain download failed: HTTP 404")

    verifier = SignatureVerifier(Store([test_root.cert]), download)
    for _ in range(5):
        with pytest.raises(VerificationError, match="HTTP 404"):
            verifier.signing_key(CANONICAL)
    assert calls == [CANONICAL]
