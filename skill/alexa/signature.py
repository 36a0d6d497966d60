"""Verifier: Amazon's signature and certificate checks for an Alexa HTTPS endpoint (cryptography).

Each verifier has the `verify(headers, serialized_request_env, deserialized_request_env)` method of
ask-sdk-webservice-support's `AbstractVerifier`, so flask-ask-sdk's `SkillAdapter` runs them, and
raises `skill.errors.VerificationError` with a short reason. Amazon's rules
(developer.amazon.com, "Host a Custom Skill as a Web Service"):

- `SignatureCertChainUrl`: https, host s3.amazonaws.com (any case), port 443 if given, a path
  that after normalising (`..`, `.`, percent escapes) starts with `/echo.api/` (case-sensitive).
- The chain downloaded from there leads to a trusted root; the signing certificate is within its
  validity and names echo-api.amazon.com in its subject alternative names.
- `Signature-256` is the base64 RSA PKCS#1 v1.5 SHA-256 signature of the raw body.
The checks on the envelope itself (timestamp, application id) are in `skill.alexa.request_checks`.

Unlike the stock `RequestVerifier`: the download has a timeout (3 s) and a size cap, a failed
download is a refusal at once, the validated signing key is cached until the first certificate
of its chain expires (a warm check is one RSA verification), and the trust roots are a setting.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import functools
import http.client
import logging
import posixpath
import re
import socket
import threading
import time
import urllib.parse
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from ask_sdk_model import RequestEnvelope
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.utils import CryptographyDeprecationWarning
from cryptography.x509.verification import PolicyBuilder, Store
from cryptography.x509.verification import VerificationError as ChainError

from skill.alexa.request_checks import Clock
from skill.errors import ConfigError, VerificationError

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "Signature-256"
CHAIN_URL_HEADER = "SignatureCertChainUrl"
CHAIN_HOST = "s3.amazonaws.com"
CHAIN_PATH_PREFIX = "/echo.api/"
SIGNING_NAME = "echo-api.amazon.com"
#: Longest wait for the certificate chain download (the issue caps it at 3 s).
DOWNLOAD_TIMEOUT_S = 3.0
#: Largest certificate chain accepted (Amazon's is about 6 KB).
MAX_CHAIN_BYTES = 64 * 1024
#: Most signing keys kept; Amazon uses one chain URL at a time, rotating yearly.
CACHE_SIZE = 8
#: How long a chain that failed to download or validate is refused without trying again.
FAILURE_TTL_S = 30.0
#: Chain downloads in flight at once, per process; more wait, then fail.
MAX_CONCURRENT_DOWNLOADS = 4
#: Longest accepted Signature-256 header (a 4096-bit signature is 684 base64 characters).
MAX_SIGNATURE_CHARS = 1024

PEM_CERTIFICATE = re.compile(
    rb"-----BEGIN CERTIFICATE-----\r?\n.+?\r?\n-----END CERTIFICATE-----", re.DOTALL
)

Download = Callable[[str], bytes]


def header(headers: Mapping[str, str], name: str) -> str | None:
    """The value of header `name` (any case) in `headers`, or None."""
    value = headers.get(name)
    if value is not None:
        return value
    wanted = name.lower()
    return next((v for k, v in headers.items() if k.lower() == wanted), None)


@functools.lru_cache(maxsize=64)
def chain_url(url: str) -> str:
    """The canonical https URL of a `SignatureCertChainUrl` that obeys Amazon's rules.

    Raises VerificationError naming the rule broken. The returned URL (normalised path, no user,
    query or fragment) is the one downloaded and the cache key. Valid URLs are remembered (Amazon
    sends the same one on every request); refusals are not.
    """
    if len(url) > 2048 or any(ord(c) < 0x21 or ord(c) == 0x7F for c in url):
        raise VerificationError("certificate chain URL is malformed")
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise VerificationError("certificate chain URL is malformed") from exc
    if parts.scheme.lower() != "https":
        raise VerificationError("certificate chain URL must use https")
    if (parts.hostname or "").lower() != CHAIN_HOST:
        raise VerificationError(f"certificate chain URL host must be {CHAIN_HOST}")
    if port is not None and port != 443:
        raise VerificationError("certificate chain URL port must be 443")
    if parts.username is not None or parts.password is not None:
        raise VerificationError("certificate chain URL must not carry credentials")
    path = urllib.parse.unquote(parts.path)
    normal = posixpath.normpath(path) if path else ""
    if "\\" in path or not normal.startswith(CHAIN_PATH_PREFIX):
        raise VerificationError(f"certificate chain URL path must start with {CHAIN_PATH_PREFIX}")
    return f"https://{CHAIN_HOST}{urllib.parse.quote(normal)}"


@dataclass(frozen=True)
class ChainDownloader:
    """Downloads a certificate chain: `timeout` seconds at most in all, `max_bytes` at most.

    The deadline holds for the whole exchange (a watchdog closes the connection when it passes, so
    a host dripping one byte at a time cannot hold a request); only a 200 is accepted (a redirect
    is a failure, never followed). Any failure raises VerificationError at once.
    """

    timeout: float = DOWNLOAD_TIMEOUT_S
    max_bytes: int = MAX_CHAIN_BYTES

    def __post_init__(self) -> None:
        if not 0 < self.timeout <= DOWNLOAD_TIMEOUT_S:
            raise ConfigError("timeout", self.timeout, f"use 0 < timeout <= {DOWNLOAD_TIMEOUT_S}")

    def __call__(self, url: str) -> bytes:
        parts = urllib.parse.urlsplit(url)
        kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        connection = kind(parts.hostname or "", parts.port, timeout=self.timeout)
        deadline = time.monotonic() + self.timeout
        expired = threading.Event()
        try:
            connection.connect()
        except (OSError, ValueError) as exc:
            raise VerificationError(f"certificate chain download failed: {exc}") from exc
        # The socket itself: the connection lets go of it once the response is under way.
        watchdog = threading.Timer(max(0.0, deadline - time.monotonic()), _shut,
                                   [connection.sock, expired])
        watchdog.start()
        try:
            connection.request("GET", parts.path or "/", headers={"User-Agent": "legtwitch-verifier"})
            response = connection.getresponse()
            if response.status != 200:
                raise VerificationError(f"certificate chain download failed: HTTP {response.status}")
            data = b""
            while len(data) <= self.max_bytes:
                chunk = response.read1(16 * 1024)
                if not chunk:
                    break
                data += chunk
        except (OSError, ValueError, http.client.HTTPException) as exc:
            reason = f"took over {self.timeout:g} s" if expired.is_set() else exc
            raise VerificationError(f"certificate chain download failed: {reason}") from exc
        finally:
            watchdog.cancel()
            connection.close()
        if expired.is_set():  # cut short: what arrived is not the whole chain
            raise VerificationError(f"certificate chain download failed: took over {self.timeout:g} s")
        if len(data) > self.max_bytes:
            raise VerificationError(f"certificate chain is over {self.max_bytes} bytes")
        return data


def _shut(sock: socket.socket, expired: threading.Event) -> None:
    """End a download that has run out of time: whatever it is waiting for fails at once."""
    expired.set()
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


def trust_store(path: str | Path | None = None) -> Store:
    """A store of the root certificates in the PEM file `path` (the system's bundle when None)."""
    if path is None:
        import ssl

        paths = ssl.get_default_verify_paths()
        path = paths.cafile or paths.openssl_cafile
    key = "LEGTWITCH_TRUST_ROOTS"
    try:
        text = Path(path).read_bytes()
    except OSError as exc:
        raise ConfigError(key, str(path), f"cannot read it ({exc.strerror})") from exc
    roots = []
    for block in PEM_CERTIFICATE.findall(text):
        # System bundles hold a few certificates that break RFC 5280 (e.g. a serial of 0): they
        # load with a deprecation warning today; such a root is skipped, never fatal.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", CryptographyDeprecationWarning)
            try:
                roots.append(x509.load_pem_x509_certificate(block))
            except ValueError:
                logger.debug("skipped an unreadable root certificate in %s", path)
    if not roots:
        raise ConfigError(key, str(path), "give a PEM file of certificates")
    return Store(roots)


def signing_names(cert: x509.Certificate) -> list[str]:
    """The DNS names in the subject alternative names of `cert` (none when it has no SAN)."""
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except (x509.ExtensionNotFound, ValueError):
        return []
    return [name.lower() for name in san.get_values_for_type(x509.DNSName)]


@dataclass(frozen=True)
class SigningKey:
    """A validated signing certificate's RSA key, usable until `expires` (epoch seconds)."""

    key: rsa.RSAPublicKey
    expires: float


@dataclass
class KeyCache:
    """Validated signing keys by chain URL, dropped when their chain expires; thread-safe."""

    size: int = CACHE_SIZE
    _keys: dict[str, SigningKey] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def get(self, url: str, now: float) -> SigningKey | None:
        with self._lock:
            found = self._keys.get(url)
            if found is not None and found.expires <= now:
                del self._keys[url]
                return None
            return found

    def put(self, url: str, key: SigningKey) -> None:
        with self._lock:
            if url not in self._keys and len(self._keys) >= self.size:
                del self._keys[min(self._keys, key=lambda u: self._keys[u].expires)]
            self._keys[url] = key

    def __len__(self) -> int:
        return len(self._keys)


class SignatureVerifier:
    """Checks `Signature-256` against the chain at `SignatureCertChainUrl`.

    store: trusted roots; download: fetches a canonical chain URL (ChainDownloader by default);
    clock: epoch seconds (time.time).
    """

    def __init__(
        self, store: Store, download: Download | None = None, clock: Clock = time.time
    ) -> None:
        self.store = store
        self.download: Download = download or ChainDownloader()
        self.clock = clock
        self.cache = KeyCache()
        self._failures: dict[str, tuple[float, str]] = {}  # url -> (until, why), briefly
        # Made at the first download, in the serving process: under gunicorn's gevent worker a
        # semaphore made before the worker patched threading would block every greenlet.
        self._downloads: threading.BoundedSemaphore | None = None

    def verify(
        self,
        headers: Mapping[str, str],
        serialized_request_env: str,
        deserialized_request_env: RequestEnvelope | None,
    ) -> None:
        url, signature = header(headers, CHAIN_URL_HEADER), header(headers, SIGNATURE_HEADER)
        if not url:
            raise VerificationError(f"missing {CHAIN_URL_HEADER} header")
        if not signature:
            raise VerificationError(f"missing {SIGNATURE_HEADER} header")
        raw = self.decode_signature(signature)
        key = self.signing_key(chain_url(url))
        try:
            body = serialized_request_env.encode("utf-8")
            key.key.verify(raw, body, padding.PKCS1v15(), SHA256())
        except InvalidSignature as exc:
            raise VerificationError("signature does not match the request body") from exc

    @staticmethod
    def decode_signature(signature: str) -> bytes:
        if len(signature) > MAX_SIGNATURE_CHARS:
            raise VerificationError(f"{SIGNATURE_HEADER} header is too long")
        try:
            return base64.b64decode(signature.strip(), validate=True)
        except (binascii.Error, ValueError) as exc:
            raise VerificationError(f"{SIGNATURE_HEADER} header is not base64") from exc

    def signing_key(self, url: str) -> SigningKey:
        """The validated key of the chain at canonical `url`, from the cache or downloaded."""
        now = self.clock()
        cached = self.cache.get(url, now)
        if cached is not None:
            return cached
        failed = self._failures.get(url)
        if failed is not None and failed[0] > time.monotonic():
            raise VerificationError(failed[1])
        if self._downloads is None:
            self._downloads = threading.BoundedSemaphore(MAX_CONCURRENT_DOWNLOADS)
        if not self._downloads.acquire(timeout=DOWNLOAD_TIMEOUT_S):
            raise VerificationError("too many certificate chain downloads at once")
        try:
            key = self.validate(self.download(url), now)
        except VerificationError as exc:
            if len(self._failures) >= CACHE_SIZE * 8:
                self._failures.clear()
            self._failures[url] = (time.monotonic() + FAILURE_TTL_S, str(exc))
            raise
        finally:
            self._downloads.release()
        self._failures.pop(url, None)
        self.cache.put(url, key)
        logger.info("certificate chain validated and cached: %s", url)
        return key

    def validate(self, pem: bytes, now: float) -> SigningKey:
        """The signing key of PEM chain `pem` (leaf first) if it is trusted at `now`."""
        try:
            certs = x509.load_pem_x509_certificates(pem)
        except ValueError as exc:
            raise VerificationError("certificate chain is not PEM certificates") from exc
        leaf, intermediates = certs[0], certs[1:]
        for cert in certs:  # say which one, and when: that is what an operator needs to know
            name = cert.subject.rfc4514_string()
            if now > cert.not_valid_after_utc.timestamp():
                raise VerificationError(f"certificate {name} expired on {cert.not_valid_after_utc:%Y-%m-%d}")
            if now < cert.not_valid_before_utc.timestamp():
                raise VerificationError(
                    f"certificate {name} is not yet valid (from {cert.not_valid_before_utc:%Y-%m-%d})")
        if SIGNING_NAME not in signing_names(leaf):
            raise VerificationError(f"signing certificate does not name {SIGNING_NAME}")
        verifier = (
            PolicyBuilder()
            .store(self.store)
            .time(datetime.fromtimestamp(now, UTC))
            .build_server_verifier(x509.DNSName(SIGNING_NAME))
        )
        try:
            chain = verifier.verify(leaf, intermediates)
        except ChainError as exc:
            logger.warning("certificate chain refused: %s", exc)
            raise VerificationError("certificate chain does not lead to a trusted root") from exc
        key = leaf.public_key()
        if not isinstance(key, rsa.RSAPublicKey):
            raise VerificationError("signing certificate key is not RSA")
        expires = min(c.not_valid_after_utc for c in chain).timestamp()
        return SigningKey(key, expires)
