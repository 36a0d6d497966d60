"""Spoken mode: synthesis speed against the espeak-ng command, round-trip accuracy (on the
project's own spoken questions, and on last batches 4 and 5's real phrasings), speed of
recognition, and time from pressing enter to the first audio of an answer in chat."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from bench import Figure
from skill.core.content import load_content
from skill.voice.audio import Player
from skill.voice.listener import Listener
from skill.voice.speaker import DEFAULT_RATE, Speaker, VoiceSettings
from tests.support.spoken import VOICES, asked

CHAT_QUESTIONS = ("why do my legs twitch at night", "can coffee make my legs jump", "tell me more")
GATHERED = (4, 5, 6, 7, 8, 9)  # the last batches of the understanding spoken (tests/data/nlu_lastbatch*.yaml)


def run() -> Iterator[Figure]:
    with tempfile.TemporaryDirectory(prefix="bench-voice-") as tmp:
        work = Path(tmp)
        yield from _synthesis(work)
        yield from _round_trip(work)
        yield from _gathered_round_trip(work)
        yield from _enter_to_audio(work)


def _synthesis(work: Path) -> Iterator[Figure]:
    """Every topic's short answer through pyttsx3 (our Speaker) and through `espeak-ng -w`."""
    espeak = shutil.which("espeak-ng")
    if espeak is None:
        raise SystemExit("bench_voice needs the espeak-ng command: apt-get install espeak-ng")
    answers = [topic.short.text for topic in load_content().topics.values()]
    speaker = Speaker(VoiceSettings(voice="en-us", rate=DEFAULT_RATE), player=None)
    speaker.save("warm up", work / "warm.wav")
    ours = theirs = 0.0
    worst = 0.0
    for i, text in enumerate(answers):
        started = time.perf_counter()
        speaker.save(text, work / f"ours-{i}.wav")
        mine = time.perf_counter() - started
        started = time.perf_counter()
        subprocess.run([espeak, "-v", "en-us", "-s", str(DEFAULT_RATE), "-w",
                        str(work / f"cmd-{i}.wav"), text], check=True)
        command = time.perf_counter() - started
        ours, theirs, worst = ours + mine, theirs + command, max(worst, mine / command)
    yield Figure(f"pyttsx3 synthesis, {len(answers)} short answers", ours * 1000, "ms",
                 "espeak-ng -w, same texts", theirs * 1000, "<= 1.3x")
    yield Figure("pyttsx3 synthesis, worst answer's ratio", worst, "x",
                 "espeak-ng -w (ratio 1)", 1.0, "<= 1.3x")


def _round_trip(work: Path) -> Iterator[Figure]:
    """People's questions spoken by eSpeak NG voices, recognised, understood, answered."""
    from skill.simulator.simulator import Simulator
    from skill.simulator.transport import LocalTransport

    simulator = Simulator(LocalTransport())
    listener = Listener()
    questions = asked()
    typed: dict[str, list[bool]] = defaultdict(list)
    for q in questions:
        simulator.reset()
        typed[q.topic].append(simulator.say(q.text).topic == q.topic)
    spoken: dict[str, list[bool]] = defaultdict(list)
    per_voice: dict[str, list[bool]] = defaultdict(list)
    covered: dict[bool, list[bool]] = defaultdict(list)  # by: is the question a model sentence?
    audio = decoding = 0.0
    for voice in VOICES:
        speaker = Speaker(VoiceSettings(voice=voice), player=None)
        for q in questions:
            heard = listener.recognise_wav(speaker.save(q.text, work / "q.wav"))
            audio, decoding = audio + heard.audio_seconds, decoding + heard.decode_seconds
            simulator.reset()
            right = bool(heard.text) and simulator.say(heard.text).topic == q.topic
            per_voice[voice].append(right)
            if voice in VOICES[:2]:
                spoken[q.topic].append(right)
                covered[listener.grammar.accepts(q.text)].append(right)
    text_share = _share([r for rs in typed.values() for r in rs])
    for voice, results in per_voice.items():
        yield Figure(f"round trip right topic, voice {voice}", _share(results), "%",
                     "typed text, same questions", text_share, ">= 85% (two voices)")
    for inside, results in sorted(covered.items(), reverse=True):
        what = "sentences of the model" if inside else "phrasings outside the model"
        yield Figure(f"round trip right topic, {len(results) // 2} {what}", _share(results), "%",
                     "typed text, all questions", text_share, "(two voices)")
    for topic, results in sorted(spoken.items()):
        yield Figure(f"round trip right topic: {topic}", _share(results), "%",
                     "typed text, same questions", _share(typed[topic]), ">= 85% (two voices)")
    n = len(questions) * len(VOICES)
    yield Figure("recognition time per question", decoding / n * 1000, "ms",
                 "audio length per question", audio / n * 1000, "< 1x (real-time factor)")


