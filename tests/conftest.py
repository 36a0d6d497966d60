"""Shared fixtures: the skill, and real Alexa request envelopes sent through it."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope, ResponseEnvelope

from skill.core import SKILL_ID, build_skill
from tests import certauthority
from tests.alexarequest import CHAIN_PATH, TEST_SKILL_ID
from tests.loopback import FileServer, file_server

SERIALIZER = DefaultSerializer()


def envelope(request: dict[str, Any], attributes: Any = None, new: bool = False) -> dict[str, Any]:
    """A request envelope as Alexa sends it, around `request`."""
    application = {"applicationId": SKILL_ID}
    user = {"userId": "amzn1.ask.account.TEST"}
    return {
        "version": "1.0",
        "session": {"new": new, "sessionId": "amzn1.echo-api.session.TEST",
                    "application": application, "user": user,
                    "attributes": {} if attributes is None else attributes},
        "context": {"System": {"application": application, "user": user,
                               "device": {"deviceId": "amzn1.ask.device.TEST",
                                          "supportedInterfaces": {}},
                               "apiEndpoint": "https://api.amazonalexa.com"}},
        "request": {"requestId": f"amzn1.echo-api.request.{uuid.uuid4()}", "locale": "en-US",
                    "timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                    **request},
    }


def intent(name: str, **slots: str | dict[str, Any]) -> dict[str, Any]:
    """An IntentRequest; a slot given as a str is a spoken value with no entity resolution."""
    return {"type": "IntentRequest", "dialogState": "COMPLETED",
            "intent": {"name": name, "confirmationStatus": "NONE",
                       "slots": {k: v if isinstance(v, dict) else {"name": k, "value": v,
                                                                   "confirmationStatus": "NONE"}
                                 for k, v in slots.items()}}}


def resolved_slot(name: str, value: str, topic_id: str | None) -> dict[str, Any]:
    """A slot with entity resolution as Alexa sends it: a match with an id, or no match."""
    authority = "amzn1.er-authority.echo-sdk.SKILL.TOPIC"
    status = {"code": "ER_SUCCESS_MATCH" if topic_id else "ER_SUCCESS_NO_MATCH"}
    values = [{"value": {"name": value, "id": topic_id}}] if topic_id else []
    return {"name": name, "value": value, "confirmationStatus": "NONE",
            "resolutions": {"resolutionsPerAuthority": [
                {"authority": authority, "status": status, "values": values}]}}


class Conversation:
    """Sends envelopes through a Skill, carrying session attributes from turn to turn."""

    def __init__(self, skill: Any) -> None:
        self.skill = skill
        self.attributes: Any = None

    def send(self, request: dict[str, Any], session: bool = True) -> dict[str, Any]:
        data = envelope(request, None, new=self.attributes is None)
        if not session:
            del data["session"]
        request_envelope = SERIALIZER.deserialize(json.dumps(data), RequestEnvelope)
        if session:
            # Set after parsing, so that attributes no JSON envelope could carry reach the skill.
            request_envelope.session.attributes = self.attributes
        response = self.skill.invoke(request_envelope=request_envelope, context=None)
        assert isinstance(response, ResponseEnvelope)
        data = SERIALIZER.serialize(response)
        # What goes over the wire must read back as a ResponseEnvelope.
        SERIALIZER.deserialize(json.dumps(data), ResponseEnvelope)
        self.attributes = data.get("sessionAttributes")
        return data


@pytest.fixture(scope="session")
def skill() -> Any:
    return build_skill()


@pytest.fixture
def talk(skill: Any) -> Conversation:
    return Conversation(skill)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite tests/golden/ from what the skill says now (review the diff)")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


# Text simulator (issue 3): a real HTTP endpoint on loopback serving the same Skill. ------------


class _SkillEndpoint(BaseHTTPRequestHandler):
    """POST an Alexa request envelope as JSON, get the response envelope back (no signatures)."""

    skill: Any = None
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8")
        try:
            request_envelope = SERIALIZER.deserialize(body, RequestEnvelope)
        except Exception:  # the SDK raises several kinds for a bad body
            self._reply(400, b'{"error": "not a request envelope"}')
            return
        response = self.skill.invoke(request_envelope=request_envelope, context=None)
        self._reply(200, json.dumps(SERIALIZER.serialize(response)).encode("utf-8"))

    def _reply(self, status: int, data: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (http.server's naming)
        pass


@pytest.fixture(scope="session")
def endpoint(skill: Any) -> Iterator[str]:
    """The URL of a loopback HTTP server answering with the session's Skill."""
    handler = type("Endpoint", (_SkillEndpoint,), {"skill": skill})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


# --- web (issue 4): test CA, certificate host on loopback, app factory --------------------------

@pytest.fixture(scope="session")
def test_root() -> certauthority.Issuer:
    return certauthority.root()


@pytest.fixture(scope="session")
def test_chain(test_root: certauthority.Issuer) -> certauthority.SigningChain:
    return certauthority.signing_chain(test_root)


@pytest.fixture(scope="session")
def roots_file(test_root: certauthority.Issuer, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("roots") / "roots.pem"
    path.write_bytes(test_root.pem)
    return path


@pytest.fixture(scope="session")
def cert_host(test_chain: certauthority.SigningChain) -> Iterator[FileServer]:
    """A loopback HTTP server standing in for s3.amazonaws.com (paths kept as they are)."""
    with file_server() as server:
        server.files[CHAIN_PATH] = test_chain.pem
        yield server


@pytest.fixture(scope="session")
def served_skill() -> Any:
    return build_skill()


@pytest.fixture(scope="session")
def web_config(roots_file: Path, cert_host: FileServer, served_skill: Any) -> dict[str, Any]:
    """create_app config: test roots, chains from `cert_host` (1 s timeout), the test skill id."""
    from skill.verifier import ChainDownloader

    downloader = ChainDownloader(timeout=1.0)

    def download(url: str) -> bytes:
        return downloader(url.replace("https://s3.amazonaws.com", cert_host.base, 1))

    return {
        "LEGTWITCH_TRUST_ROOTS": str(roots_file),
        "LEGTWITCH_SKILL_ID": TEST_SKILL_ID,
        "LEGTWITCH_DOWNLOAD": download,
        "LEGTWITCH_SKILL": served_skill,
    }


@pytest.fixture(scope="session")
def make_app(web_config: dict[str, Any]) -> Callable[..., Any]:
    """create_app with the web test config, overridden by keyword settings."""
    from skill.web import create_app

    def make(**overrides: Any) -> Any:
        return create_app({**web_config, **overrides})

    return make
