"""The console's web side: a Flask blueprint (the page and its JSON API) and the app that
`legtwitch console` serves on 127.0.0.1; `legtwitch serve --dev` mounts the same blueprint at
/console (never the production server).

Every turn goes through the same Simulator and Skill as `legtwitch ask` and `chat`; each browser
tab's conversation lives here, bounded (skill.console.sessions). API, all JSON unless said:
GET api/status; POST api/session {session?} (end it, start anew); POST api/launch {session};
POST api/say {session, text}; POST api/listen?session=ID with a WAV body (Content-Type
audio/wav); GET api/speech?session=ID&turn=N (a WAV); GET api/topics; GET api/fallbacks and
api/fallbacks.csv. Each call that may start a conversation may name its `locale` (for listen, a
query argument; default en-US). A refusal is `{"error": reason}` with a 4xx status (503: no
speech engine).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from typing import Any

from ask_sdk_core.skill import CustomSkill
from flask import Blueprint, Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from skill.console.review import Fallbacks, topics_for_review
from skill.console.sessions import Conversation, Conversations
from skill.console.voice import Voice
from skill.errors import EngineMissingError, InputError, TransportError, VoiceError
from skill.simulator.envelope import LOCAL_SKILL_ID, LOCALE, Caller
from skill.simulator.simulator import Simulator, Turn, default_nlu
from skill.simulator.transport import LocalTransport

log = logging.getLogger(__name__)

HOST = "127.0.0.1"
DEFAULT_PORT = 8090
MAX_JSON = 64 * 1024  # bytes of a JSON request (an utterance is at most 500 characters)
MAX_RECORDING = 16 * 1024 * 1024  # bytes of a WAV upload: a minute of 48 kHz stereo fits
WAV_TYPES = ("audio/wav", "audio/x-wav", "audio/wave", "audio/vnd.wave")
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]", "::1")
HEARD_NOTHING = "heard no question in the recording: ask about leg twitching, e.g. 'why do my legs " \
                "twitch at night'"


class Refusal(Exception):
    """A request the console refuses: the short reason and the HTTP status sent back."""

    def __init__(self, reason: str, status: int = 400) -> None:
        super().__init__(reason)
        self.reason, self.status = reason, status


class Console:
    """What the routes share: the tabs' conversations, the fallback list, speech."""

    def __init__(self, skill: CustomSkill | None = None) -> None:
        self.skill = skill
        self.conversations = Conversations(self.simulator)
        self.fallbacks = Fallbacks()
        self.voice = Voice()
        self._topics: list[dict[str, Any]] | None = None

    @property
    def locales(self) -> list[str]:
        """The locales the skill is published in, the default first."""
        from skill.core.locales import default_locales

        return [LOCALE, *(tag for tag in default_locales().tags if tag != LOCALE)]

    def simulator(self, locale: str = LOCALE) -> Simulator:
        return Simulator(LocalTransport(self.skill), caller=Caller(LOCAL_SKILL_ID, locale=locale))

    def locale(self, value: Any) -> str:
        """The locale a request names (the default if none); a Refusal for any other."""
        if value is None:
            return LOCALE
        if value not in self.locales:
            raise Refusal(f"'locale' must be one of {', '.join(self.locales)}")
        return str(value)

    def topics(self) -> list[dict[str, Any]]:
        if self._topics is None:
            from skill.core.content import load_content
            from skill.core.model import default_model

            self._topics = topics_for_review(load_content(), default_model(), default_nlu())
        return self._topics

    def turn(self, conversation: Conversation, turn: Turn, new: bool) -> dict[str, Any]:
        """A turn as the page shows it: `legtwitch ask --json`'s keys, the session's attributes,
        its number (for the play button), and why the skill could not answer it, if so."""
        number = conversation.record(turn)
        fallback = self.fallbacks.note(turn)
        return {**turn.to_json(), "attributes": dict(turn.attributes), "session": conversation.id,
                "new_session": new, "turn": number, "fallback": fallback.reason if fallback else None}


def _launch_words(text: str) -> bool:
    """Whether `text` opens the skill ("open leg twitch guide", "Alexa, launch leg twitch guide")."""
    from skill.core.model import default_model

    words = " ".join(re.sub(r"[^a-z' ]+", " ", text.lower()).split()).removeprefix("alexa ")
    return words in {f"{verb} {default_model().invocation}" for verb in ("open", "launch", "start")}


