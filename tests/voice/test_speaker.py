"""Speech out: real eSpeak NG synthesis through pyttsx3, checked as real WAV files."""

from __future__ import annotations

import array
import math
import os
import stat
import subprocess
import sys
import tempfile
import wave
from pathlib import Path

import pytest

from skill import settings
from skill.errors import EngineMissingError, VoiceError
from skill.voice.audio import Player, check_wav
from skill.voice.speaker import Speaker, VoiceSettings, default_speech_dir, first_part

PLAYER_ENV = settings.PLAYER.name

ANSWER = (
    "<speak>Stress is a common reason. <break time=\"300ms\"/> It&apos;s seen most in older "
    "people, but it can happen at any age &amp; calming herbs may help.</speak>"
)
PLAIN = (
    "Stress is a common reason. It's seen most in older people, but it can happen at any age & "
    "calming herbs may help."
)
ROOT = Path(__file__).resolve().parents[2]
# Run in a child process: builds a Speaker and prints the error it raises.
PROBE = (
    "from skill.voice.speaker import Speaker\n"
    "try:\n    Speaker()\nexcept Exception as e:\n    print(type(e).__name__, e)\n"
)


def _rms(path: Path) -> float:
    with wave.open(str(path), "rb") as wav:
        samples = array.array("h", wav.readframes(wav.getnframes()))
    return math.sqrt(sum(s * s for s in samples) / len(samples))


def _frames(path: Path) -> bytes:
    with wave.open(str(path), "rb") as wav:
        return wav.readframes(wav.getnframes())


def test_save_writes_a_complete_mono_16_bit_wav(speaker, tmp_path):
    path = speaker.save(ANSWER, tmp_path / "answer.wav")
    with wave.open(str(path), "rb") as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, 22050)
        assert wav.getnframes() * 2 == len(wav.readframes(wav.getnframes()))
    assert not [p for p in tmp_path.iterdir() if p != path]  # no partial file left behind


def test_duration_fits_the_word_count(speaker, tmp_path):
    seconds = check_wav(speaker.save(PLAIN, tmp_path / "a.wav"))
    words = len(PLAIN.split())
    expected = words / (speaker.settings.rate / 60)
    assert 0.6 * expected < seconds < 1.6 * expected


def test_long_answer_is_complete_when_save_returns(speaker, tmp_path):
    # pyttsx3's runAndWait returns before eSpeak NG's thread has written a long text: the
    # engine waits for eSpeak NG's own end of the text.
    text = " ".join([PLAIN] * 25)
    path = speaker.save(text, tmp_path / "long.wav")
    assert check_wav(path) > 100


def test_engine_gets_plain_text_without_tags():
    text = Speaker.engine_text(ANSWER)
    assert "<" not in text and "&" + "apos;" not in text
    assert text == PLAIN


def test_ssml_answer_sounds_like_its_plain_text(speaker, tmp_path):
    # Were the tags read aloud, the SSML answer would last seconds longer.
    ssml = check_wav(speaker.save(ANSWER, tmp_path / "ssml.wav"))
    plain = check_wav(speaker.save(PLAIN, tmp_path / "plain.wav"))
    assert abs(ssml - plain) < 0.2


def test_slower_rate_gives_a_longer_file(tmp_path):
    durations = [
        check_wav(Speaker(VoiceSettings(rate=r), player=None).save(PLAIN, tmp_path / f"{r}.wav"))
        for r in (120, 175, 260)
    ]
    assert durations[0] > 1.25 * durations[1] > 1.25 * 1.1 * durations[2]


def test_lower_volume_gives_quieter_audio(tmp_path):
    loud = Speaker(VoiceSettings(volume=1.0), player=None).save(PLAIN, tmp_path / "loud.wav")
    quiet = Speaker(VoiceSettings(volume=0.3), player=None).save(PLAIN, tmp_path / "quiet.wav")
    assert _rms(quiet) < 0.5 * _rms(loud)


def test_voice_changes_the_audio(tmp_path):
    a = Speaker(VoiceSettings(voice="en-us"), player=None).save(PLAIN, tmp_path / "us.wav")
    b = Speaker(VoiceSettings(voice="en-gb"), player=None).save(PLAIN, tmp_path / "gb.wav")
    c = Speaker(VoiceSettings(voice="en-us+f3"), player=None).save(PLAIN, tmp_path / "f3.wav")
    assert len({_frames(a), _frames(b), _frames(c)}) == 3


