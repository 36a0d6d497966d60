"""The console's JSON API through Flask's test client, and `legtwitch console` on loopback."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import wave
from typing import Any

import pytest

from skill.console.app import MAX_JSON, create_app
from tests.console.conftest import espeak_wav
from tests.support.loopback import call, free_port, running


@pytest.fixture
def client(skill: Any) -> Any:
    return create_app(skill).test_client()


def say(client: Any, text: str, session: str | None = None) -> dict[str, Any]:
    reply = client.post("/api/say", json={"text": text, "session": session})
    assert reply.status_code == 200, reply.json
    return reply.json


def test_the_page_is_plain_html_with_its_own_css_and_js(client):
    page = client.get("/")
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert '<label for="utterance">' in html and 'lang="en"' in html
    assert "http://" not in html and "https://" not in html  # nothing from elsewhere
    for asset in ("/static/console.css", "/static/console.js"):
        with client.get(asset) as served:
            assert asset in html and served.status_code == 200


def test_a_typed_question_gives_speech_card_reprompt_and_both_envelopes(client):
    turn = say(client, "why do my legs twitch at night")
    assert turn["utterance"] == "why do my legs twitch at night"
    assert turn["intent"] == "TopicIntent" and turn["topic"] == "night"
    assert "leg twitching during sleep" in turn["speech"]
    assert turn["card"]["title"] == "Twitching at night"
    assert turn["reprompt"] == "Would you like to hear about twitching as you fall asleep?"
    assert turn["end_session"] is False and turn["new_session"] is True and turn["turn"] == 1
    assert turn["request"]["request"]["type"] == "IntentRequest"
    assert list(turn["request"]) == ["version", "session", "context", "request"]  # as Alexa writes it
    assert turn["request"]["request"]["intent"]["slots"]["topic"]["value"] == "at night"
    assert turn["response"]["response"]["outputSpeech"]["ssml"] == turn["ssml"]
    assert turn["attributes"]["last_topic"] == "night"


def test_a_conversation_keeps_its_session_yes_more_stop(client):
    first = say(client, "why do my legs twitch at night")
    session = first["session"]
    yes = say(client, "yes", session)
    assert yes["topic"] == "falling_asleep" and yes["new_session"] is False and yes["turn"] == 2
    assert yes["request"]["session"]["sessionId"] == first["request"]["session"]["sessionId"]
    assert yes["request"]["session"]["new"] is False
    more = say(client, "tell me more", session)
    assert more["topic"] == "falling_asleep" and more["speech"] != yes["speech"]
    stop = say(client, "stop", session)
    assert stop["end_session"] is True and "Goodbye" in stop["speech"]
    after = say(client, "why does my thigh keep twitching", session)  # same tab, new Alexa session
    assert after["session"] == session and after["request"]["session"]["new"] is True


def test_tabs_have_their_own_sessions(client):
    one = say(client, "why do my legs twitch at night")
    two = say(client, "why does my thigh keep twitching")
    assert one["session"] != two["session"]
    assert say(client, "yes", one["session"])["topic"] == "falling_asleep"
    assert say(client, "yes", two["session"])["topic"] == "vitamins"


def test_opening_the_skill_by_button_or_by_saying_so(client):
    launched = client.post("/api/launch", json={}).json
    assert launched["request"]["request"]["type"] == "LaunchRequest"
    assert launched["speech"].startswith("Welcome to Leg Twitch Guide")
    said = say(client, "Alexa, open leg twitch guide")
    assert said["request"]["request"]["type"] == "LaunchRequest"


def test_a_new_session_ends_the_old_one_and_gives_a_new_id(client):
    old = say(client, "why do my legs twitch at night")["session"]
    new = client.post("/api/session", json={"session": old}).json["session"]
    assert new != old
    assert say(client, "yes", new)["intent"] == "AMAZON.YesIntent"
    assert "What would you like to know" in say(client, "yes", new)["speech"]  # no offer is open
    assert client.get(f"/api/speech?session={old}&turn=1").status_code == 404


def test_an_unknown_or_expired_session_starts_a_new_one(client):
    turn = say(client, "why do my legs twitch at night", "no-such-session")
    assert turn["new_session"] is True and turn["session"] != "no-such-session"


@pytest.mark.parametrize(("kwargs", "status", "says"), [
    ({"data": "why", "content_type": "text/plain"}, 415, "Content-Type: application/json"),
    ({"data": "{not json", "content_type": "application/json"}, 400, "not a JSON object"),
    ({"json": ["why"]}, 400, "not a JSON object"),
    ({"json": {}}, 400, "'text' must be a string"),
    ({"json": {"text": 42}}, 400, "'text' must be a string"),
    ({"json": {"text": "   "}}, 400, "nothing to say"),
    ({"json": {"text": "why \x00 legs"}}, 400, "control character"),
    ({"json": {"text": "x" * 501}}, 400, "the most is 500"),
    ({"json": {"text": "why", "session": ["a"]}}, 400, "'session' must be"),
    ({"json": {"text": "why", "session": "s" * 65}}, 400, "'session' must be"),
    ({"json": {"text": "x" * MAX_JSON}}, 413, "over"),
])
def test_bad_questions_get_a_short_json_reason(client, kwargs, status, says):
    reply = client.post("/api/say", **kwargs)
    assert reply.status_code == status
    assert set(reply.json) == {"error"} and says in reply.json["error"]


def test_wrong_paths_and_methods_are_json_too(client):
    assert client.get("/api/say").status_code == 405
    assert client.get("/api/say").json == {"error": "method not allowed"}
    assert client.get("/nowhere").json == {"error": "not found"}


def test_the_console_answers_to_loopback_names_only(client):
    reply = client.get("/", headers={"Host": "attacker.example:8090"})
    assert reply.status_code == 400 and "127.0.0.1 only" in reply.json["error"]
    assert client.get("/", headers={"Host": "127.0.0.1:8090"}).status_code == 200


def test_play_gives_the_answer_as_a_wav_spoken_by_the_speaker(console_port):
    turn = call(console_port, "POST", "/api/say", body=b'{"text": "can coffee make my legs jump"}',
                headers={"Content-Type": "application/json"}).json()
    reply = call(console_port, "GET", f"/api/speech?session={turn['session']}&turn={turn['turn']}")
    assert reply.status == 200 and reply.headers["content-type"] == "audio/wav"
    with wave.open(io.BytesIO(reply.body)) as wav:
        assert wav.getnchannels() == 1 and wav.getsampwidth() == 2
        assert wav.getnframes() / wav.getframerate() > 3  # a whole answer, not a click


@pytest.mark.parametrize("query", ["turn=1", "session=nope&turn=1", "session=S&turn=9", "session=S&turn=x"])
def test_play_of_an_unknown_turn_is_refused(client, query):
    session = say(client, "why do my legs twitch at night")["session"]
    reply = client.get("/api/speech?" + query.replace("S", session))
    assert reply.status_code in (400, 404) and "error" in reply.json


def test_a_spoken_question_is_recognised_and_answered(client, tmp_path):
    wav = espeak_wav("why do my legs twitch at night", tmp_path / "q.wav").read_bytes()
    reply = client.post("/api/listen", data=wav, content_type="audio/wav")
    assert reply.status_code == 200, reply.json
    assert reply.json["utterance"] == "why do my legs twitch at night"
    assert reply.json["topic"] == "night" and reply.json["audio_seconds"] > 1


@pytest.mark.parametrize(("body", "kind", "status", "says"), [
    (b"RIFF....WAVEjunk", "audio/wav", 400, "not a PCM WAV file"),
    # A JUNK chunk claiming 0xFFFFFFF0 bytes with 10 after it (wave's seek raises RuntimeError).
    (b"RIFF\x16\0\0\0WAVEJUNK\xf0\xff\xff\xff" + b"x" * 10, "audio/wav", 400, "not a PCM WAV file"),
    # A fmt chunk cut short (wave's struct unpacking fails).
    (b"RIFF\x10\0\0\0WAVEfmt \x10\0\0\0\x01\0", "audio/wav", 400, "not a PCM WAV file"),
    (b"", "audio/wav", 400, "the file is empty"),
    (b"RIFF", "application/octet-stream", 415, "Content-Type: audio/wav"),
    (b"RIFF" + b"\0" * (16 * 1024 * 1024), "audio/wav", 413, "over 16 MiB"),
])
def test_bad_recordings_get_a_short_json_reason(client, body, kind, status, says):
    reply = client.post("/api/listen", data=body, content_type=kind)
    assert reply.status_code == status and says in reply.json["error"]
    assert "/tmp" not in reply.json["error"]  # names "the recording", not a temporary file


def test_silence_is_heard_as_no_question(client, tmp_path):
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(16000)
        wav.writeframes(b"\0\0" * 16000)
    reply = client.post("/api/listen", data=out.getvalue(), content_type="audio/wav")
    assert reply.status_code == 422 and "heard no question" in reply.json["error"]


def test_the_fallback_list_grows_and_downloads_as_csv(client):
    assert client.get("/api/fallbacks").json == {"fallbacks": []}
    say(client, "what is the weather like in paris")
    say(client, "why do my legs twitch at night")
    say(client, "what stops a calf cramp")
    listed = client.get("/api/fallbacks").json["fallbacks"]
    assert [(f["heard"], f["reason"]) for f in listed] == [
        ("what is the weather like in paris", "not understood"), ("what stops a calf cramp", "not covered")]
    download = client.get("/api/fallbacks.csv")
    assert download.mimetype == "text/csv" and "attachment" in download.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(download.get_data(as_text=True))))
    assert len(rows) == 3 and rows[1][1] == "what is the weather like in paris"


def test_review_lists_every_topic(client):
    topics = client.get("/api/topics").json["topics"]
    assert len(topics) == 19 and all(t["samples"] and t["short"]["text"] for t in topics)


def test_status_says_whether_play_and_speak_work(console_port):
    status = call(console_port, "GET", "/api/status").json()
    assert status == {"locale": "en-US", "locales": ["en-US", "en-CA", "en-GB", "en-AU", "en-IN"],
                      "play": None, "speak": None}


def test_a_session_asks_in_the_locale_it_was_started_in(client):
    started = client.post("/api/session", json={"locale": "en-GB"})
    assert started.status_code == 200 and started.json["locale"] == "en-GB"
    turn = say(client, "should I take my baby to the paediatrician", started.json["session"])
    assert turn["new_session"] is False and turn["request"]["request"]["locale"] == "en-GB"
    assert (turn["intent"], turn["topic"]) == ("TopicIntent", "child")
    # The locale a call names starts the conversation it opens; it does not change a running one.
    later = client.post("/api/say", json={"text": "yes", "session": turn["session"], "locale": "en-AU"})
    assert later.json["request"]["request"]["locale"] == "en-GB"
    fresh = client.post("/api/say", json={"text": "why do my legs twitch", "locale": "en-IN"})
    assert fresh.json["new_session"] is True and fresh.json["request"]["request"]["locale"] == "en-IN"
    assert say(client, "why do my legs twitch")["request"]["request"]["locale"] == "en-US"


@pytest.mark.parametrize("locale", ["de-DE", "en-NZ", 7, ""])
def test_a_locale_the_skill_is_not_published_in_is_refused(client, locale):
    for path, body in (("/api/session", {"locale": locale}),
                       ("/api/say", {"text": "why do my legs twitch", "locale": locale})):
        reply = client.post(path, json=body)
        assert reply.status_code == 400, (path, reply.json)
        assert reply.json == {"error": "'locale' must be one of en-US, en-CA, en-GB, en-AU, en-IN"}


# Mounted by `serve --dev` only; served alone by `legtwitch console`. -------------------------


def test_serve_dev_mounts_the_console_and_production_does_not(make_app, tmp_path):
    dev = make_app(LEGTWITCH_DEV=True, LEGTWITCH_VERIFY=False).test_client()
    assert dev.get("/console/").status_code == 200
    assert "/console/static/console.js" in dev.get("/console/").get_data(as_text=True)
    asked = dev.post("/console/api/say", json={"text": "why do my legs twitch at night"})
    assert asked.json["topic"] == "night"
    # A recording is larger than the endpoint's body limit (64 KiB): the console reads its own.
    wav = espeak_wav("can coffee make my legs jump", tmp_path / "q.wav").read_bytes()
    assert len(wav) > 64 * 1024
    heard = dev.post("/console/api/listen", data=wav, content_type="audio/wav")
    assert heard.status_code == 200 and heard.json["topic"] == "caffeine"
    production = make_app().test_client()
    assert production.get("/console/").status_code == 404
    assert production.post("/console/api/say", json={"text": "hi"}).status_code in (404, 405)


def test_legtwitch_console_serves_the_page_on_loopback():
    port = free_port()
    with running([sys.executable, "-m", "skill", "console", "--port", str(port)], port) as server:
        assert b"<label for=\"utterance\">" in call(port, "GET", "/").body
        reply = call(port, "POST", "/api/say", body=b'{"text": "why do my legs twitch at night"}',
                     headers={"Content-Type": "application/json"})
        assert reply.status == 200 and reply.json()["topic"] == "night"
        output = server.stop()
    assert f"http://127.0.0.1:{port}/" in output


def test_without_espeak_play_says_what_to_install_and_typing_still_works(tmp_path):
    # eSpeak NG's data hidden, as on a machine without the Debian package (the engine would exit).
    port = free_port()
    argv = [sys.executable, "-m", "skill", "console", "--port", str(port)]
    with running(argv, port, {"ESPEAK_DATA_PATH": str(tmp_path)}):
        status = call(port, "GET", "/api/status").json()
        assert "apt-get install espeak-ng" in status["play"]
        turn = call(port, "POST", "/api/say", body=b'{"text": "why do my legs twitch at night"}',
                    headers={"Content-Type": "application/json"}).json()
        assert turn["topic"] == "night"
        played = call(port, "GET", f"/api/speech?session={turn['session']}&turn=1")
        assert played.status == 503 and "espeak-ng" in played.json()["error"]


def test_legtwitch_console_refuses_a_bad_port():
    done = subprocess.run([sys.executable, "-m", "skill", "console", "--port", "70000"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "give a port from 1 to 65535" in done.stderr
    assert "Traceback" not in done.stderr
