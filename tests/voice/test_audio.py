"""Audio: WAV files read, checked and converted; the sound devices found for playing and recording."""

from __future__ import annotations

import array
import struct

import pytest

from skill import settings
from skill.errors import VoiceError
from skill.voice.audio import (
    MAX_WAV_BYTES,
    check_wav,
    find_player,
    find_recorder,
    read_pcm,
    sound_servers,
)
from tests.support.wavs import wav_samples, write_wav

PLAYER_ENV = settings.PLAYER.name


def test_eight_bit_wav_is_converted(speaker, tmp_path):
    mono, rate = wav_samples(speaker.save("tell me more", tmp_path / "q.wav"))
    pcm, seconds = read_pcm(write_wav(tmp_path / "8bit.wav", mono, rate, width=1))
    assert abs(seconds - len(mono) / rate) < 0.01 and any(pcm)


RIFF = b"RIFF\xf0\xff\xff\xffWAVE"  # a RIFF header claiming 4 GB
FMT = b"fmt \x10\x00\x00\x00" + struct.pack("<HHIIHH", 1, 1, 16000, 32000, 2, 16)  # 16 kHz mono


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "no such file"),
     (b"not a wav at all", r"not a PCM WAV file \(file does not start with RIFF id\)"),
     (b"", r"not a PCM WAV file \(the file is empty\)"),
     (b"hello", r"not a PCM WAV file \(file does not start with RIFF id\)"),
     (b"RIFF\x10\x00", r"not a PCM WAV file \(the file ends inside its WAV header\)"),
     (b"RIFF-not-really", r"not a PCM WAV file \(not a WAVE file\)"),
     (RIFF + FMT + b"JUNK\xf0\xff\xff\xff0123456789",  # once a bare RuntimeError from `wave`
      r"not a PCM WAV file \(its JUNK chunk claims 4,294,967,280 bytes; 10 follow\)"),
     (RIFF + b"JUNK\xf0\xff\xff\xff0123456789",
      r"not a PCM WAV file \(its JUNK chunk claims 4,294,967,280 bytes; 10 follow\)"),
     (RIFF + b"fmt \xf0\xff\xff\xff\x01\x00",
      r"not a PCM WAV file \(its fmt chunk claims 4,294,967,280 bytes; 2 follow\)")],
)
def test_bad_audio_files_are_refused(tmp_path, content, message):
    path = tmp_path / "bad.wav"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(VoiceError, match=message) as caught:
        read_pcm(path)
    assert "()" not in str(caught.value)


@pytest.mark.parametrize(("where", "reason"),
                         [("a directory", "is a directory"), ("under a file", "not a directory")])
def test_unreadable_audio_path_says_what_to_type(tmp_path, where, reason):
    path = tmp_path
    if where == "under a file":
        (tmp_path / "notes.txt").write_text("not a directory")
        path = tmp_path / "notes.txt" / "q.wav"
    with pytest.raises(VoiceError) as caught:
        read_pcm(path)
    assert str(caught.value) == f"cannot read {path} ({reason}): give the path of a WAV recording"


def test_silent_wav_is_refused(tmp_path):
    with pytest.raises(VoiceError, match="no audio"):
        read_pcm(write_wav(tmp_path / "empty.wav", array.array("h"), 16000))


def test_alsa_capture_device_is_recorded_with_arecord(tmp_path):
    (tmp_path / "pcmC0D0p").touch()  # a loudspeaker only: nothing to record from
    assert find_recorder({}, devices=tmp_path) is None
    (tmp_path / "pcmC1D0c").touch()
    recorder = find_recorder({}, devices=tmp_path)
    assert recorder is not None and recorder.command[:2] == ("arecord", "-q")  # alsa-utils


def test_player_from_the_environment_wins():
    player = find_player({PLAYER_ENV: "ffplay -nodisp -autoexit"})
    assert player is not None and player.command == ("ffplay", "-nodisp", "-autoexit")


def test_no_player_without_a_sound_device(no_sound_device, tmp_path):
    assert find_player({}) is None
    (tmp_path / "pcmC0D0c").touch()  # a microphone only: nothing to play on
    assert find_player({}, devices=tmp_path) is None


