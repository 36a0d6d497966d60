"""The core imports no door: no Flask, no audio, no argparse, no simulator. Proved in a fresh interpreter."""

from __future__ import annotations

import json
import subprocess
import sys

FORBIDDEN = ("flask", "werkzeug", "flask_ask_sdk", "gunicorn", "cryptography", "pyttsx3",
             "pocketsphinx", "argparse", "skill.cli", "skill.simulator", "skill.alexa", "skill.voice",
             "skill.authoring")

PROGRAM = """
import json, sys
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope
from skill.core.assembly import get_skill
envelope = {
    "version": "1.0",
    "session": {"new": True, "sessionId": "amzn1.echo-api.session.1",
                "application": {"applicationId": "amzn1.ask.skill.x"}, "user": {"userId": "u"}},
    "context": {"System": {"application": {"applicationId": "amzn1.ask.skill.x"},
                           "user": {"userId": "u"}, "device": {"deviceId": "d"}}},
    "request": {"type": "LaunchRequest", "requestId": "r", "timestamp": "2026-01-01T00:00:00Z",
                "locale": "en-US"},
}
serializer = DefaultSerializer()
request = serializer.deserialize(json.dumps(envelope), RequestEnvelope)
response = serializer.serialize(get_skill().invoke(request_envelope=request, context=None))
print(json.dumps({"speech": response["response"]["outputSpeech"]["ssml"],
                  "modules": sorted(sys.modules)}))
"""


def test_the_core_answers_without_importing_any_door() -> None:
    result = subprocess.run([sys.executable, "-I", "-c", PROGRAM], capture_output=True, text=True,
                            timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert "Welcome" in out["speech"]
    loaded = [m for m in out["modules"] if any(m == f or m.startswith(f + ".") for f in FORBIDDEN)]
    assert loaded == []


def test_a_cold_start_reads_the_compiled_content_without_a_yaml_parser() -> None:
    result = subprocess.run([sys.executable, "-I", "-c", PROGRAM], capture_output=True, text=True,
                            timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert not [m for m in json.loads(result.stdout)["modules"] if m == "yaml" or m.startswith("yaml.")]
