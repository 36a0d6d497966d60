"""The endpoint's gate: cheap checks on the raw request, in order of cost, before anything costly.

Nothing here parses more than it must: the body's nesting is counted before JSON is read, the
timestamp must be a short strict ISO 8601 string before any date parser sees it, and the
signature is checked on the raw bytes before the SDK deserializes the envelope.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from skill.alexa.request_checks import TIMESTAMP_TOLERANCE_S, Clock, check_request, envelope_request
from skill.alexa.signature import (
    CHAIN_URL_HEADER,
    SIGNATURE_HEADER,
    SignatureVerifier,
    chain_url,
    header,
)
from skill.errors import MediaTypeError, RequestError, VerificationError

#: Deepest JSON nesting accepted; a real envelope is about 6 deep, session attributes add little.
MAX_DEPTH = 32
#: Alexa's timestamps: 2026-11-22T15:30:00Z, optionally with fractions or an offset.
TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?(?:Z|[+-]\d{2}:\d{2})")
MAX_OFFSET = timedelta(hours=14)


#: The media type of every Alexa request (Amazon sends `application/json; charset=utf-8`; so do the
#: ASK CLI, Bespoken and `legtwitch ask --url`).
JSON_TYPE = "application/json"
UTF8 = ("utf-8", "utf8")


def check_media_type(headers: Mapping[str, str]) -> None:
    """Refuse (MediaTypeError, 415) a body not sent as Alexa sends it: a Content-Type other than
    application/json (a charset, if named, UTF-8), none at all (`curl -d` sends a form's), or a
    Content-Encoding (a gzip header on a plain body would be read as JSON regardless)."""
    media, *params = (header(headers, "Content-Type") or "").split(";")
    charsets = [value.strip().strip('"').lower() for name, _, value in
                (param.partition("=") for param in params) if name.strip().lower() == "charset"]
    if media.strip().lower() != JSON_TYPE or any(charset not in UTF8 for charset in charsets):
        raise MediaTypeError(f"send the envelope as Content-Type: {JSON_TYPE}")
    encoding = (header(headers, "Content-Encoding") or "identity").strip().lower()
    if encoding != "identity":
        raise MediaTypeError("send the envelope without a Content-Encoding")


def nesting(text: str) -> int:
    """How deep `text`'s JSON arrays and objects nest (brackets inside strings not counted)."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def parse_timestamp(value: object) -> datetime:
    """A request timestamp, refused unless it is a short strict ISO 8601 string with a real offset."""
    if not isinstance(value, str) or len(value) > 40 or not TIMESTAMP.fullmatch(value):
        raise VerificationError("request timestamp is not an ISO 8601 time such as 2026-01-01T00:00:00Z")
    try:
        stamp = datetime.fromisoformat(value)
    except ValueError as exc:
        raise VerificationError("request timestamp is not a real date and time") from exc
    offset = stamp.utcoffset()
    if offset is None or abs(offset) > MAX_OFFSET:
        raise VerificationError("request timestamp has an impossible UTC offset")
    return stamp


@dataclass(frozen=True)
class Gate:
    """Admits a raw request body: the signature (when verifying) and the envelope's shape.

    signature: None only on the development server with verification off; then the timestamp's
    shape is still checked (the SDK's parser must never see a malformed one), not its window.
    """

    signature: SignatureVerifier | None
    clock: Clock
    tolerance: float = TIMESTAMP_TOLERANCE_S

    def admit(self, headers: Mapping[str, str], raw: bytes) -> str:
        """The body as text, if the request may go on to the skill; RequestError (400) if not."""
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise RequestError("body is not UTF-8") from exc
        if nesting(text) > MAX_DEPTH:
            raise RequestError(f"body nests deeper than {MAX_DEPTH} levels")
        try:
            body = json.loads(text)
        except ValueError as exc:
            raise RequestError("body is not a JSON Alexa request envelope") from exc
        request = envelope_request(body)
        stamp = parse_timestamp(request.get("timestamp"))
        if self.signature is not None:
            self._check_window(stamp)
            url, signature = header(headers, CHAIN_URL_HEADER), header(headers, SIGNATURE_HEADER)
            if not url or not signature:
                missing = CHAIN_URL_HEADER if not url else SIGNATURE_HEADER
                raise VerificationError(f"missing {missing} header")
            chain_url(url)  # its rules, before anything is downloaded
            self.signature.decode_signature(signature)
            self.signature.verify(headers, text, None)
        check_request(request)
        return text

    def _check_window(self, stamp: datetime) -> None:
        skew = self.clock() - stamp.timestamp()
        if skew > self.tolerance:
            raise VerificationError(f"request timestamp is {skew:.0f} s old (limit {self.tolerance:g} s)")
        if -skew > self.tolerance:
            raise VerificationError(f"request timestamp is {-skew:.0f} s in the future")

