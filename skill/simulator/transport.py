"""Where the simulator's request envelopes go: the skill in this process, or an endpoint over HTTP."""

from __future__ import annotations

import http.client
import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Protocol

from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_core.skill import CustomSkill
from ask_sdk_model import RequestEnvelope, ResponseEnvelope

from skill.errors import TransportError

HTTP_TIMEOUT = 10.0
MAX_REPLY = 1024 * 1024  # bytes: Alexa allows a response envelope of 24 KB of text
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
    """A running endpoint (legtwitch serve, or any Alexa HTTPS endpoint): POSTs the envelope.

    Whatever comes back (not HTTP, cut short, huge, not UTF-8, JSON that is no response
    envelope) is a TransportError of one line."""

    def __init__(self, url: str, timeout: float = HTTP_TIMEOUT) -> None:
        self.url, self.timeout = url, timeout
        problem = _url_problem(url)
        if problem:
            raise TransportError(f"--url {url!r} {problem}: give a full URL, e.g. "
                                 "http://127.0.0.1:8080/")

    def send(self, request: RequestEnvelope) -> ResponseEnvelope:
        body = json.dumps(_serializer.serialize(request)).encode("utf-8")
        req = urllib.request.Request(
            self.url, data=body, method="POST",
            headers={"Content-Type": "application/json; charset=utf-8", "Accept": "application/json"},
        )  # fmt: skip
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as reply:
                raw = reply.read(MAX_REPLY + 1)
                missing = getattr(reply, "length", None)  # what Content-Length promised, unread
                if missing and len(raw) <= MAX_REPLY:
                    raise http.client.IncompleteRead(raw, missing)
        except urllib.error.HTTPError as exc:
            try:
                detail = exc.read(200).decode("utf-8", "replace").strip()
            except (OSError, http.client.HTTPException):
                detail = ""
            raise TransportError(
                f"{self.url} answered HTTP {exc.code} {_printable(str(exc.reason))}"
                + (f": {_printable(detail)}" if detail else "")
                + ". If it checks Alexa signatures, run it with verification off for local tests"
            ) from exc
        except (http.client.HTTPException, ValueError) as exc:  # a reply, but not a readable one
            raise TransportError(
                f"{self.url} gave no readable HTTP reply ({_http_problem(exc)}): check that the "
                "URL is the skill's endpoint"
            ) from exc
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise TransportError(
                f"cannot reach {self.url} ({reason}): start the endpoint (legtwitch serve) "
                "or check the URL"
            ) from exc
        if len(raw) > MAX_REPLY:
            raise TransportError(f"{self.url} answered with over {MAX_REPLY:,} bytes: an Alexa "
                                 "response envelope is far smaller; check the URL")
        try:
            text = raw.decode("utf-8")
            document = json.loads(text)
        except ValueError:  # not UTF-8 or not JSON
            document = None
        if not isinstance(document, dict) or not isinstance(document.get("response"), dict):
            raise self._not_an_envelope(raw)
        try:
            response = _serializer.deserialize(text, ResponseEnvelope)
        except Exception as exc:  # the SDK raises its own SerializationException or ValueError
            raise self._not_an_envelope(raw) from exc
        if not isinstance(response, ResponseEnvelope):
            raise self._not_an_envelope(raw)
        return response

    def _not_an_envelope(self, raw: bytes) -> TransportError:
        return TransportError(
            f"{self.url} did not answer with an Alexa response envelope (a JSON object with "
            f"\"response\"): {_printable(raw[:120].decode('utf-8', 'replace'))!r}; check the URL"
        )


def _url_problem(url: str) -> str | None:
    """What is wrong with `url` as an endpoint's address, or None."""
    if any(ch.isspace() or not ch.isprintable() for ch in url):
        return "contains a space or control character"
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 - a bad port raises here
    except ValueError as exc:
        return f"is not a valid URL ({exc})"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "is not an http:// or https:// URL with a host"
    return None


def _http_problem(exc: Exception) -> str:
    """A short reason for an HTTP reply that could not be read."""
    if isinstance(exc, http.client.IncompleteRead):
        return "the reply was cut short"
    if isinstance(exc, http.client.LineTooLong):
        return "the reply has a header line that is too long"
    if isinstance(exc, http.client.RemoteDisconnected):
        return "it closed the connection without a reply"
    if isinstance(exc, http.client.BadStatusLine):
        return "the reply is not HTTP"
    return _printable(str(exc))[:120] or type(exc).__name__


def _printable(text: str) -> str:
    """`text` on one line, its control characters shown as spaces."""
    return "".join(ch if ch.isprintable() else " " for ch in text)
