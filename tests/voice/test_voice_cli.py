"""The spoken mode's command line: ask/chat --speak and --wav, voices, listen; real audio."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import wave
from pathlib import Path

import pytest

from skill import settings
from skill.cli import main
from skill.voice.audio import check_wav
from skill.voice.speaker import Speaker, VoiceSettings
from tests.support.wavs import espeak_wav

SPEECH_DIR_ENV = settings.SPEECH_DIR.name

ROOT = Path(__file__).resolve().parents[2]
QUESTION = "why do my legs twitch at night"


@pytest.fixture(autouse=True)
def speech_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_sound_device: None) -> Path:
    """Answers spoken with no sound device land here (no sound card and no microphone, as on
    CI, whatever this machine has)."""
    monkeypatch.setenv(SPEECH_DIR_ENV, str(tmp_path / "spoken"))
    return tmp_path / "spoken"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _question_wav(tmp_path: Path, text: str = QUESTION) -> Path:
    return espeak_wav(text, tmp_path / "q.wav", "en-us+f2")


def test_ask_speak_without_a_device_names_the_wav(capsys, speech_dir):
    code, out, err = run(capsys, "ask", "--speak", QUESTION)
    assert code == 0
    assert "sleep" in out  # the text answer is printed as well
    wav = speech_dir / "answer.wav"
    assert err.strip() == f"No audio output device found: the answer is in {wav} instead."
    assert check_wav(wav) > 3


def test_chat_speak_without_a_device_says_so_once(capsys, speech_dir, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{QUESTION}\nyes\ntell me more\n"))
    code, out, err = run(capsys, "chat", "--speak")
    assert code == 0
    assert out.count("Alexa:") == 3
    wav = speech_dir / "answer.wav"
    assert err.count(f"No audio output device found: the answer is in {wav} instead.") == 1
    assert check_wav(wav) > 3


def test_ask_wav_writes_the_answer(capsys, tmp_path):
    out_wav = tmp_path / "answer.wav"
    code, out, err = run(capsys, "ask", "--wav", str(out_wav), "--voice", "en-us+f3",
                         "--rate", "150", "--volume", "0.8", "can coffee make my legs jump")
    assert (code, err) == (0, "")
    with wave.open(str(out_wav), "rb") as wav:
        assert (wav.getnchannels(), wav.getsampwidth()) == (1, 2)
    words = len(out.split())
    assert 0.6 * words / 2.5 < check_wav(out_wav) < 1.6 * words / 2.5  # 150 wpm = 2.5 words/s


def test_ask_json_with_speech_keeps_stdout_json(capsys):
    code, out, err = run(capsys, "ask", "--json", "--speak", QUESTION)
    assert code == 0
    assert json.loads(out)["topic"] == "night"
    assert "answer.wav" in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [(["--voice", "elvish"], "legtwitch voices"), (["--voice", "en-us+zzzz"], "legtwitch voices"),
     (["--rate", "20"], "--rate 150"),
     (["--volume", "3"], "--volume 0.8")],
)
def test_bad_voice_settings_are_usage_errors(capsys, argv, message):
    code, _, err = run(capsys, "ask", "--speak", *argv, QUESTION)
    assert code == 2 and message in err and "Traceback" not in err


def test_speak_and_wav_together_write_the_wav(capsys, tmp_path, speech_dir):
    out_wav = tmp_path / "a.wav"
    code, _, err = run(capsys, "ask", "--speak", "--wav", str(out_wav), QUESTION)
    assert code == 0 and err == "" and check_wav(out_wav) > 3


def _unwritable(tmp_path: Path, where: str) -> Path:
    if where == "a directory":
        return tmp_path
    if where == "under a file":
        (tmp_path / "notes.txt").write_text("not a directory")
        return tmp_path / "notes.txt" / "a.wav"
    return Path(where)


UNWRITABLE = ["a directory", "under a file", "/proc/x.wav"]


@pytest.mark.parametrize("where", UNWRITABLE)
@pytest.mark.parametrize("command", [["ask", QUESTION], ["chat"]])
def test_unwritable_wav_is_a_usage_error(capsys, tmp_path, monkeypatch, where, command):
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{QUESTION}\n"))
    path = _unwritable(tmp_path, where)
    code, out, err = run(capsys, command[0], "--wav", str(path), *command[1:])
    assert code == 2 and "Traceback" not in err
    assert re.fullmatch(rf"legtwitch: cannot write {re.escape(str(path))} \(.+\): "
                        r"give a writable path\n", err), err
    assert "Alexa" not in out and "sleep" not in out  # refused before the first turn


@pytest.mark.parametrize("where", UNWRITABLE)
def test_listen_to_an_unwritable_answer_wav_is_a_usage_error(capsys, tmp_path, where):
    question = _question_wav(tmp_path)
    path = _unwritable(tmp_path, where)
    code, out, err = run(capsys, "listen", "--wav", str(question), "--answer-wav", str(path))
    assert (code, out) == (2, "")
    assert err.startswith(f"legtwitch: cannot write {path} (") and "Traceback" not in err
    assert err.endswith("): give a writable path\n")


def test_chat_wav_keeps_every_answer(capsys, tmp_path, monkeypatch):
    out_wav = tmp_path / "chat.wav"
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{QUESTION}\nyes\n"))
    code, out, _ = run(capsys, "chat", "--wav", str(out_wav))
    assert code == 0 and out.count("Alexa:") >= 2
    one = check_wav(Speaker(VoiceSettings(), player=None).save(
        out.split("Alexa: ")[1].split("\n")[0], tmp_path / "first.wav"))
    assert check_wav(out_wav) > one + 2


def test_voices_lists_the_default_voice(capsys):
    code, out, _ = run(capsys, "voices", "--language", "en")
    assert code == 0 and "gmw/en-us" in out and "(default)" in out and "+f2" in out


def test_voices_for_an_unknown_language(capsys):
    code, _, err = run(capsys, "voices", "--language", "xx")
    assert code == 2 and "--language en" in err


def test_listen_answers_a_spoken_question(capsys, tmp_path, listener):
    question = _question_wav(tmp_path)
    code, out, err = run(capsys, "listen", "--wav", str(question), "--json")
    assert code == 0, err
    turn = json.loads(out)
    assert turn["utterance"] == listener.recognise_wav(question).text  # what was heard
    assert turn["utterance"].startswith("why do my leg")
    assert turn["topic"] == "night" and "sleep" in turn["speech"]


def test_listen_says_what_it_heard_and_can_speak_the_answer(capsys, tmp_path):
    answer = tmp_path / "reply.wav"
    code, out, err = run(capsys, "listen", "--wav", str(_question_wav(tmp_path, "what are hypnic jerks")),
                         "--answer-wav", str(answer))
    assert code == 0
    assert "(heard: what are hypnic jerks)" in err
    assert out.strip() and check_wav(answer) > 3


def test_listen_hears_the_words_of_the_locale_asked_for(capsys, tmp_path):
    """The recogniser listens for the --locale's own model: "casualty" is an en-GB word for the
    emergency room, which en-US's grammar does not have."""
    question = _question_wav(tmp_path, "should I go to casualty")
    code, out, err = run(capsys, "listen", "--wav", str(question), "--locale", "en-GB", "--json")
    assert code == 0, err
    turn = json.loads(out)
    assert turn["utterance"] == "should i go to casualty" and turn["topic"] == "red_flag"
    assert "nine nine nine" in turn["speech"]
    code, out, _ = run(capsys, "listen", "--wav", str(question), "--json")
    assert "casualty" not in out