def _gathered_round_trip(work: Path) -> Iterator[Figure]:
    """The last batches (GATHERED), real people's phrasings nothing was tuned on, spoken in two
    voices: the share of in-scope ones reaching their topic and of out-of-scope ones not
    answered as twitching, beside the same phrasings typed."""
    from bench.bench_nlu import DATA, _accuracy, _load
    from skill.simulator.interpretation import FALLBACK, Interpretation
    from skill.simulator.simulator import default_nlu

    nlu, listener = default_nlu(), Listener()
    for batch in GATHERED:
        data = _load(DATA / f"nlu_lastbatch{batch}.yaml")
        if data is None:
            continue
        typed = _accuracy(data, nlu.parse)
        for voice in VOICES[:2]:
            speaker = Speaker(VoiceSettings(voice=voice), player=None)

            def spoken(text: str, speaker: Speaker = speaker) -> Interpretation:
                heard = listener.recognise_wav(speaker.save(text, work / "q.wav")).text
                return nlu.parse(heard) if heard else Interpretation(FALLBACK)

            said = _accuracy(data, spoken)
            yield Figure(f"last batch {batch} spoken, in scope: right topic "
                         f"({len(data['in_scope'])}), voice {voice}", said[0], "%",
                         "the same typed", typed[0], ">= 80%")
            yield Figure(f"last batch {batch} spoken, out of scope: not answered as twitching "
                         f"({len(data['out_of_scope'])}), voice {voice}", said[1], "%",
                         "the same typed", typed[1], "")


def _enter_to_audio(work: Path) -> Iterator[Figure]:
    """From pressing enter in chat to the answer's audio: with no sound device here, to the last
    byte of the answer's WAV written; with a player, to the player started on its first sentence."""
    from skill.simulator.simulator import Simulator
    from skill.simulator.transport import LocalTransport

    simulator = Simulator(LocalTransport())
    speaker = Speaker(VoiceSettings(), player=None, speech_dir=work)
    speaker.speak("warm up")
    text_only = spoken = 0.0
    for question in CHAT_QUESTIONS:
        started = time.perf_counter()
        simulator.say(question)
        text_only += time.perf_counter() - started
    simulator.reset()
    for question in CHAT_QUESTIONS:
        started = time.perf_counter()
        turn = simulator.say(question)
        speaker.speak(turn.ssml or turn.speech)
        spoken += time.perf_counter() - started
    n = len(CHAT_QUESTIONS)
    yield Figure("chat: enter to answer's audio written", spoken / n * 1000, "ms",
                 "enter to text answer", text_only / n * 1000, "no device: WAV complete")
    # With a player: until the player process runs on the complete WAV (it notes the time);
    # beside it, the espeak-ng command's first audio byte on stdout for the same answers.
    stamp = work / "started"
    player = Player(("sh", "-c", f'date +%s.%N >> "{stamp}"', "player"))
    speaker = Speaker(VoiceSettings(), player=player, speech_dir=work)
    to_player = to_first_byte = 0.0
    for question in CHAT_QUESTIONS:
        stamp.write_text("")
        started = time.time()
        turn = simulator.say(question)
        speaker.speak(turn.ssml or turn.speech)
        to_player += float(stamp.read_text().split()[0]) - started  # its first sentence
        started = time.perf_counter()
        with subprocess.Popen([shutil.which("espeak-ng") or "espeak-ng", "--stdout",
                               turn.speech], stdout=subprocess.PIPE) as espeak:
            assert espeak.stdout is not None
            espeak.stdout.read(1)
            to_first_byte += time.perf_counter() - started
            espeak.stdout.read()
    yield Figure("chat: enter to player started on the answer", to_player / n * 1000, "ms",
                 "espeak-ng --stdout: first byte", to_first_byte / n * 1000, "")


def _share(results: list[bool]) -> float:
    return 100.0 * sum(results) / len(results) if results else 0.0
