"""The Alexa HTTPS endpoint: a Flask app on flask-ask-sdk's SkillAdapter with our verifiers.

`create_app(config=None)` builds it: `POST /` takes Alexa requests, `GET /health` says ok, and
`GET /privacy`, `GET /terms` and `GET /icons/NAME` serve the pages and icons the skill's store
listing links to (skill/alexa/pages.py). Its
settings are LEGTWITCH_SKILL_ID, LEGTWITCH_TRUST_ROOTS, LEGTWITCH_VERIFY, LEGTWITCH_MAX_BODY and
LEGTWITCH_LOG_LEVEL (docs/settings.md), read from the environment and overridden by `config`
under the same names. Code only: LEGTWITCH_DEV (bool, set by `serve --dev`), LEGTWITCH_SKILL (a
CustomSkill to serve instead of the shipped one), LEGTWITCH_DOWNLOAD (callable(url) -> bytes
fetching certificate chains).

Every refusal is JSON `{"error": reason}` with a log line: 400 (verification, bad body), 405
(method), 408 (a body not received in time), 413 (size), 415 (not application/json); an
unexpected failure is a logged 500 `{"error": "internal error"}`.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ask_sdk_core.exceptions import SerializationException
from ask_sdk_core.skill import CustomSkill
from flask import Flask, Response, current_app, jsonify, request
from werkzeug.exceptions import HTTPException, NotFound, RequestEntityTooLarge

from skill import settings
from skill.alexa.gate import Gate, check_media_type
from skill.alexa.oscrypto_fix import prepare_flask_ask_sdk
from skill.alexa.pages import HTML, PublicFiles, load_public_files
from skill.alexa.request_checks import ApplicationIdVerifier, EnvelopeVerifier
from skill.alexa.signature import SignatureVerifier, trust_store
from skill.errors import ConfigError, RequestError, RequestTimeout

prepare_flask_ask_sdk()  # before flask_ask_sdk: see skill/alexa/oscrypto_fix.py
from flask_ask_sdk.skill_adapter import (  # noqa: E402
    VERIFY_SIGNATURE_APP_CONFIG,
    VERIFY_TIMESTAMP_APP_CONFIG,
    SkillAdapter,
)

logger = logging.getLogger(__name__)

#: The endpoint's settings, each read from the environment unless `config` gives it.
ENV_SETTINGS: tuple[settings.Setting[Any], ...] = (
    settings.SKILL_ID, settings.TRUST_ROOTS, settings.VERIFY, settings.MAX_BODY, settings.LOG_LEVEL,
)
#: Settings only code can give (create_app's `config`), with their defaults.
CODE_DEFAULTS: dict[str, Any] = {"LEGTWITCH_DEV": False, "LEGTWITCH_SKILL": None,
                                 "LEGTWITCH_DOWNLOAD": None}


@dataclass(frozen=True)
class WebSettings:
    """The endpoint's settings, checked (docs/settings.md says what each does)."""

    skill_id: str | None
    trust_roots: str | None
    verify: bool
    max_body: int
    log_level: str
    dev: bool

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> WebSettings:
        def value(setting: settings.Setting[Any]) -> Any:
            given = config.get(setting.name)
            return setting.default if given is None or given == "" else setting.convert(given)

        dev = config.get("LEGTWITCH_DEV", False)
        web = cls(
            skill_id=value(settings.SKILL_ID),
            trust_roots=value(settings.TRUST_ROOTS),
            verify=value(settings.VERIFY),
            max_body=value(settings.MAX_BODY),
            log_level=value(settings.LOG_LEVEL),
            dev=dev if isinstance(dev, bool) else settings.flag(str(dev)),
        )
        if not web.verify and not web.dev:
            fix = "allowed only with `legtwitch serve --dev`"
            raise ConfigError(settings.VERIFY.name, config.get(settings.VERIFY.name), fix)
        return web


def merged_config(config: Mapping[str, Any] | None, environ: Mapping[str, str]) -> dict[str, Any]:
    """The code-only defaults and the LEGTWITCH_* variables set in `environ`, overridden by `config`."""
    merged = dict(CODE_DEFAULTS)
    merged.update({s.name: environ[s.name] for s in ENV_SETTINGS if environ.get(s.name, "").strip()})
    merged.update(config or {})
    return merged