@pytest.mark.parametrize(("rate", "volume"), [(20, 1.0), (900, 1.0), (175, 1.5), (175, -0.1)])
def test_out_of_range_settings_are_refused(rate, volume):
    with pytest.raises(VoiceError, match="out of range"):
        VoiceSettings(rate=rate, volume=volume)


def test_settings_come_from_the_environment():
    env = {"LEGTWITCH_VOICE": "en-gb", "LEGTWITCH_RATE": "150", "LEGTWITCH_VOLUME": "0.5"}
    assert VoiceSettings.from_env(env=env) == VoiceSettings("en-gb", 150, 0.5)
    assert VoiceSettings.from_env(rate=200, env=env).rate == 200
    with pytest.raises(VoiceError, match="LEGTWITCH_RATE"):
        VoiceSettings.from_env(env={"LEGTWITCH_RATE": "fast"})


def test_empty_answer_is_refused(speaker, tmp_path):
    with pytest.raises(VoiceError, match="nothing to say"):
        speaker.save("<speak> </speak>", tmp_path / "x.wav")


def test_two_saves_write_two_files(speaker, tmp_path):
    # pyttsx3 alone writes only the last of two files queued before one runAndWait.
    first = speaker.save("Magnesium may help.", tmp_path / "1.wav")
    second = speaker.save("Drink more water.", tmp_path / "2.wav")
    assert check_wav(first) > 0.5 and check_wav(second) > 0.5
    assert _frames(first) != _frames(second)


def test_speaking_after_a_save_leaves_the_saved_file_alone(tmp_path):
    # pyttsx3 alone writes a later say() into the file of an earlier save_to_file.
    speaker = Speaker(VoiceSettings(), player=None, speech_dir=tmp_path / "spoken")
    saved = speaker.save("Magnesium may help.", tmp_path / "saved.wav")
    before = saved.read_bytes()
    speaker.speak("Drink more water, and rest after exercise.")
    assert saved.read_bytes() == before


def test_no_device_writes_the_answer_and_says_where(tmp_path):
    speaker = Speaker(VoiceSettings(), player=None, speech_dir=tmp_path)
    delivery = speaker.speak(ANSWER)
    assert not delivery.played
    assert delivery.wav == tmp_path / "answer.wav" and delivery.notice is not None
    assert delivery.wav is not None
    assert str(delivery.wav) in delivery.notice and "\n" not in delivery.notice
    assert "No audio output device" in delivery.notice
    assert check_wav(delivery.wav) > 2


def test_player_none_means_no_device_even_where_one_is_found(monkeypatch):
    monkeypatch.setenv(PLAYER_ENV, "aplay -q")
    assert Speaker(VoiceSettings()).player == Player(("aplay", "-q"))
    assert Speaker(VoiceSettings(), player=None).player is None


def test_failing_player_falls_back_to_a_wav(tmp_path):
    player = Player((sys.executable, "-c", "import sys; sys.exit('aplay: no soundcards found')"))
    delivery = Speaker(VoiceSettings(), player=player, speech_dir=tmp_path).speak(PLAIN)
    assert not delivery.played and delivery.notice is not None and delivery.wav is not None
    assert "no soundcards found" in delivery.notice and str(delivery.wav) in delivery.notice
    assert check_wav(delivery.wav) > 2


def test_save_to_a_directory_says_what_to_type(speaker, tmp_path):
    with pytest.raises(VoiceError) as caught:
        speaker.save(PLAIN, tmp_path)
    assert str(caught.value) == f"cannot write {tmp_path} (is a directory): give a writable path"
    assert not list(tmp_path.parent.glob(".legtwitch-*.part"))  # no partial file beside it


@pytest.mark.parametrize("where", ["/proc/x.wav", "under-a-file"])
def test_save_to_an_unwritable_path_says_what_to_type(speaker, tmp_path, where):
    path = Path(where)
    if where == "under-a-file":
        (tmp_path / "notes.txt").write_text("not a directory")
        path = tmp_path / "notes.txt" / "x.wav"
    with pytest.raises(VoiceError, match=r"^cannot write .*x\.wav \(.+\): give a writable path$"):
        speaker.save(PLAIN, path)


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o002, 0o664), (0o027, 0o640)])
def test_saved_wav_has_the_mode_a_new_file_gets(speaker, tmp_path, umask, mode):
    before = os.umask(umask)
    try:
        path = speaker.save(PLAIN, tmp_path / "a.wav")
        assert stat.S_IMODE(path.stat().st_mode) == mode
        speaker.save(PLAIN, path, append=True)
        assert stat.S_IMODE(path.stat().st_mode) == mode
    finally:
        os.umask(before)


