"""Hostile requests to the real endpoint on loopback: each gets a short JSON 4xx, never a 500, and
nothing costly (parsing, a certificate download) happens before the cheap checks pass."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from typing import Any

import pytest

from tests.support import certauthority
from tests.support.alexarequest import (
    CHAIN_PATH,
    MALFORMED_SLOTS,
    NON_STRING_SLOTS,
    SLOTTED,
    envelope,
    signed_headers,
    with_slot,
)
from tests.support.loopback import FileServer, Reply, call, serving


@pytest.fixture(scope="module")
def port(make_app: Any) -> Iterator[int]:
    with serving(make_app()) as port:
        yield port


def refused(reply: Reply, status: int = 400) -> str:
    assert reply.status == status, reply.body
    assert reply.headers["content-type"] == "application/json"
    assert b"Traceback" not in reply.body
    return str(reply.json()["error"])


def edited(edit: Any) -> bytes:
    data = json.loads(envelope())
    edit(data)
    return json.dumps(data).encode()


def nested(depth: int) -> Any:
    value: Any = "x"
    for _ in range(depth):
        value = {"a": value}
    return value


SIGNED_BUT_BROKEN = {
    "attributes nested 900 deep": lambda d: d["session"].update(attributes=nested(900)),
    "timestamp offset +99:00": lambda d: d["request"].update(timestamp="2026-01-01T00:00:00+99:00"),
    "intent null": lambda d: d["request"].update(type="IntentRequest", intent=None),
    "intent without a name": lambda d: d["request"].update(type="IntentRequest", intent={"slots": {}}),
}


@pytest.mark.parametrize("case", SIGNED_BUT_BROKEN, ids=list(SIGNED_BUT_BROKEN))
def test_a_signed_but_broken_envelope_is_a_400(port: int, test_chain: certauthority.SigningChain,
                                               case: str) -> None:
    body = edited(SIGNED_BUT_BROKEN[case])
    refused(call(port, body=body, headers=signed_headers(body, test_chain)))


def test_a_huge_timestamp_is_refused_before_any_parser_or_download(
    port: int, test_chain: certauthority.SigningChain, cert_host: FileServer
) -> None:
    before = cert_host.hits.count(CHAIN_PATH)
    body = edited(lambda d: d["request"].update(timestamp="2" * 60000))
    reason = refused(call(port, body=body, headers=signed_headers(body, test_chain, url="https://s3.amazonaws.com/echo.api/other.pem")))
    assert "timestamp" in reason
    assert cert_host.hits.count(CHAIN_PATH) == before


def test_an_old_unsigned_request_costs_no_download(port: int, cert_host: FileServer) -> None:
    hits = len(cert_host.hits)
    body = edited(lambda d: d["request"].update(timestamp="2020-01-01T00:00:00Z"))
    headers = {"Content-Type": "application/json", "Signature-256": "AAAA",
               "SignatureCertChainUrl": "https://s3.amazonaws.com/echo.api/never.pem"}
    assert "old" in refused(call(port, body=body, headers=headers))
    assert len(cert_host.hits) == hits


def _raw(port: int, data: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(data)
        sock.shutdown(socket.SHUT_WR)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_a_malformed_chunked_body_is_a_400(port: int) -> None:
    reply = _raw(port, b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                       b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n{}\r\n0\r\n\r\n")
    status = int(reply.split(b" ", 2)[1])
    assert 400 <= status < 500 and b"Traceback" not in reply


def test_a_chunked_body_over_the_limit_is_a_413(port: int) -> None:
    size = 70 * 1024
    reply = _raw(port, b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                       b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                       + f"{size:x}\r\n".encode() + b"x" * size + b"\r\n0\r\n\r\n")
    assert int(reply.split(b" ", 2)[1]) == 413 and b"Traceback" not in reply


def test_a_huge_slot_value_is_not_echoed_whole(port: int, test_chain: certauthority.SigningChain) -> None:
    def huge_slot(data: dict[str, Any]) -> None:
        data["request"].update(type="IntentRequest", intent={
            "name": "TopicIntent", "confirmationStatus": "NONE",
            "slots": {"topic": {"name": "topic", "value": "elbow " * 8000, "confirmationStatus": "NONE"}}})

    body = edited(huge_slot)
    reply = call(port, body=body, headers=signed_headers(body, test_chain))
    assert reply.status == 200, reply.body
    assert len(reply.json()["response"]["outputSpeech"]["ssml"]) < 8000


@pytest.mark.parametrize(("kind", "intent", "slot_name"), SLOTTED, ids=[f"{k} {i}" for k, i, _ in SLOTTED])
@pytest.mark.parametrize("case", MALFORMED_SLOTS, ids=list(MALFORMED_SLOTS))
def test_a_malformed_slot_is_a_400(port: int, test_chain: certauthority.SigningChain, kind: str,
                                   intent: str, slot_name: str, case: str) -> None:
    body = json.dumps(with_slot(kind, intent, slot_name, MALFORMED_SLOTS[case])).encode()
    assert refused(call(port, body=body, headers=signed_headers(body, test_chain))).startswith("slot")


@pytest.mark.parametrize(("kind", "intent", "slot_name"), SLOTTED, ids=[f"{k} {i}" for k, i, _ in SLOTTED])
@pytest.mark.parametrize("case", NON_STRING_SLOTS, ids=list(NON_STRING_SLOTS))
def test_a_slot_value_that_is_not_a_string_is_a_400(port: int, test_chain: certauthority.SigningChain,
                                                    kind: str, intent: str, slot_name: str,
                                                    case: str) -> None:
    body = json.dumps(with_slot(kind, intent, slot_name, NON_STRING_SLOTS[case])).encode()
    reason = refused(call(port, body=body, headers=signed_headers(body, test_chain)))
    assert reason == "slot value is not a string"


#: Content headers a signed envelope may come with: Amazon's own, and what other tools send.
MEDIA_TYPES = {
    "Amazon's": ({"Content-Type": "application/json; charset=utf-8"}, 200),
    "ASK CLI's and Bespoken's": ({"Content-Type": "application/json"}, 200),
    "upper case, charset quoted": ({"Content-Type": 'Application/JSON; charset="UTF-8"'}, 200),
    "Content-Encoding identity": ({"Content-Type": "application/json", "Content-Encoding": "identity"}, 200),
    "none": ({}, 415),
    "curl -d's form": ({"Content-Type": "application/x-www-form-urlencoded"}, 415),
    "text": ({"Content-Type": "text/plain"}, 415),
    "multipart": ({"Content-Type": "multipart/form-data; boundary=x"}, 415),
    "another charset": ({"Content-Type": "application/json; charset=latin-1"}, 415),
    "gzip on a plain body": ({"Content-Type": "application/json", "Content-Encoding": "gzip"}, 415),
}


@pytest.mark.parametrize("case", MEDIA_TYPES, ids=list(MEDIA_TYPES))
def test_only_a_json_body_is_taken(port: int, test_chain: certauthority.SigningChain, case: str) -> None:
    headers, expected = MEDIA_TYPES[case]
    body = envelope()
    signed = {k: v for k, v in signed_headers(body, test_chain).items() if k != "Content-Type"}
    reply = call(port, body=body, headers={**signed, **headers})
    if expected == 200:
        assert reply.status == 200, reply.body
    else:
        assert refused(reply, 415).startswith("send the envelope")
