"""CanFulfillIntentRequest over HTTP on loopback: through the simulator, and signed as Amazon sends it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from ask_sdk_core.serialize import DefaultSerializer

from skill.simulator import envelope
from skill.simulator.envelope import Caller, SessionState
from skill.simulator.simulator import Simulator
from skill.simulator.transport import HttpTransport
from tests.support import certauthority
from tests.support.alexarequest import TEST_SKILL_ID, asking, signed_headers
from tests.support.loopback import call, serving

SAID = {
    "why does my leg twitch at night": "YES",
    "could my leg twitching be a sign of ALS": "NO",
    "what stops a calf cramp": "NO",
    "order a pizza": "NO",
}


@pytest.mark.parametrize("said", SAID)
def test_the_simulator_asks_a_running_endpoint(endpoint: str, said: str) -> None:
    judgement = Simulator(HttpTransport(endpoint)).can_fulfill(said)
    assert judgement.verdict == SAID[said]
    assert set(judgement.response["response"]) == {"canFulfillIntent"}


@pytest.fixture(scope="module")
def port(make_app: Any) -> Iterator[int]:
    with serving(make_app()) as port:
        yield port


def body(topic: str) -> bytes:
    request = envelope.can_fulfill(Caller(TEST_SKILL_ID), SessionState.start(), asking(topic),
                                   resolutions=False)
    return json.dumps(DefaultSerializer().serialize(request)).encode("utf-8")


@pytest.mark.parametrize(("topic", "verdict"), [("caffeine", "YES"), ("the weather", "NO")])
def test_a_signed_request_is_judged(port: int, test_chain: certauthority.SigningChain, topic: str,
                                    verdict: str) -> None:
    sent = body(topic)
    reply = call(port, body=sent, headers=signed_headers(sent, test_chain))
    assert reply.status == 200, reply.body
    answer = reply.json()["response"]["canFulfillIntent"]
    assert answer["canFulfill"] == verdict
    assert answer["slots"]["topic"]["canFulfill"] == verdict


def test_a_request_without_an_intent_name_is_refused(port: int,
                                                     test_chain: certauthority.SigningChain) -> None:
    data = json.loads(body("caffeine"))
    del data["request"]["intent"]["name"]
    sent = json.dumps(data).encode("utf-8")
    reply = call(port, body=sent, headers=signed_headers(sent, test_chain))
    assert (reply.status, reply.json()) == (400, {"error": "intent request has no intent name"})