def _body() -> dict[str, Any]:
    """The request's JSON object; a Refusal when it is not one (Content-Type application/json is
    required: a page elsewhere cannot send it to 127.0.0.1 without the browser asking first)."""
    if not request.is_json:
        raise Refusal("send a JSON object with Content-Type: application/json", 415)
    if (request.content_length or 0) > MAX_JSON:
        raise Refusal(f"the request is over {MAX_JSON} bytes", 413)
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise Refusal("the body is not a JSON object: send e.g. {\"text\": \"why do my legs twitch\"}")
    return data


def _field(data: dict[str, Any], name: str, required: bool = False) -> str | None:
    value = data.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise Refusal(f"'{name}' must be a string")
    return value


def _session_arg(value: Any) -> str | None:
    if value is not None and (not isinstance(value, str) or len(value) > 64):
        raise Refusal("'session' must be the string the console gave")
    return value


def _recording() -> bytes:
    """The WAV file posted as the request body, at most MAX_RECORDING bytes."""
    kind = (request.mimetype or "").lower()
    if kind not in WAV_TYPES:
        raise Refusal("send the recording as a WAV file with Content-Type: audio/wav", 415)
    length = request.content_length
    stream = request.environ["wsgi.input"]
    if length is None:  # chunked (the server decodes it) or, by HTTP's rules, no body at all
        data = stream.read(MAX_RECORDING + 1) if request.environ.get("wsgi.input_terminated") else b""
    elif length <= MAX_RECORDING:
        data = stream.read(length)
        if len(data) != length:
            raise Refusal("the recording was cut short")
    else:
        data = b""
    if length is not None and length > MAX_RECORDING or len(data) > MAX_RECORDING:
        raise Refusal(f"the recording is over {MAX_RECORDING // (1024 * 1024)} MiB: ask one "
                      "question at a time", 413)
    return data


def _ordered(body: dict[str, Any]) -> Response:
    """`body` as JSON in its own key order (envelopes read as Alexa writes them: version, session,
    context, request), whatever the app's JSON provider sorts."""
    return Response(json.dumps(body, ensure_ascii=False), mimetype="application/json")