@pytest.mark.parametrize("content", [b"RIFF-not-really", b"just text"])
def test_listen_to_a_bad_file_says_so(capsys, tmp_path, content):
    bad = tmp_path / "bad.wav"
    bad.write_bytes(content)
    code, _, err = run(capsys, "listen", "--wav", str(bad))
    assert code == 2 and "not a PCM WAV file (" in err and "()" not in err
    assert "Traceback" not in err


@pytest.mark.parametrize(("where", "reason"),
                         [("a directory", "is a directory"), ("under a file", "not a directory")])
def test_listen_to_an_unreadable_path_says_so(capsys, tmp_path, where, reason):
    path = _unwritable(tmp_path, where)
    code, out, err = run(capsys, "listen", "--wav", str(path))
    assert (code, out) == (2, "")
    assert err == f"legtwitch: cannot read {path} ({reason}): give the path of a WAV recording\n"


def test_listen_to_a_missing_file_says_so(capsys, tmp_path):
    code, _, err = run(capsys, "listen", "--wav", str(tmp_path / "nope.wav"))
    assert code == 2 and "no such file" in err


def test_listen_without_a_microphone_says_what_to_type(capsys):
    code, _, err = run(capsys, "listen")
    assert code == 2 and "legtwitch listen --wav FILE" in err


def test_listen_to_silence_asks_for_a_question(capsys, tmp_path):
    silent = tmp_path / "silent.wav"
    with wave.open(str(silent), "wb") as wav:
        wav.setparams((1, 2, 16000, 0, "NONE", "not compressed"))
        wav.writeframes(bytes(32000))
    code, _, err = run(capsys, "listen", "--wav", str(silent))
    assert code == 1 and "heard no question" in err


def _without_espeak(*argv: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """Run the CLI with libespeak-ng hidden (a private mount namespace), as if the Debian
    package espeak-ng were not installed."""
    with open("/proc/self/maps", encoding="utf-8") as maps:
        library = next(line.split()[-1] for line in maps if "libespeak-ng.so" in line)
    return subprocess.run(
        ["unshare", "--mount", "--map-root-user", "sh", "-c",
         f'mount --bind /dev/null "{library}" && exec "$0" -m skill "$@"', sys.executable, *argv],
        input=stdin, capture_output=True, text=True, cwd=ROOT, timeout=120, check=False,
    )


def test_ask_speak_without_espeak_prints_the_answer_and_exits_2(speaker):
    done = _without_espeak("ask", "--speak", QUESTION)
    assert done.returncode == 2
    assert "sleep" in done.stdout
    assert "espeak-ng" in done.stderr and "apt-get install" in done.stderr
    assert "Traceback" not in done.stderr


def test_chat_speak_without_espeak_carries_on_in_text(speaker):
    done = _without_espeak("chat", "--speak", stdin=f"{QUESTION}\nyes\n")
    assert done.returncode == 2
    assert done.stdout.count("Alexa:") >= 2
    assert len([line for line in done.stderr.splitlines() if "espeak-ng" in line]) == 1
    assert "text only" in done.stderr


@pytest.mark.parametrize("voice", ["en-us", "en-us+klatt"])
def test_listen_gives_the_red_flag_answer_to_worried_spoken_questions(capsys, tmp_path, voice):
    """The five worried questions of the safety review, spoken by eSpeak NG, reach the red-flag
    answer through `listen`, as they do typed and over HTTP."""
    from tests.simulator.test_cli_simulator import RED_FLAG_QUESTIONS

    for question in RED_FLAG_QUESTIONS:
        wav = espeak_wav(question, tmp_path / "q.wav", voice)
        code, out, err = run(capsys, "listen", "--wav", str(wav), "--json")
        turn = json.loads(out)
        assert (code, turn["topic"]) == (0, "red_flag"), (question, turn["utterance"], err)
