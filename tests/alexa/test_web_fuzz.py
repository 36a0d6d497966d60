"""Fuzzing the endpoint (verification off): malformed and truncated envelopes never give a 5xx."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skill.simulator.interpretation import Interpretation
from tests.support.alexarequest import TEST_SKILL_ID, asking, envelope

FUZZ = settings(max_examples=1000, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow])

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner,
                                                                max_size=4),
    max_leaves=12,
)
SEEDS = [
    envelope(),
    envelope(asking("stress")),
    envelope(Interpretation("AMAZON.StopIntent")),
]


@pytest.fixture(scope="module")
def client(make_app: Any) -> Any:
    return make_app(LEGTWITCH_VERIFY=False, LEGTWITCH_DEV=True).test_client()


def check(client: Any, body: bytes) -> None:
    reply = client.post("/", data=body, headers={"Content-Type": "application/json"})
    assert reply.status_code in (200, 400), (reply.status_code, body[:300])
    assert b"Traceback" not in reply.data
    data = json.loads(reply.data)
    if reply.status_code == 200:
        assert data["version"] == "1.0" and "response" in data
    else:
        assert set(data) == {"error"}


def paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every key path into a JSON document."""
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += paths(value, (*prefix, index))
    return found


def replaced(doc: Any, path: tuple[Any, ...], value: Any, delete: bool) -> Any:
    if not path:
        return value
    copy = dict(doc) if isinstance(doc, dict) else list(doc)
    head, rest = path[0], path[1:]
    if delete and not rest:
        del copy[head]
    else:
        copy[head] = replaced(copy[head], rest, value, delete)
    return copy


@FUZZ
@given(seed=st.sampled_from(SEEDS), cut=st.floats(0, 1, exclude_max=True))
def test_truncated_envelopes(client: Any, seed: bytes, cut: float) -> None:
    check(client, seed[: int(len(seed) * cut)])


@FUZZ
@given(data=st.data(), seed=st.sampled_from(SEEDS), value=JSON, delete=st.booleans())
def test_mutated_envelopes(client: Any, data: st.DataObject, seed: bytes, value: Any,
                           delete: bool) -> None:
    doc = json.loads(seed)
    path = data.draw(st.sampled_from(paths(doc)[1:]))
    check(client, json.dumps(replaced(doc, path, value, delete)).encode())


@settings(FUZZ, max_examples=500)
@given(body=st.binary(max_size=300) | JSON.map(lambda v: json.dumps(v).encode()))
def test_arbitrary_bodies(client: Any, body: bytes) -> None:
    check(client, body)


@settings(FUZZ, max_examples=500)
@given(request=st.dictionaries(
    st.sampled_from(["type", "requestId", "timestamp", "locale", "intent", "reason", "error"]),
    JSON, max_size=6,
))
def test_arbitrary_requests_in_a_valid_envelope(client: Any, request: dict[str, Any]) -> None:
    doc = json.loads(SEEDS[0])
    doc["request"] = request
    doc["context"]["System"]["application"]["applicationId"] = TEST_SKILL_ID
    check(client, json.dumps(doc).encode())
