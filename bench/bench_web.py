"""Web endpoint: verification cost, and requests/s under gunicorn against a hello-world skill.

Everything on loopback with a test CA (tests.support.certauthority) and the chain served by a local
host; the servers are `python -m tests.support.webapps` (gunicorn, 2 sync workers, no access log).
"""

from __future__ import annotations

import contextlib
import socket
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography.x509.verification import Store

from bench import Figure
from skill.alexa.signature import DOWNLOAD_TIMEOUT_S, SignatureVerifier
from tests.support import certauthority
from tests.support.alexarequest import CHAIN_PATH, CHAIN_URL, TEST_SKILL_ID, asking, envelope, signed_headers
from tests.support.loopback import call, file_server, free_port, running
from tests.support.webapps import chain_downloads

LATENCY_REQUESTS = 1000
RATE_SECONDS = 6.0
CLIENTS = 4
TOPICS = ("stress", "caffeine", "night", "magnesium", "exercise", "potassium")

Request = tuple[bytes, dict[str, str]]


SLOW_CLIENTS = 200  # open at once, each sending a byte a second: a slowloris on loopback


def requests(chain: certauthority.SigningChain) -> list[Request]:
    """Signed topic questions (valid for 150 s: build them just before use)."""
    bodies = [envelope(asking(t)) for t in TOPICS]
    return [(body, signed_headers(body, chain)) for body in bodies]


@contextmanager
def server(env: dict[str, str], *args: str) -> Iterator[int]:
    port = free_port()
    argv = [sys.executable, "-m", "tests.support.webapps", "--port", str(port), "--workers", "2",
            "--quiet", *args]
    with running(argv, port, env):
        yield port


@contextmanager
def slow_clients(port: int, count: int) -> Iterator[None]:
    """`count` connections that send half a request line, then a byte a second, while in the block."""
    socks: list[socket.socket] = []
    stop = threading.Event()

    def drip() -> None:
        while not stop.wait(1.0):
            for sock in socks:
                with contextlib.suppress(OSError):
                    sock.sendall(b"x")

    try:
        for _ in range(count):
            sock = socket.create_connection(("127.0.0.1", port), timeout=5)
            sock.sendall(b"POST / HTTP/1.1\r\nHost: loc")
            socks.append(sock)
        dripper = threading.Thread(target=drip, daemon=True)
        dripper.start()
        yield
    finally:
        stop.set()
        for sock in socks:
            sock.close()


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def latencies(ports: list[int], chain: certauthority.SigningChain) -> list[list[float]]:
    """Sequential request times (ms) to each port, alternating between them request by request."""
    times: list[list[float]] = [[] for _ in ports]
    batch = requests(chain)
    for i in range(LATENCY_REQUESTS + 30):
        if i % 100 == 0:
            batch = requests(chain)
        body, headers = batch[i % len(batch)]
        order = list(enumerate(ports))
        for slot, port in order if i % 2 else order[::-1]:  # neither always goes first
            start = time.perf_counter()
            status = call(port, body=body, headers=headers).status
            elapsed = (time.perf_counter() - start) * 1000
            if status != 200:
                raise RuntimeError(f"port {port} answered {status}")
            if i >= 30:  # warm-up: workers loaded, chain cached
                times[slot].append(elapsed)
    return times


