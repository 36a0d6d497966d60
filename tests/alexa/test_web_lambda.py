"""The AWS Lambda entry point: a Lambda-style event and context in, a response envelope out."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from dataclasses import dataclass

import pytest

from skill.alexa.lambda_function import handler
from skill.errors import RequestError
from skill.simulator.interpretation import Interpretation
from tests.support.alexarequest import (
    MALFORMED_SLOTS,
    NON_STRING_SLOTS,
    SLOTTED,
    TEST_SKILL_ID,
    asking,
    envelope,
    with_slot,
)


@dataclass(frozen=True)
class LambdaContext:
    """The attributes of the context object the Lambda Python runtime passes."""

    function_name: str = "legtwitch"
    aws_request_id: str = "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"
    memory_limit_in_mb: int = 256

    def get_remaining_time_in_millis(self) -> int:
        return 3000


def event(said: Interpretation | None = None, skill_id: str = TEST_SKILL_ID) -> dict:
    return json.loads(envelope(said, skill_id))


def test_launch_is_answered() -> None:
    reply = handler(event(), LambdaContext())
    assert reply["version"] == "1.0"
    assert reply["response"]["outputSpeech"]["ssml"].startswith("<speak>")
    assert reply["sessionAttributes"]["last_speech"]


def test_topic_question_is_answered() -> None:
    reply = handler(event(asking("stress")), LambdaContext())
    assert reply["sessionAttributes"]["last_topic"] == "stress"


def test_skill_id_is_checked_when_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEGTWITCH_SKILL_ID", TEST_SKILL_ID)
    assert handler(event(), LambdaContext())["response"]
    with pytest.raises(RequestError, match="another skill"):
        handler(event(skill_id="amzn1.ask.skill.other"), LambdaContext())


@pytest.mark.parametrize("bad", [None, "text", [1], {}, {"request": {"type": "Nonsense"}}])
def test_bad_event_is_refused(bad: object) -> None:
    with pytest.raises(RequestError, match="not an Alexa request envelope"):
        handler(bad, LambdaContext())


def test_cold_start_imports_no_web_stack() -> None:
    """The Lambda handler must not pay for Flask, flask-ask-sdk or cryptography at cold start."""
    code = textwrap.dedent(
        f"""
        import json, sys
        from skill.alexa.lambda_function import handler
        reply = handler(json.loads({envelope().decode()!r}), None)
        assert reply["response"]["outputSpeech"]
        print(sorted(m for m in ("flask", "flask_ask_sdk", "werkzeug", "cryptography")
                     if m in sys.modules))
        """
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60, env={**os.environ, "LEGTWITCH_SKILL_ID": ""})
    assert (result.returncode, result.stdout.strip()) == (0, "[]"), result.stderr


def _intent_request(**request: object) -> dict:
    data = event(asking("stress"))
    data["request"] = {k: v for k, v in {**data["request"], **request}.items() if v != "-"}
    return data


@pytest.mark.parametrize("intent", ["-", None, {}, {"name": 5}, "TopicIntent"],
                         ids=["no intent", "intent null", "intent without a name", "a number as name",
                              "a string as intent"])
@pytest.mark.parametrize("kind", ["IntentRequest", "CanFulfillIntentRequest"])
def test_an_intent_request_without_an_intent_name_is_refused_as_the_endpoint_does(
    kind: str, intent: object, caplog: pytest.LogCaptureFixture
) -> None:
    with pytest.raises(RequestError, match="^intent request has no intent name$"):
        handler(_intent_request(type=kind, intent=intent), LambdaContext())
    assert not [record for record in caplog.records if record.exc_info]


@pytest.mark.parametrize(("kind", "intent", "slot_name"), SLOTTED, ids=[f"{k} {i}" for k, i, _ in SLOTTED])
@pytest.mark.parametrize("case", MALFORMED_SLOTS, ids=list(MALFORMED_SLOTS))
def test_a_malformed_slot_is_refused(kind: str, intent: str, slot_name: str, case: str) -> None:
    with pytest.raises(RequestError, match="^slot"):
        handler(with_slot(kind, intent, slot_name, MALFORMED_SLOTS[case]), LambdaContext())


@pytest.mark.parametrize(("kind", "intent", "slot_name"), SLOTTED, ids=[f"{k} {i}" for k, i, _ in SLOTTED])
@pytest.mark.parametrize("case", NON_STRING_SLOTS, ids=list(NON_STRING_SLOTS))
def test_a_slot_value_that_is_not_a_string_is_refused(kind: str, intent: str, slot_name: str,
                                                      case: str) -> None:
    with pytest.raises(RequestError, match="^slot value is not a string$"):
        handler(with_slot(kind, intent, slot_name, NON_STRING_SLOTS[case]), LambdaContext())