def test_append_keeps_earlier_answers(speaker, tmp_path):
    path = tmp_path / "chat.wav"
    one = check_wav(speaker.save("Magnesium may help.", path, append=True))
    two = check_wav(speaker.save("Drink more water.", path, append=True))
    assert two > one + 1


def test_missing_espeak_data_is_reported_not_fatal(tmp_path):
    code = PROBE
    env = {**os.environ, "ESPEAK_DATA_PATH": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          cwd=ROOT, timeout=60, check=False)
    assert done.returncode == 0
    assert done.stdout.startswith(EngineMissingError.__name__)
    assert "espeak-ng" in done.stdout


def test_missing_espeak_library_is_reported(tmp_path):
    # A private mount namespace hides libespeak-ng as if the Debian package were not installed.
    library = _espeak_library()
    code = PROBE
    done = subprocess.run(
        ["unshare", "--mount", "--map-root-user", "sh", "-c",
         f'mount --bind /dev/null "{library}" && exec "$0" -c "$1"', sys.executable, code],
        capture_output=True, text=True, cwd=ROOT, timeout=60, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(EngineMissingError.__name__)
    assert "sudo apt-get install espeak-ng" in done.stdout


def _espeak_library() -> str:
    import ctypes

    ctypes.CDLL("libespeak-ng.so.1")
    with open("/proc/self/maps", encoding="utf-8") as maps:
        for line in maps:
            if "libespeak-ng.so" in line:
                return line.split()[-1]
    raise AssertionError("libespeak-ng is not loaded")


def _copying_player(folder: Path) -> Player:
    """A player keeping each WAV it is given, as 1.wav, 2.wav, ... in `folder`."""
    keep = (f"import pathlib, shutil, sys; d = pathlib.Path({str(folder)!r}); "
            "shutil.copyfile(sys.argv[1], d / f'{len(list(d.iterdir())) + 1}.wav')")
    return Player((sys.executable, "-c", keep))


def test_the_first_sentence_is_played_on_its_own_then_the_rest(tmp_path, speaker):
    played = tmp_path / "played"
    played.mkdir()
    delivery = Speaker(VoiceSettings(), player=_copying_player(played), speech_dir=tmp_path).speak(ANSWER)
    assert delivery.played and delivery.notice is None
    first, rest = check_wav(played / "1.wav"), check_wav(played / "2.wav")
    assert len(list(played.iterdir())) == 2
    # Each part lasts as the same text saved alone (to within eSpeak NG's few samples).
    sentence, following = PLAIN.split(". ", 1)
    assert abs(first - check_wav(speaker.save(sentence + ".", tmp_path / "1.wav"))) < 0.05
    assert abs(rest - check_wav(speaker.save(following, tmp_path / "2.wav"))) < 0.05


@pytest.mark.parametrize(
    ("text", "first", "rest"),
    [
        ("Stress is a common reason. It can happen.", "Stress is a common reason.", "It can happen."),
        # A clause is enough: the answer starts before its first sentence is synthesised.
        ("Too much caffeine, from coffee, can do it.", "Too much caffeine,", "from coffee, can do it."),
        ("It may help: a warm bath.", "It may help:", "a warm bath."),
        # Too short a clause is not cut off on its own.
        ("Dehydration, too little water, can do it.", "Dehydration, too little water,", "can do it."),
        ("Low levels of 1,000 units, said once.", "Low levels of 1,000 units,", "said once."),
        ("Goodbye.", "Goodbye.", ""),
        ("Yes, sure.", "Yes, sure.", ""),
    ],
)  # fmt: skip
def test_the_first_part_played_is_the_first_clause_of_three_words_or_more(text, first, rest):
    assert first_part(text) == (first, rest)


def test_a_first_clause_is_played_on_its_own_then_the_rest(tmp_path, speaker):
    played = tmp_path / "played"
    played.mkdir()
    answer = "Too much caffeine, from coffee for example, is a common reason. Cutting back may help."
    Speaker(VoiceSettings(), player=_copying_player(played), speech_dir=tmp_path).speak(answer)
    assert sorted(p.name for p in played.iterdir()) == ["1.wav", "2.wav"]
    first = check_wav(played / "1.wav")
    assert abs(first - check_wav(speaker.save("Too much caffeine,", tmp_path / "1.wav"))) < 0.05
    assert first < check_wav(played / "2.wav") / 3


def test_a_one_sentence_answer_is_played_whole_once(tmp_path):
    played = tmp_path / "played"
    played.mkdir()
    Speaker(VoiceSettings(), player=_copying_player(played), speech_dir=tmp_path).speak("Goodbye.")
    assert [p.name for p in played.iterdir()] == ["1.wav"] and check_wav(played / "1.wav") > 0.3


def test_the_default_speech_dir_is_this_users_own(monkeypatch, tmp_path):
    monkeypatch.delenv(settings.SPEECH_DIR.name, raising=False)
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr(tempfile, "tempdir", None)  # read TMPDIR again
    assert default_speech_dir() == tmp_path / f"legtwitch-{os.geteuid()}"


def test_the_speech_dir_is_created_private(tmp_path):
    delivery = Speaker(VoiceSettings(), player=None, speech_dir=tmp_path / "spoken").speak(PLAIN)
    info = os.lstat(tmp_path / "spoken")
    assert stat.S_IMODE(info.st_mode) == 0o700 and info.st_uid == os.geteuid()
    assert delivery.wav == tmp_path / "spoken" / "answer.wav"
    assert check_wav(tmp_path / "spoken" / "answer.wav") > 2


def _planted(tmp_path: Path, how: str) -> tuple[Path, str]:
    """A speech dir another user could have prepared, and why it is refused."""
    spoken = tmp_path / "spoken"
    if how == "world-writable":
        spoken.mkdir()
        spoken.chmod(0o1777)
        return spoken, "its mode 1777 lets others write in it"
    if how == "group-writable":
        spoken.mkdir()
        spoken.chmod(0o770)
        return spoken, "its mode 0770 lets others write in it"
    if how == "a link":
        (tmp_path / "elsewhere").mkdir(mode=0o700)
        spoken.symlink_to(tmp_path / "elsewhere")
        return spoken, "it is a symbolic link"
    spoken.mkdir(mode=0o700)
    os.chown(spoken, 65534, 65534)
    return spoken, "it belongs to user id 65534"


@pytest.mark.parametrize("how", ["world-writable", "group-writable", "a link", "another user's"])
@pytest.mark.parametrize("failing_player", [False, True])
def test_a_speech_dir_others_can_write_in_is_refused(tmp_path, how, failing_player):
    if how == "another user's" and os.geteuid() != 0:
        pytest.skip("giving a directory to another user needs root: run the tests as root")
    spoken, reason = _planted(tmp_path, how)
    player = Player((sys.executable, "-c", "import sys; sys.exit('no card')")) if failing_player else None
    with pytest.raises(VoiceError) as caught:
        Speaker(VoiceSettings(), player=player, speech_dir=spoken).speak(PLAIN)
    assert str(caught.value) == (
        f"cannot keep answers in {spoken} ({reason}): set {settings.SPEECH_DIR.name} to a "
        "directory of your own that only you can write to (mode 0700)")
    assert not list(spoken.iterdir())


@pytest.mark.parametrize("failing_player", [False, True])
def test_a_link_planted_as_the_answer_is_not_written_through(tmp_path, failing_player):
    spoken = tmp_path / "spoken"
    spoken.mkdir(mode=0o700)
    victim = tmp_path / "victim.txt"
    victim.write_text("another user's file")
    (spoken / "answer.wav").symlink_to(victim)
    player = Player((sys.executable, "-c", "import sys; sys.exit('no card')")) if failing_player else None
    with pytest.raises(VoiceError, match=r"answer\.wav \(is a symbolic link\): give a writable path"):
        Speaker(VoiceSettings(), player=player, speech_dir=spoken).speak(PLAIN)
    assert victim.read_text() == "another user's file"
    assert sorted(p.name for p in spoken.iterdir()) == ["answer.wav"]


def test_a_text_said_again_in_the_same_voice_is_not_synthesised_again(tmp_path, speaker):
    engine = speaker._engine
    text = "A text said twice, as the answer to repeat is."
    before = engine.synthesised
    first = speaker.save(text, tmp_path / "1.wav").read_bytes()
    again = speaker.save(text, tmp_path / "2.wav").read_bytes()
    assert engine.synthesised == before + 1 and again == first
    slower = Speaker(VoiceSettings(voice="en-us+f2", rate=120), player=None, speech_dir=tmp_path)
    assert check_wav(slower.save(text, tmp_path / "3.wav")) > check_wav(tmp_path / "1.wav")
    assert engine.synthesised == before + 2  # another rate is another audio