def wire(body: bytes, headers: dict[str, str]) -> bytes:
    """The bytes of an HTTP/1.0 POST / of `body` (the connection closes after the answer)."""
    lines = ["POST / HTTP/1.0", "Host: 127.0.0.1", f"Content-Length: {len(body)}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def post_raw(port: int, payload: bytes) -> bool:
    """Send pre-rendered `payload`; True when the answer is 200 (a lean client, so the
    servers, not the load generator, set the rate)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(payload)
        first = sock.recv(65536)
        while sock.recv(65536):
            pass
    return first.startswith((b"HTTP/1.0 200", b"HTTP/1.1 200"))


def rate(port: int, chain: certauthority.SigningChain) -> float:
    """Requests/s from CLIENTS threads, each sending one request after another, RATE_SECONDS."""
    batch = [wire(body, headers) for body, headers in requests(chain)]
    for payload in batch:  # warm-up
        post_raw(port, payload)
    deadline = time.perf_counter() + RATE_SECONDS

    def client(k: int) -> int:
        done = 0
        while time.perf_counter() < deadline:
            if not post_raw(port, batch[(k + done) % len(batch)]):
                raise RuntimeError(f"port {port}: request refused")
            done += 1
        return done

    start = time.perf_counter()
    with ThreadPoolExecutor(CLIENTS) as pool:
        total = sum(pool.map(client, range(CLIENTS)))
    return total / (time.perf_counter() - start)


def verification_costs(root: certauthority.Issuer, chain: certauthority.SigningChain,
                       ) -> tuple[float, float, float]:
    """Median µs: a warm SignatureVerifier.verify, a bare RSA verify, a cold verify (download
    from the loopback host, chain validation)."""
    body = envelope()
    headers = signed_headers(body, chain)
    text = body.decode()
    warm, bare, cold = [], [], []
    with file_server() as host:
        host.files[CHAIN_PATH] = chain.pem
        download = chain_downloads(host.base, DOWNLOAD_TIMEOUT_S)
        for _ in range(30):
            verifier = SignatureVerifier(Store([root.cert]), download)
            start = time.perf_counter()
            verifier.verify(headers, text, None)
            cold.append(time.perf_counter() - start)
        signature = SignatureVerifier.decode_signature(headers["Signature-256"])
        key = verifier.signing_key(verifier.cache._keys and next(iter(verifier.cache._keys))
                                   or CHAIN_URL)
        for _ in range(2000):
            start = time.perf_counter()
            verifier.verify(headers, text, None)
            warm.append(time.perf_counter() - start)
            start = time.perf_counter()
            key.key.verify(signature, body, *_pkcs1_sha256())
            bare.append(time.perf_counter() - start)
    return (statistics.median(warm) * 1e6, statistics.median(bare) * 1e6,
            statistics.median(cold) * 1e6)


if TYPE_CHECKING:
    from cryptography.hazmat.primitives._asymmetric import AsymmetricPadding
    from cryptography.hazmat.primitives.hashes import HashAlgorithm


def _pkcs1_sha256() -> tuple[AsymmetricPadding, HashAlgorithm]:
    from cryptography.hazmat.primitives.asymmetric import padding
    from cryptography.hazmat.primitives.hashes import SHA256

    return padding.PKCS1v15(), SHA256()


def run() -> Iterable[Figure]:
    root = certauthority.root()
    chain = certauthority.signing_chain(root)
    warm, bare, cold = verification_costs(root, chain)
    yield Figure("warm signature check (cached chain), median", warm, "us",
                 "bare RSA-2048 SHA-256 verify", bare, "well under 1 ms")
    yield Figure("cold signature check (download+chain), median", cold, "us",
                 "warm signature check", warm, "paid once per chain")
    with ExitStack() as stack:
        host = stack.enter_context(file_server())
        host.files[CHAIN_PATH] = chain.pem
        roots = Path(stack.enter_context(tempfile.TemporaryDirectory())) / "roots.pem"
        roots.write_bytes(root.pem)
        env = {"LEGTWITCH_TEST_CERT_BASE": host.base, "LEGTWITCH_TRUST_ROOTS": str(roots),
               "LEGTWITCH_SKILL_ID": TEST_SKILL_ID, "LEGTWITCH_LOG_LEVEL": "WARNING"}
        verified = stack.enter_context(server(env))
        unverified = stack.enter_context(server(env, "--no-verify"))
        on, off = latencies([verified, unverified], chain)
        yield Figure("verified request latency, median", statistics.median(on), "ms",
                     "same request unverified", statistics.median(off), "< 1.10x")
        yield Figure("verified request latency, p99", percentile(on, 0.99), "ms",
                     "same request unverified", percentile(off, 0.99), "< 1.10x")
        idle = latencies([verified], chain)[0]
        with slow_clients(verified, SLOW_CLIENTS):
            flooded = latencies([verified], chain)[0]
        yield Figure(f"verified latency p99 with {SLOW_CLIENTS} slow-header clients open",
                     percentile(flooded, 0.99), "ms", "same server idle, p99", percentile(idle, 0.99),
                     "< 50 ms, none fails")
        hello = stack.enter_context(server(env, "--skill", "hello"))
        ours, theirs = [], []
        for _ in range(2):  # alternate, so drift hits both alike
            ours.append(rate(verified, chain))
            theirs.append(rate(hello, chain))
        yield Figure(f"Leg Twitch Guide req/s, gunicorn 2 workers, {CLIENTS} clients",
                     statistics.mean(ours), "/s", "hello-world ASK skill, same server",
                     statistics.mean(theirs), ">= 0.80x")
