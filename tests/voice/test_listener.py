"""Speech in: real eSpeak NG questions recognised offline by pocketsphinx within the model's grammar."""

from __future__ import annotations

import array
import sys

import pytest

from skill.errors import NoDeviceError, VoiceError
from skill.voice.audio import SAMPLE_RATE, Recorder, find_recorder, read_pcm
from tests.support.wavs import espeak_wav, wav_samples, write_wav

# A handful of the round trip (the benchmark runs them all): in the grammar, two voices.
ROUND_TRIP = [
    "why does my thigh keep twitching",
    "can coffee make my legs jump",
    "why do my legs twitch at night",
    "what are hypnic jerks",
    "when should i worry about leg twitching",
    "how do i stop my legs twitching",
]


@pytest.mark.parametrize("voice", ["en-us+f2", "en-us+klatt"])
@pytest.mark.parametrize("question", ROUND_TRIP)
def test_round_trip_recognises_the_question(listener, tmp_path, voice, question):
    wav = espeak_wav(question, tmp_path / "q.wav", voice)
    heard = listener.recognise_wav(wav)
    assert heard.text == question
    assert 0 < heard.real_time_factor < 1


def test_any_pcm_wav_is_converted(listener, speaker, tmp_path):
    question = "can coffee make my legs jump"
    mono, rate = wav_samples(speaker.save(question, tmp_path / "q.wav"))
    stereo = array.array("h", (s for s in mono for _ in range(2)))
    doubled = array.array("h", (s for s in mono for _ in range(2)))  # 44.1 kHz by repetition
    files = [
        write_wav(tmp_path / "stereo.wav", stereo, rate, channels=2),
        write_wav(tmp_path / "44k.wav", doubled, rate * 2),
        write_wav(tmp_path / "24bit.wav", mono, rate, width=3),
        write_wav(tmp_path / "32bit.wav", mono, rate, width=4),
    ]
    for path in files:
        pcm, seconds = read_pcm(path)
        assert len(pcm) == 2 * round(seconds * SAMPLE_RATE)
        assert abs(seconds - len(mono) / rate) < 0.01
        assert listener.recognise(pcm).text == question, path.name


def test_silence_is_heard_as_nothing(listener, tmp_path):
    heard = listener.recognise_wav(write_wav(tmp_path / "s.wav", array.array("h", bytes(32000)), 16000))
    assert heard.text == ""


def test_live_listening_stops_when_the_speaker_does(listener, speaker, tmp_path):
    question = "why do my legs twitch at night"
    pcm, _ = read_pcm(speaker.save(question, tmp_path / "q.wav"))
    raw = tmp_path / "mic.raw"
    raw.write_bytes(bytes(8000) + pcm + bytes(SAMPLE_RATE * 2 * 3))  # then three seconds of quiet
    # A microphone that never stops: it repeats the recording until killed.
    mic = Recorder((sys.executable, "-c",
                    f"import sys\nwhile True: sys.stdout.buffer.write(open({str(raw)!r}, 'rb').read())"))
    heard = listener.listen(mic, max_seconds=20)
    assert heard.text == question
    assert heard.audio_seconds < 8


def test_no_microphone_says_what_to_type(listener, no_sound_device):
    assert find_recorder({}) is None
    with pytest.raises(NoDeviceError, match="legtwitch listen --wav"):
        listener.listen()


@pytest.mark.parametrize("voice", ["en-us+f2", "en-us+klatt"])
@pytest.mark.parametrize(
    ("question", "topic"),
    [("is this a nervous tic", "nervous_tic"), ("is twitching in my calf serious", "serious")],
)
def test_question_outside_the_samples_still_reaches_its_topic(listener, tmp_path, voice, question,
                                                              topic):
    from skill.simulator.simulator import Simulator
    from skill.simulator.transport import LocalTransport

    assert not listener.grammar.accepts(question)  # no sample says it this way
    wav = espeak_wav(question, tmp_path / "q.wav", voice)  # heard the same whatever ran before
    heard = listener.recognise_wav(wav)
    assert heard.text  # the bigram model gives words where the word graph found no sentence
    assert Simulator(LocalTransport()).say(heard.text).topic == topic, heard.text


def test_more_than_a_minute_of_audio_is_refused_undecoded(listener):
    with pytest.raises(VoiceError, match=r"^the recording is 61 s long; the most is 60 s"):
        listener.recognise(bytes(2 * SAMPLE_RATE * 61))


def test_without_the_phrasings_file_the_listener_says_so_and_still_hears(tmp_path, monkeypatch, caplog):
    import logging
    import shutil

    from skill.core import datafiles
    from skill.voice.grammar import PHRASINGS, Grammar
    from skill.voice.listener import Listener

    shutil.copytree(datafiles.content_dir(), tmp_path / "content")
    (tmp_path / "content" / PHRASINGS).unlink()
    monkeypatch.setenv("LEGTWITCH_CONTENT_DIR", str(tmp_path / "content"))
    with caplog.at_level(logging.WARNING):
        own = Listener(Grammar.from_model())  # a grammar of one's own: no phrasings asked for
    assert PHRASINGS not in caplog.text
    with caplog.at_level(logging.WARNING):
        shipped = Listener()
    assert f"{PHRASINGS} is missing" in caplog.text and "make model" in caplog.text
    wav = espeak_wav("why do my legs twitch at night", tmp_path / "q.wav", "en-us+f2")
    assert shipped.recognise_wav(wav).text == own.recognise_wav(wav).text == "why do my legs twitch at night"


@pytest.mark.parametrize(
    ("graph", "free", "heard"),
    [
        # Both decoders found a sentence of the grammar, and they differ: the freer one's stands
        # (it found it with no word graph to steer it; en-us+f1 after three other voices).
        ("why do my legs twitch after diet", "why do my legs twitch at night",
         "why do my legs twitch at night"),
        # The freer decoding is no sentence of the grammar but agrees: the word graph's stands.
        ("why do my legs twitch at night", "why do my legs twitch at i take",
         "why do my legs twitch at night"),
        ("tell me more", "tell me a more", "tell me more"),  # a short reply is not second-guessed
    ],
)  # fmt: skip
def test_the_sentence_heard_is_chosen_between_the_two_decodings(listener, graph, free, heard):
    assert listener._chosen(graph, lambda: free) == heard
