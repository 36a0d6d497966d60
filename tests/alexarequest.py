"""Alexa request envelopes for web tests, built with ask_sdk_model and signed like Amazon's."""

from __future__ import annotations

import datetime as dt
import json
import uuid

from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import (
    Application,
    Context,
    IntentRequest,
    LaunchRequest,
    RequestEnvelope,
    Session,
    Slot,
    User,
)
from ask_sdk_model.intent import Intent
from ask_sdk_model.interfaces.system import SystemState

from tests.certauthority import SigningChain

TEST_SKILL_ID = "amzn1.ask.skill.11111111-2222-4333-8444-555555555555"
CHAIN_PATH = "/echo.api/echo-api-cert.pem"
CHAIN_URL = f"https://s3.amazonaws.com{CHAIN_PATH}"


def envelope(
    request: str = "LaunchRequest",
    skill_id: str = TEST_SKILL_ID,
    timestamp: dt.datetime | None = None,
    intent: str = "AMAZON.HelpIntent",
    slots: dict[str, str] | None = None,
) -> bytes:
    """A serialized request envelope, as the Alexa service would send it."""
    stamp = (timestamp or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    rid = f"amzn1.echo-api.request.{uuid.uuid4()}"
    if request == "LaunchRequest":
        req = LaunchRequest(request_id=rid, timestamp=stamp, locale="en-US")
    else:
        req = IntentRequest(request_id=rid, timestamp=stamp, locale="en-US",
                            dialog_state=None, intent=Intent(name=intent, slots={
                                name: Slot(name=name, value=value)
                                for name, value in (slots or {}).items()}))
    app, user = Application(application_id=skill_id), User(user_id="amzn1.ask.account.TEST")
    env = RequestEnvelope(
        version="1.0",
        session=Session(new=request == "LaunchRequest", session_id=f"amzn1.echo-api.session.{rid}",
                        application=app, user=user, attributes={}),
        context=Context(system=SystemState(application=app, user=user)),
        request=req,
    )
    return json.dumps(DefaultSerializer().serialize(env)).encode("utf-8")


def signed_headers(body: bytes, chain: SigningChain, url: str = CHAIN_URL) -> dict[str, str]:
    """The headers Amazon sends with `body`: content type, chain URL and Signature-256."""
    return {
        "Content-Type": "application/json",
        "SignatureCertChainUrl": url,
        "Signature-256": chain.sign(body),
    }
