"""Speech in: real eSpeak NG questions recognised offline by pocketsphinx within the model's grammar."""

from __future__ import annotations

import array
import sys
import wave
from pathlib import Path

import pytest

from skill.core.model import default_model
from skill.errors import NoDeviceError, VoiceError
from skill.simulator.lexicon import Lexicon
from skill.voice.audio import SAMPLE_RATE, Recorder, find_recorder, read_pcm
from skill.voice.grammar import Grammar
from skill.voice.pronunciation import espeak_pronunciations
from skill.voice.speaker import Speaker, VoiceSettings

# A handful of the round trip (the benchmark runs them all): in the grammar, two voices.
ROUND_TRIP = [
    "why does my thigh keep twitching",
    "can coffee make my legs jump",
    "why do my legs twitch at night",
    "what are hypnic jerks",
    "when should i worry about leg twitching",
    "how do i stop my legs twitching",
]


@pytest.fixture(scope="module")
def grammar() -> Grammar:
    return Grammar.from_model()


def _write(path: Path, samples: array.array, rate: int, channels: int = 1, width: int = 2) -> Path:
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(channels)
        wav.setsampwidth(width)
        wav.setframerate(rate)
        if width == 2:
            wav.writeframes(samples.tobytes())
        elif width == 1:
            wav.writeframes(bytes((s >> 8) + 128 for s in samples))
        else:
            wav.writeframes(b"".join(b"\0" * (width - 2) + s.to_bytes(2, "little", signed=True)
                                     for s in samples))
    return path


def _samples(path: Path) -> tuple[array.array, int]:
    with wave.open(str(path), "rb") as wav:
        return array.array("h", wav.readframes(wav.getnframes())), wav.getframerate()


def test_every_sample_of_the_model_is_in_the_grammar(grammar):
    model = default_model()
    for intent in model.intents.values():
        for sample in intent.samples:
            if "{" not in sample:
                assert grammar.accepts(sample), sample


def test_slot_values_and_synonyms_fill_the_slot(grammar):
    for value in default_model().types["TOPIC"]:
        for phrase in (value.name, *value.synonyms):
            assert grammar.accepts(f"tell me about {phrase}"), phrase


def test_built_in_intents_have_phrases(grammar):
    for phrases in Lexicon.default().builtins.values():
        assert all(grammar.accepts(p) for p in phrases)


def test_grammar_rejects_what_the_model_cannot_say(grammar):
    assert not grammar.accepts("why does my eye twitch")
    assert not grammar.accepts("tell me about")


def test_without_drops_sentences_and_phrases_with_unknown_words(grammar):
    smaller = grammar.without({"hypnic"})
    assert not smaller.accepts("what are hypnic jerks")
    assert smaller.accepts("tell me about sleep starts")
    assert len(smaller.sentences) <= len(grammar.sentences)


def test_word_graph_is_small_and_complete(grammar):
    start, final, edges = grammar.transitions()
    assert start != final and len(edges) < 100_000
    words = {e[3] for e in edges if len(e) == 4}
    assert words == grammar.words


def test_espeak_pronounces_words_the_dictionary_lacks():
    spoken = espeak_pronunciations(["myoclonus", "hypnic", "fasciculation"])
    assert spoken["myoclonus"] == "M AY AH K L OW N AH S"
    assert spoken["hypnic"].split()[:3] == ["HH", "IH", "P"]
    assert set(spoken) == {"myoclonus", "hypnic", "fasciculation"}


@pytest.mark.parametrize("voice", ["en-us+f2", "en-us+klatt"])
@pytest.mark.parametrize("question", ROUND_TRIP)
def test_round_trip_recognises_the_question(listener, tmp_path, voice, question):
    wav = Speaker(VoiceSettings(voice=voice), player=None).save(question, tmp_path / "q.wav")
    heard = listener.recognise_wav(wav)
    assert heard.text == question
    assert 0 < heard.real_time_factor < 1