def test_alsa_playback_device_is_played_with_aplay(tmp_path):
    (tmp_path / "pcmC0D0p").touch()
    player = find_player({}, devices=tmp_path)
    assert player is not None and player.command == ("aplay", "-q")  # Makefile DEBS: alsa-utils


@pytest.mark.parametrize(
    ("content", "reason"),
    [(b"", "the file is empty"), (b"ID3", "file does not start with RIFF id"),
     (b"RIFF", "the file ends inside its WAV header")],
)
def test_check_wav_gives_the_reason(tmp_path, content, reason):
    path = tmp_path / "bad.wav"
    path.write_bytes(content)
    with pytest.raises(VoiceError) as caught:
        check_wav(path)
    assert str(caught.value) == f"{path} is not a valid WAV file: {reason}"


@pytest.mark.parametrize("sockets,env,servers", [
    ((), {}, set()),
    (("pulse/native",), {}, {"pulse"}),
    (("pipewire-0",), {}, {"pipewire"}),
    (("pulse/native", "pipewire-0"), {}, {"pulse", "pipewire"}),
    ((), {"PULSE_SERVER": "tcp:127.0.0.1"}, {"pulse"}),
])
def test_sound_servers_found_by_their_sockets(tmp_path, sockets, env, servers):
    for socket in sockets:
        (tmp_path / socket).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / socket).touch()
    assert sound_servers({"XDG_RUNTIME_DIR": str(tmp_path), **env}) == servers


def _with_rate(path, rate):
    """`path` with the sample rate in its header (bytes 24-27) set to `rate`, as a forger would."""
    data = bytearray(path.read_bytes())
    data[24:28] = rate.to_bytes(4, "little")
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize("rate", [0, 1, 7_999, 192_001])
def test_a_sample_rate_out_of_range_is_refused_unread(tmp_path, rate):
    # 4 KB declaring 1 Hz once took 10 s and 230 MB (resampled to 16 kHz: 32 million samples).
    path = _with_rate(write_wav(tmp_path / "q.wav", array.array("h", [100] * 2000), 16000), rate)
    with pytest.raises(VoiceError) as caught:
        read_pcm(path)
    assert str(caught.value) == (
        f"{path} is not a PCM WAV file (its sample rate is {rate:,} Hz; from 8,000 to 192,000 Hz "
        "is read): record or convert it to 16-bit PCM WAV")


def test_check_wav_refuses_a_rate_of_zero(tmp_path):
    path = _with_rate(write_wav(tmp_path / "a.wav", array.array("h", [100] * 2000), 16000), 0)
    with pytest.raises(VoiceError, match="is incomplete"):
        check_wav(path)


def test_a_recording_over_a_minute_is_refused(tmp_path):
    path = write_wav(tmp_path / "long.wav", array.array("h", bytes(2 * 8000 * 61)), 8000)
    with pytest.raises(VoiceError) as caught:
        read_pcm(path)
    assert str(caught.value) == f"{path} is 61 s long; the most is 60 s: record one question at a time"


def test_a_file_cut_at_an_odd_byte_keeps_its_whole_samples(tmp_path):
    path = write_wav(tmp_path / "q.wav", array.array("h", [1000] * 1601), 16000)
    path.write_bytes(path.read_bytes()[:-1])  # the last sample cut in half
    pcm, seconds = read_pcm(path)
    assert len(pcm) == 2 * 1600 and seconds == 0.1


def test_a_huge_file_is_refused_unread(tmp_path):
    path = tmp_path / "huge.wav"
    with open(path, "wb") as file:
        file.truncate(MAX_WAV_BYTES + 1)  # sparse: no disk used
    with pytest.raises(VoiceError, match=rf"\(is over {MAX_WAV_BYTES:,} bytes\)"):
        read_pcm(path)


def test_any_damage_to_a_wav_header_is_a_voice_error_or_read(tmp_path):
    """Each header byte set to 0x00 or 0xFF, and each cut inside the header: read, or VoiceError."""
    good = write_wav(tmp_path / "good.wav", array.array("h", [100] * 800), 16000).read_bytes()
    damaged = [good[:cut] for cut in range(60)]
    damaged += [good[:i] + bytes([b]) + good[i + 1:] for i in range(44) for b in (0, 0xFF)]
    path = tmp_path / "damaged.wav"
    for data in damaged:
        path.write_bytes(data)
        try:
            read_pcm(path)
        except VoiceError:
            pass
