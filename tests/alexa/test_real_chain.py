"""Amazon's real echo-api signing chains (public data in ../shared/fixtures/alexa-real, see its
PROVENANCE.txt), validated against this machine's trust store with the clock pinned."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from skill.alexa.signature import SignatureVerifier, trust_store
from skill.errors import VerificationError

FIXTURES = Path(__file__).resolve().parents[2].parent / "shared" / "fixtures" / "alexa-real"
CHAIN_2023 = FIXTURES / "mreinstein-alexa-verifier" / "echo-api-cert-12.pem"


@pytest.fixture(scope="module")
def chain_2023() -> bytes:
    if not CHAIN_2023.is_file():
        pytest.skip(f"Amazon's real chain is not at {FIXTURES}: put shared/fixtures beside the checkout")
    return CHAIN_2023.read_bytes()


def at(day: dt.date) -> float:
    return dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.UTC).timestamp()


def test_amazons_2023_chain_validates_against_the_system_roots_in_2023(chain_2023: bytes) -> None:
    verifier = SignatureVerifier(trust_store())
    key = verifier.validate(chain_2023, at(dt.date(2023, 6, 1)))
    assert key.key.key_size == 2048
    assert dt.datetime.fromtimestamp(key.expires, dt.UTC).date() == dt.date(2023, 12, 23)


def test_amazons_2023_chain_is_refused_today_saying_which_certificate_expired(chain_2023: bytes) -> None:
    verifier = SignatureVerifier(trust_store())
    with pytest.raises(VerificationError) as refused:
        verifier.validate(chain_2023, dt.datetime.now(dt.UTC).timestamp())
    assert str(refused.value) == "certificate CN=echo-api.amazon.com expired on 2023-12-23"
