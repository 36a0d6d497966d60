"""Shared fixtures: the skill, and real Alexa request envelopes (skill/envelope.py) sent through it."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope, ResponseEnvelope

from skill.core.assembly import build_skill
from skill.core.handlers import TOPIC_TYPE
from skill.simulator import envelope
from skill.simulator.envelope import LOCAL_SKILL_ID, Caller, SessionState
from skill.simulator.interpretation import Interpretation, SlotFill
from tests.support import certauthority
from tests.support.alexarequest import CHAIN_PATH, TEST_SKILL_ID
from tests.support.loopback import FileServer, file_server, serving

SERIALIZER = DefaultSerializer()


def wire_json(obj: object) -> dict[str, Any]:
    """An ask_sdk_model object as the JSON object it is on the wire."""
    data = SERIALIZER.serialize(obj)
    assert isinstance(data, dict), type(data)
    return data

#: Builds one request envelope for a caller, in a session or (None) outside any.
Request = Callable[[Caller, SessionState | None], RequestEnvelope]


def intent(name: str, **slots: str | SlotFill) -> Request:
    """An IntentRequest; a slot given as a str is the words heard only, with no entity resolution
    (then no slot of the request carries one); a SlotFill is sent as Alexa resolves it."""
    fills = tuple(
        SlotFill(slot, TOPIC_TYPE, value) if isinstance(value, str) else value
        for slot, value in slots.items()
    )
    resolutions = not any(isinstance(value, str) for value in slots.values())
    return partial(envelope.intent, interpretation=Interpretation(name, fills),
                   resolutions=resolutions)


def resolved_slot(name: str, value: str, topic_id: str | None) -> SlotFill:
    """A slot as Alexa resolves it: a match with an id, or (None) no match."""
    return SlotFill(name, TOPIC_TYPE, value, topic_id, value if topic_id else None)


def empty_slot(name: str) -> SlotFill:
    """A slot the user did not fill: its name and no value."""
    return SlotFill(name, TOPIC_TYPE)


class Conversation:
    """Sends envelopes through a Skill, carrying session attributes from turn to turn."""

    def __init__(self, skill: Any, locale: str = envelope.LOCALE) -> None:
        self.skill = skill
        self.caller = Caller(LOCAL_SKILL_ID, locale=locale)
        self.session_id = SessionState.start().session_id
        self.attributes: Any = None

    def send(self, request: Request, session: bool = True) -> dict[str, Any]:
        state = SessionState(self.session_id, new=self.attributes is None) if session else None
        # Over the wire and back, as Alexa would send it.
        wire = json.dumps(SERIALIZER.serialize(request(self.caller, state)))
        request_envelope = SERIALIZER.deserialize(wire, RequestEnvelope)
        if session:
            # Set after parsing, so that attributes no JSON envelope could carry reach the skill.
            request_envelope.session.attributes = self.attributes
        response = self.skill.invoke(request_envelope=request_envelope, context=None)
        assert isinstance(response, ResponseEnvelope)
        data = wire_json(response)
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


# Text simulator: the real endpoint on loopback serving the same Skill. -----------------


@pytest.fixture(scope="session")
def endpoint(skill: Any) -> Iterator[str]:
    """The URL of the real endpoint (skill.alexa.app.create_app) on loopback with verification off and
    no application id set, as `LEGTWITCH_VERIFY=false legtwitch serve --dev` serves it."""
    from skill.alexa.app import create_app

    app = create_app({"LEGTWITCH_VERIFY": False, "LEGTWITCH_DEV": True, "LEGTWITCH_SKILL_ID": None,
                      "LEGTWITCH_SKILL": skill})
    with serving(app) as port:
        yield f"http://127.0.0.1:{port}/"


# --- web: test CA, certificate host on loopback, app factory --------------------------

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
def web_config(roots_file: Path, cert_host: FileServer, skill: Any) -> dict[str, Any]:
    """create_app config: test roots, chains from `cert_host` (1 s timeout), the test skill id."""
    from tests.support.webapps import chain_downloads

    return {
        "LEGTWITCH_TRUST_ROOTS": str(roots_file),
        "LEGTWITCH_SKILL_ID": TEST_SKILL_ID,
        "LEGTWITCH_DOWNLOAD": chain_downloads(cert_host.base),
        "LEGTWITCH_SKILL": skill,
    }


@pytest.fixture(scope="session")
def make_app(web_config: dict[str, Any]) -> Callable[..., Any]:
    """create_app with the web test config, overridden by keyword settings."""
    from skill.alexa.app import create_app

    def make(**overrides: Any) -> Any:
        return create_app({**web_config, **overrides})

    return make


# Spoken mode: one real eSpeak NG speaker and one real pocketsphinx listener per run.


@pytest.fixture(scope="session")
def speaker() -> Any:
    from skill.voice.speaker import Speaker, VoiceSettings

    return Speaker(VoiceSettings(voice="en-us+f2"), player=None)


@pytest.fixture(scope="session")
def listener() -> Any:
    from skill.voice.listener import Listener

    return Listener()


@pytest.fixture
def no_sound_device(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """This process sees a machine without sound, as CI is, whatever the host has: no ALSA
    device nodes, no PulseAudio/PipeWire server, no LEGTWITCH_PLAYER or LEGTWITCH_RECORDER."""
    from skill import settings
    from skill.voice import audio

    empty = tmp_path_factory.mktemp("no-sound")
    for name in (settings.PLAYER.name, settings.RECORDER.name, "PULSE_SERVER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(empty))
    monkeypatch.setattr(audio, "SOUND_DEVICES", empty)