class AlexaEndpoint(SkillAdapter):
    """flask-ask-sdk's SkillAdapter behind our gate, mapping every refusal to a JSON 4xx.

    The gate checks the raw request (shape, timestamp, signature) before the SDK deserializes
    it; the stock `dispatch_request` would answer a failed verification with an HTML 400 without
    the reason, and a body that is not JSON or an unhandled skill error with a 500.
    """

    def __init__(self, gate: Gate, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.gate = gate

    def dispatch_request(self) -> Response | tuple[Response, int]:
        limit = int(current_app.config["MAX_CONTENT_LENGTH"])
        headers = dict(request.headers)
        try:
            check_media_type(headers)
            raw = read_body(limit)
        except RequestError as exc:
            cause = f" ({type(exc.__cause__).__name__})" if exc.__cause__ is not None else ""
            logger.warning("refused %s from %s: %s%s", request.path, request.remote_addr, exc, cause)
            return jsonify(error=str(exc)), exc.http_status
        if len(raw) > limit:
            logger.warning("refused %s from %s: body over %d bytes", request.path, request.remote_addr,
                           limit)
            return jsonify(error="request entity too large"), 413
        try:
            body = self.gate.admit(headers, raw)
            try:
                envelope = self._webservice_handler.verify_request_and_dispatch(
                    http_request_headers=request.headers, http_request_body=body
                )
            except SerializationException as exc:
                raise RequestError("body is not a JSON Alexa request envelope") from exc
        except RequestError as exc:
            logger.warning("refused %s from %s: %s", request.path, request.remote_addr, exc)
            return jsonify(error=str(exc)), exc.http_status
        return jsonify(envelope)


def read_body(limit: int) -> bytes:
    """The request's body, at most `limit` + 1 bytes (one past the limit tells it is over).

    A Content-Length over the limit is Flask's 413 before any read. Any failure to read the body
    is the client's: RequestTimeout (408) when it did not arrive within the server's timeout
    (skill/alexa/server.py bounds the reads), else a RequestError (400): each server raises its
    own errors for a malformed chunked body or a client gone mid-body (gunicorn's
    InvalidChunkSize, ChunkMissingTerminator, LimitRequestHeaders...; werkzeug's OSError or
    ClientDisconnected), so all are caught here.
    """
    if request.content_length is not None and request.content_length > limit:
        raise RequestEntityTooLarge()
    try:
        if request.content_length is not None:
            return request.get_data(cache=False)
        if request.environ.get("wsgi.input_terminated"):  # chunked, decoded by the server
            return bytes(request.environ["wsgi.input"].read(limit + 1))
        return b""  # neither a length nor chunks: HTTP says there is no body
    except Exception as exc:
        if isinstance(exc, TimeoutError) or isinstance(exc.__context__, TimeoutError):
            raise RequestTimeout("request body not received in time") from exc
        raise RequestError("body could not be read") from exc


def json_error(exc: HTTPException) -> tuple[Response, int]:
    """Any HTTP error (404, 405, 413...) as JSON `{"error": ...}`, logged."""
    code = exc.code or 500
    logger.warning("refused %s %s from %s: %s", request.method, request.path, request.remote_addr,
                   exc.name)
    response = jsonify(error=exc.name.lower())
    allowed = getattr(exc, "valid_methods", None)  # only MethodNotAllowed has them
    if code == 405 and isinstance(allowed, list | tuple | set):
        response.headers["Allow"] = ", ".join(allowed)
    return response, code


def internal_error(exc: Exception) -> tuple[Response, int]:
    """An unexpected failure: a short JSON 500 to the caller, the traceback to the log."""
    logger.error("failed %s %s", request.method, request.path, exc_info=exc)
    return jsonify(error="internal error"), 500


def health() -> Response:
    return jsonify(status="ok")


def public_routes(app: Flask, files: PublicFiles) -> None:
    """GET /privacy, /terms (HTML) and /icons/NAME (PNG): the addresses skill.json names."""

    def page(name: str) -> Response:
        return Response(files.pages[name], mimetype=HTML)

    def icon(name: str) -> Response:
        if name not in files.icons:
            raise NotFound()
        return Response(files.icons[name], mimetype="image/png")

    for name in files.pages:
        app.add_url_rule(f"/{name}", name, page, methods=["GET"], defaults={"name": name})
    app.add_url_rule("/icons/<name>", "icon", icon, methods=["GET"])


def build_gate(settings: WebSettings, download: Any = None) -> Gate:
    """The gate the settings call for: signature and timestamp window only when verifying."""
    signature = SignatureVerifier(trust_store(settings.trust_roots), download) if settings.verify else None
    return Gate(signature, clock=time.time)


def build_verifiers(settings: WebSettings) -> list[Any]:
    """The checks the SDK runs on the deserialized envelope, after the gate."""
    verifiers: list[Any] = [EnvelopeVerifier()]
    if settings.skill_id:
        verifiers.append(ApplicationIdVerifier(settings.skill_id))
    return verifiers


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """The Flask app serving the skill at `POST /`; `config` overrides env and defaults."""
    app = Flask(__name__)
    app.config.update(merged_config(config, os.environ))
    settings = WebSettings.from_config(app.config)
    logging.getLogger("skill").setLevel(settings.log_level)
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body
    # Our gate and verifiers replace the stock RequestVerifier/TimestampVerifier (skill/alexa/gate.py).
    app.config[VERIFY_SIGNATURE_APP_CONFIG] = False
    app.config[VERIFY_TIMESTAMP_APP_CONFIG] = False
    if not settings.verify:
        logger.warning("request verification is OFF (development server only): never expose it")
    elif not settings.skill_id:
        logger.warning("LEGTWITCH_SKILL_ID is not set: requests for any skill are accepted")
    served = app.config["LEGTWITCH_SKILL"]
    if served is None:
        from skill.core.assembly import get_skill

        served = get_skill()
    if not isinstance(served, CustomSkill):
        raise ConfigError("LEGTWITCH_SKILL", served, "give an ask_sdk_core CustomSkill")
    adapter = AlexaEndpoint(
        gate=build_gate(settings, app.config["LEGTWITCH_DOWNLOAD"]),
        skill=served,
        skill_id=settings.skill_id or "legtwitch",
        verifiers=build_verifiers(settings),
        app=app,
    )
    app.add_url_rule(
        "/", "alexa", adapter.dispatch_request, methods=["POST"], provide_automatic_options=False
    )
    app.add_url_rule("/health", "health", health, methods=["GET"])
    public_routes(app, load_public_files())
    app.register_error_handler(HTTPException, json_error)
    app.register_error_handler(Exception, internal_error)
    if settings.dev:  # the test console at /console: `serve --dev` only, never production
        from skill.console.app import register_console

        register_console(app, served)
    return app