def test_any_pcm_wav_is_converted(listener, speaker, tmp_path):
    question = "can coffee make my legs jump"
    mono, rate = _samples(speaker.save(question, tmp_path / "q.wav"))
    stereo = array.array("h", (s for s in mono for _ in range(2)))
    doubled = array.array("h", (s for s in mono for _ in range(2)))  # 44.1 kHz by repetition
    files = [
        _write(tmp_path / "stereo.wav", stereo, rate, channels=2),
        _write(tmp_path / "44k.wav", doubled, rate * 2),
        _write(tmp_path / "24bit.wav", mono, rate, width=3),
        _write(tmp_path / "32bit.wav", mono, rate, width=4),
    ]
    for path in files:
        pcm, seconds = read_pcm(path)
        assert len(pcm) == 2 * round(seconds * SAMPLE_RATE)
        assert abs(seconds - len(mono) / rate) < 0.01
        assert listener.recognise(pcm).text == question, path.name


def test_eight_bit_wav_is_converted(speaker, tmp_path):
    mono, rate = _samples(speaker.save("tell me more", tmp_path / "q.wav"))
    pcm, seconds = read_pcm(_write(tmp_path / "8bit.wav", mono, rate, width=1))
    assert abs(seconds - len(mono) / rate) < 0.01 and any(pcm)


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "no such file"),
     (b"not a wav at all", r"not a PCM WAV file \(file does not start with RIFF id\)"),
     (b"", r"not a PCM WAV file \(the file is empty\)"),
     (b"hello", r"not a PCM WAV file \(file does not start with RIFF id\)"),
     (b"RIFF\x10\x00", r"not a PCM WAV file \(the file ends inside its WAV header\)"),
     (b"RIFF-not-really", r"not a PCM WAV file \(not a WAVE file\)")],
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
        read_pcm(_write(tmp_path / "empty.wav", array.array("h"), 16000))


def test_silence_is_heard_as_nothing(listener, tmp_path):
    heard = listener.recognise_wav(_write(tmp_path / "s.wav", array.array("h", bytes(32000)), 16000))
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


def test_alsa_capture_device_is_recorded_with_arecord(tmp_path):
    (tmp_path / "pcmC0D0p").touch()  # a loudspeaker only: nothing to record from
    assert find_recorder({}, devices=tmp_path) is None
    (tmp_path / "pcmC1D0c").touch()
    recorder = find_recorder({}, devices=tmp_path)
    assert recorder is not None and recorder.command[:2] == ("arecord", "-q")  # alsa-utils


@pytest.mark.parametrize("voice", ["en-us+f2", "en-us+klatt"])
@pytest.mark.parametrize(
    ("question", "topic"),
    [("is this a nervous tic", "nervous_tic"), ("is leg twitching serious", "serious")],
)
def test_question_outside_the_samples_still_reaches_its_topic(listener, tmp_path, voice, question,
                                                              topic):
    from skill.simulator.simulator import Simulator
    from skill.simulator.transport import LocalTransport

    assert not listener.grammar.accepts(question)  # no sample says it this way
    wav = Speaker(VoiceSettings(voice=voice), player=None).save(question, tmp_path / "q.wav")
    heard = listener.recognise_wav(wav)
    assert heard.text  # the bigram model gives words where the word graph found no sentence
    assert Simulator(LocalTransport()).say(heard.text).topic == topic


def test_bigram_model_is_arpa_over_the_grammar_words(grammar):
    arpa = grammar.bigrams()
    head, _, rest = arpa.partition("\\1-grams:\n")
    counts = dict(line.split("=") for line in head.splitlines() if line.startswith("ngram"))
    singles = rest.partition("\n\n")[0].splitlines()
    assert int(counts["ngram 1"]) == len(singles) == len(grammar.words) + 2  # with <s> and </s>
    assert {line.split()[1] for line in singles} == set(grammar.words) | {"<s>", "</s>"}
    assert arpa.rstrip().endswith("\\end\\")