def make_blueprint(console: Console) -> Blueprint:
    """The page, its static files and the JSON API, around `console`."""
    page = Blueprint("console", __name__, template_folder="templates", static_folder="static",
                     static_url_path="/static")

    @page.before_request
    def loopback_only() -> tuple[Response, int] | None:
        # A page elsewhere may make a browser ask a rebinding name for 127.0.0.1: the console
        # answers only to the loopback names it is served under.
        host = request.host.rsplit(":", 1)[0] if not request.host.endswith("]") else request.host
        if host not in LOOPBACK_NAMES:
            return jsonify(error="the console answers on 127.0.0.1 only"), 400
        return None

    @page.errorhandler(Refusal)
    def refused(exc: Refusal) -> tuple[Response, int]:
        log.info("console refused %s %s: %s", request.method, request.path, exc.reason)
        return jsonify(error=exc.reason), exc.status

    @page.get("/")
    def index() -> str:
        return render_template("legtwitch_console.html", locale=LOCALE, locales=console.locales)

    @page.get("/health")
    def health() -> Response:
        return jsonify(status="ok")

    @page.get("/api/status")
    def status() -> Response:
        return jsonify(locale=LOCALE, locales=console.locales, play=console.voice.play_problem(),
                       speak=console.voice.speak_problem())

    @page.post("/api/session")
    def new_session() -> Response:
        data = _body()
        old, locale = _session_arg(data.get("session")), console.locale(data.get("locale"))
        ended = console.conversations.drop(old) if old else None
        if ended is not None:
            ended.simulator.end()  # a SessionEndedRequest, as when the user leaves
        return jsonify(session=console.conversations.new(locale).id, locale=locale)

    def answer(data: dict[str, Any], act: Callable[[Simulator], Turn]) -> dict[str, Any]:
        conversation, new = console.conversations.get(_session_arg(data.get("session")),
                                                      console.locale(data.get("locale")))
        try:
            return console.turn(conversation, act(conversation.simulator), new)
        except InputError as exc:
            raise Refusal(str(exc)) from exc
        except TransportError as exc:
            raise Refusal(str(exc), 502) from exc

    @page.post("/api/launch")
    def launch() -> Response:
        return _ordered(answer(_body(), lambda simulator: simulator.launch()))

    @page.post("/api/say")
    def say() -> Response:
        data = _body()
        text = _field(data, "text", required=True) or ""
        if _launch_words(text):
            return _ordered(answer(data, lambda simulator: simulator.launch()))
        return _ordered(answer(data, lambda simulator: simulator.say(text)))

    @page.post("/api/listen")
    def listen() -> Response:
        session = _session_arg(request.args.get("session"))
        problem = console.voice.speak_problem()
        if problem:
            raise Refusal(problem, 503)
        wav = _recording()
        try:
            heard = console.voice.recognise(wav)
        except EngineMissingError as exc:
            raise Refusal(str(exc), 503) from exc
        except VoiceError as exc:
            raise Refusal(str(exc)) from exc
        if not heard.text:
            raise Refusal(HEARD_NOTHING, 422)
        turn = answer({"session": session, "locale": request.args.get("locale")},
                      lambda simulator: simulator.say(heard.text))
        return _ordered({**turn, "audio_seconds": round(heard.audio_seconds, 2)})

    @page.get("/api/speech")
    def speech() -> Response:
        session = _session_arg(request.args.get("session"))
        try:
            number = int(request.args.get("turn", ""))
        except ValueError as exc:
            raise Refusal("'turn' must be a turn number") from exc
        conversation = console.conversations.find(session)
        text = conversation.speech_of(number) if conversation else None
        if text is None:
            raise Refusal("no such turn in this session: ask again, then press play", 404)
        if not text.strip():
            raise Refusal("this turn has nothing to say", 404)
        try:
            wav = console.voice.synthesise(text)
        except EngineMissingError as exc:
            raise Refusal(str(exc), 503) from exc
        except VoiceError as exc:  # eSpeak NG failed on this answer: say so, never a bare 500
            raise Refusal(f"could not synthesise the answer: {exc}", 503) from exc
        return Response(wav, mimetype="audio/wav",
                        headers={"Cache-Control": "private, max-age=600"})

    @page.get("/api/topics")
    def topics() -> Response:
        return jsonify(topics=console.topics())

    @page.get("/api/fallbacks")
    def fallbacks() -> Response:
        return jsonify(fallbacks=[f.to_json() for f in console.fallbacks.entries()])

    @page.get("/api/fallbacks.csv")
    def fallbacks_csv() -> Response:
        return Response(console.fallbacks.csv(), mimetype="text/csv",
                        headers={"Content-Disposition": 'attachment; filename="fallbacks.csv"'})

    return page


def register_console(app: Flask, skill: CustomSkill | None = None, prefix: str = "/console") -> Console:
    """Mount the console on `app` at `prefix` (serve --dev), answering with `skill`."""
    console = Console(skill)
    app.register_blueprint(make_blueprint(console), url_prefix=prefix)
    return console


def _json_error(exc: HTTPException) -> tuple[Response, int]:
    return jsonify(error=exc.name.lower()), exc.code or 500


def _internal_error(exc: Exception) -> tuple[Response, int]:
    log.error("console failed %s %s", request.method, request.path, exc_info=exc)
    return jsonify(error="internal error"), 500


def create_app(skill: CustomSkill | None = None) -> Flask:
    """The app `legtwitch console` serves: the console at /, nothing else."""
    app = Flask(__name__, static_folder=None)
    app.config["MAX_CONTENT_LENGTH"] = MAX_RECORDING
    register_console(app, skill, prefix="")
    app.register_error_handler(HTTPException, _json_error)
    app.register_error_handler(Exception, _internal_error)
    return app


def serve(port: int = DEFAULT_PORT, skill: CustomSkill | None = None) -> int:
    """Serve the console on 127.0.0.1:`port` until stopped (Flask's threaded server)."""
    app = create_app(skill)
    print(f"Leg Twitch Guide test console on http://{HOST}:{port}/ (Ctrl-C to stop)", flush=True)
    app.run(host=HOST, port=port, debug=False, use_reloader=False, threaded=True)
    return 0
