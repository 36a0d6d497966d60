"""Where the simulator's request envelopes go: the skill in this process, or an endpoint over HTTP."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Protocol

from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_core.skill import CustomSkill
from ask_sdk_model import RequestEnvelope, ResponseEnvelope

from skill.errors import TransportError

HTTP_TIMEOUT = 10.0
_serializer = DefaultSerializer()


class Transport(Protocol):
    """Sends one request envelope and returns the skill's response envelope."""

    def send(self, request: RequestEnvelope) -> ResponseEnvelope: ...


class LocalTransport:
    """A Skill invoked directly: by default the process-wide one (skill.core.assembly.get_skill)."""

    def __init__(self, skill: CustomSkill | None = None) -> None:
        if skill is None:
            from skill.core.assembly import get_skill

            skill = get_skill()
        self.skill = skill

    def send(self, request: RequestEnvelope) -> ResponseEnvelope:
        return self.skill.invoke(request_envelope=request, context=None)


class HttpTransport:
    """A running endpoint (legtwitch serve, or any Alexa HTTPS endpoint): POSTs the envelope."""

    def __init__(self, url: str, timeout: float = HTTP_TIMEOUT) -> None:
        if not url.startswith(("http://", "https://")):
            raise TransportError(f"--url {url!r}: give a full URL, e.g. http://127.0.0.1:8000/")
        self.url, self.timeout = url, timeout

    def send(self, request: RequestEnvelope) -> ResponseEnvelope:
        body = json.dumps(_serializer.serialize(request)).encode("utf-8")
        req = urllib.request.Request(
            self.url, data=body, method="POST",
            headers={"Content-Type": "application/json; charset=utf-8", "Accept": "application/json"},
        )  # fmt: skip
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as reply:
                text = reply.read().decode("utf-8")
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace").strip()[:200]
            raise TransportError(
                f"{self.url} answered HTTP {exc.code} {exc.reason}"
                + (f": {detail}" if detail else "")
                + ". If it checks Alexa signatures, run it with verification off for local tests"
            ) from exc
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise TransportError(
                f"cannot reach {self.url} ({reason}): start the endpoint (legtwitch serve) "
                "or check the URL"
            ) from exc
        try:
            response = _serializer.deserialize(text, ResponseEnvelope)
        except Exception as exc:  # the SDK raises its own SerializationException or ValueError
            raise TransportError(
                f"{self.url} did not answer with an Alexa response envelope: {text[:120]!r}"
            ) from exc
        if not isinstance(response, ResponseEnvelope):
            raise TransportError(
                f"{self.url} did not answer with an Alexa response envelope: {text[:120]!r}"
            )
        return response
