"""The `legtwitch` command line: one subcommand per door, each imported only when used."""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, TextIO, cast

from skill.errors import ConfigError, DataError, InputError, LegTwitchError, OutputError, VoiceError
from skill.files import os_reason

if TYPE_CHECKING:  # imported lazily where used: the core must import fast
    from pathlib import Path

    from skill.simulator.simulator import Simulator, Turn
    from skill.simulator.transcript import TurnSink
    from skill.voice.listener import Listener
    from skill.voice.sink import SpeechSink


def _model(args: argparse.Namespace) -> int:
    """Regenerate (--write) or check (default) the skill package: the interaction model JSON,
    skill.json's public addresses (from LEGTWITCH_PUBLIC_URL), the icons, the content parsed
    for a fast start (content/compiled.json) and the understanding's classifier trained on the
    default locale's model and the dev set (content/classifier.json), and the dev set's phrasings
    for the spoken mode's bigram model (content/phrasings.txt), and the words of English the
    understanding's speller leaves alone (skill/simulator/english_words.txt)."""
    import json

    from skill import settings
    from skill.authoring import english, icons, manifest, templates, training
    from skill.core import compiled, datafiles
    from skill.core.content import load_content
    from skill.core.locales import load_locales
    from skill.core.model import validate
    from skill.simulator.classifier import CLASSIFIER
    from skill.simulator.lexicon import ENGLISH_PATH
    from skill.voice.grammar import PHRASINGS, render_phrasings

    locales = load_locales()
    models = {datafiles.model_path(locale.tag):
              templates.render(templates.generate(locale=locale)).encode("utf-8") for locale in locales}
    files: dict[Path, bytes] = dict(models)
    skill_json = datafiles.manifest_path()
    published = manifest.published(manifest.load_manifest(skill_json), settings.PUBLIC_URL.read(),
                                   locales)
    files[skill_json] = manifest.render(published).encode("utf-8")
    # compiled.render checks each model against Alexa's rules before it records it as checked.
    files[datafiles.content_dir() / compiled.COMPILED] = compiled.render(datafiles.content_dir(), models)
    # The classifier trains on the dev phrasings, which only a checkout has (tests/data).
    if datafiles.dev_set_path().is_file():
        trained_on = validate(json.loads(models[datafiles.model_path()]), checked=True)
        dev = datafiles.read_yaml(datafiles.dev_set_path(), DataError)
        files[datafiles.content_dir() / CLASSIFIER] = training.render(trained_on, load_content(), dev)
        files[datafiles.content_dir() / PHRASINGS] = render_phrasings(dev)
    else:
        print(f"{datafiles.dev_set_path()} is missing (not a checkout), "
              "so the classifier and the phrasings are left as they are")
    try:
        files[ENGLISH_PATH] = english.render()
    except ImportError:
        print(f"pyspellchecker is missing (the dev extra: `make setup`), so {ENGLISH_PATH} is left "
              "as it is")
    for size in icons.SIZES.values():
        files[datafiles.icons_dir() / icons.file_name(size)] = icons.icon_png(size)
    if args.write:
        for where, data in files.items():
            where.parent.mkdir(parents=True, exist_ok=True)
            where.write_bytes(data)
            print(f"wrote {where}")
        return 0
    stale = [where for where, data in files.items()
             if not where.is_file() or where.read_bytes() != data]
    for where in stale:
        print(f"{where} is out of date: run `make model`", file=sys.stderr)
    if stale:
        return 1
    trained = datafiles.content_dir() / CLASSIFIER in files
    print(f"the interaction models of {', '.join(locales.tags)} are current and valid; "
          f"{skill_json}, the icons, the compiled content"
          f"{', the classifier and the phrasings' if trained else ''}"
          f"{', the words of English' if ENGLISH_PATH in files else ''} are current")
    return 0


def _serve(args: argparse.Namespace) -> int:
    """Serve the Alexa HTTPS endpoint: gunicorn (production) or Flask's server (--dev); the
    TLS files and the address are checked first, so a bad one is one line before anything runs."""
    from skill.alexa.server import ServeOptions, serve

    for option, path in (("--certfile", args.certfile), ("--keyfile", args.keyfile)):
        if args.certfile and args.keyfile and not os.path.exists(path):  # one alone: "give both"
            raise ConfigError("--certfile/--keyfile", path,
                              f"no such file (the {option}): give the PEM file's path")
    options = ServeOptions(host=args.host, port=args.port, dev=args.dev,
                           workers=args.workers, certfile=args.certfile, keyfile=args.keyfile)
    check_bind(options.bind_host, options.port)
    return serve(options)


def check_bind(host: str, port: int) -> None:
    """ConfigError (exit 2) unless `host` resolves and `port` on it can be bound now: a busy
    port, an address not of this machine or a name that does not resolve is said in one line
    before the server starts (gunicorn would retry for seconds, then exit 1)."""
    import errno
    import socket

    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError) as exc:
        reason = exc.strerror if isinstance(exc, socket.gaierror) else str(exc)
        raise ConfigError("--host", host, f"cannot be resolved ({reason}): give an address of "
                          "this machine, e.g. 127.0.0.1, or 0.0.0.0 for all") from exc
    family, kind, proto, _, address = found[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the servers bind
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise ConfigError("--port", port, "is in use on this address: stop what listens "
                                  "there, or give another --port") from exc
            if exc.errno == errno.EACCES:
                raise ConfigError("--port", port, "needs privileges to be bound (ports below "
                                  "1024): give a port from 1024 up, or run as root") from exc
            raise ConfigError("--host", host, f"cannot be bound ({os_reason(exc)}): give an "
                              "address of this machine, e.g. 127.0.0.1, or 0.0.0.0 for all") from exc


def _console(args: argparse.Namespace) -> int:
    """The test console in the browser, on 127.0.0.1."""
    from skill.console.app import serve

    if not 0 < args.port < 65536:
        raise InputError(f"--port {args.port} is out of range: give a port from 1 to 65535")
    return serve(args.port)


def _check(args: argparse.Namespace) -> int:
    """Load and cross-check the content and the model, as every door does at start-up; with a
    public base URL, the manifest's icon and policy addresses too."""
    from skill import settings
    from skill.authoring import manifest
    from skill.core import datafiles
    from skill.core.assembly import build_skill
    from skill.core.content import load_content
    from skill.core.model import load_model

    content, model = load_content(), load_model()
    build_skill(content, model)
    base = settings.PUBLIC_URL.read()
    if base:
        path = datafiles.manifest_path()
        manifest.check(manifest.load_manifest(path), base, path)
    print(f"ok: {len(content.topics)} topics, {len(model.intents)} intents, "
          f"{sum(len(i.samples) for i in model.intents.values())} sample utterances"
          + (f"; icons and policies at {base}" if base else ""))
    return 0


def _locale(args: argparse.Namespace) -> str:
    """The locale asked for with --locale (by default en-US), if the skill has it."""
    from skill.core.locales import DEFAULT, default_locales

    locale, tags = args.locale or DEFAULT, default_locales().tags
    if locale not in tags:
        raise InputError(f"--locale {locale} is not a locale of this skill: give one of "
                         f"{', '.join(tags)}")
    return locale


def _simulator(args: argparse.Namespace) -> Simulator:
    from skill.simulator.envelope import LOCAL_SKILL_ID, Caller
    from skill.simulator.simulator import Simulator
    from skill.simulator.transport import HttpTransport, LocalTransport

    transport = HttpTransport(args.url) if args.url else LocalTransport()
    caller = Caller(LOCAL_SKILL_ID, locale=_locale(args), screen=getattr(args, "screen", False))
    return Simulator(transport, caller=caller)


def _listener(args: argparse.Namespace) -> Listener:
    """The offline recogniser, listening for the sentences of the --locale's interaction model."""
    from skill.core.model import default_model
    from skill.voice.grammar import Grammar
    from skill.voice.listener import Listener

    return Listener(Grammar.from_model(default_model(_locale(args))))


def _outputs(
    args: argparse.Namespace, chat: bool, wav: str | None
) -> tuple[list[TurnSink], SpeechSink | None]:
    """Where each turn goes: JSON lines, or the speech (ask, listen) or a transcript (chat);
    then, with --speak or the WAV file `wav`, the spoken answer, also returned on its own (None
    without either). Speech notices (no sound device: where the WAV went) go to stderr."""
    from skill.simulator.transcript import JsonLines, SpeechOnly, Transcript

    sinks: list[TurnSink]
    if args.json:
        sinks = [JsonLines(sys.stdout)]
    elif chat:
        sinks = [Transcript(sys.stdout, details=args.details)]
    else:
        sinks = [Transcript(sys.stdout, details=True)] if args.details else [SpeechOnly(sys.stdout)]
    if wav is not None and not wav.strip():
        raise VoiceError("the WAV file name is empty: type one, e.g. --wav answer.wav")
    if not args.speak and not wav:
        return sinks, None
    from pathlib import Path

    from skill.voice.sink import SpeechSink
    from skill.voice.speaker import VoiceSettings

    settings = VoiceSettings.from_env(voice=args.voice, rate=args.rate, volume=args.volume)
    speech = SpeechSink(settings, sys.stderr, wav=Path(wav) if wav else None, append=True,
                        keep_going=chat)
    return [*sinks, speech], speech


def _show(sinks: list[TurnSink], turn: Turn) -> None:
    """Each output shows the turn: transcript or JSON line, then any speech."""
    for sink in sinks:
        sink.show(turn)


def _ask(args: argparse.Namespace) -> int:
    """One turn in a new session per utterance: "Alexa, ask leg twitch guide TEXT"."""
    sinks, _ = _outputs(args, chat=False, wav=args.wav)
    simulator = _simulator(args)
    if args.text != ["-"]:
        _show(sinks, simulator.say(" ".join(args.text)))
        return 0
    said = failed = 0
    for number, line in _stdin_lines():
        if not line.strip():
            continue
        said += 1
        simulator.reset()
        try:
            turn = simulator.say(line.rstrip("\r\n"))
        except InputError as exc:
            failed += 1
            print(f"legtwitch: line {number}: {exc}", file=sys.stderr)
            continue
        _show(sinks, turn)
    if not said:
        raise InputError("standard input had no utterances: give one per line")
    return 1 if failed else 0


def _stdin_lines() -> Iterator[tuple[int, str]]:
    """Standard input's lines with their numbers, a UTF-8 byte order mark before the first one
    dropped; InputError when stdin is closed, is not text in its encoding, or has a line too long
    to be an utterance (read no further than utterance.MAX_LINE characters)."""
    if sys.stdin is None:  # started with stdin closed (`<&-`)
        raise InputError("standard input is closed: pipe the utterances in, one per line")
    from skill.simulator.utterance import read_line

    number = 0
    try:
        while True:
            try:
                line = read_line(sys.stdin)
            except InputError as exc:  # too long to read: the rest of stdin is left unread
                raise InputError(f"line {number + 1}: {exc}") from exc
            if not line:
                return
            number += 1
            yield number, line.removeprefix("\ufeff") if number == 1 else line
    except UnicodeError as exc:  # UnicodeDecodeError, or a codec's own (utf-16 with no BOM)
        where = f" after line {number}" if number else ""
        encoding = getattr(exc, "encoding", None) or sys.stdin.encoding
        raise InputError(f"standard input is not {encoding} text{where}: give the "
                         "utterances as text, one per line") from exc
    except OSError as exc:  # e.g. a directory as stdin
        raise InputError(f"cannot read standard input ({exc.strerror or exc}): pipe the "
                         "utterances in, one per line") from exc


def _piped(out: TextIO) -> Callable[[str], str]:
    """chat's reader of piped standard input (as `_stdin_lines`), the prompt on `out`."""
    lines = _stdin_lines()

    def read(prompt: str) -> str:
        print(prompt, end="", file=out, flush=True)
        for _, line in lines:
            return line.rstrip("\r\n")
        raise EOFError

    return read


def _chat(args: argparse.Namespace) -> int:
    """The conversation loop, or (--script) conversation scripts with a pass/fail report."""
    if args.script:
        from skill.simulator.script_runner import run_files

        results = run_files(args.script, lambda: _simulator(args))
        for result in results:
            print(result.report())
        failed = sum(not r.ok for r in results)
        print(f"{len(results) - failed} passed, {failed} failed")
        return 1 if failed else 0
    from skill.simulator.repl import Repl, line_editing

    sinks, speech = _outputs(args, chat=True, wav=args.wav)
    interactive = sys.stdin is not None and sys.stdin.isatty()
    save = line_editing() if interactive else (lambda: None)
    messages = sys.stderr if args.json else sys.stdout  # keep JSON lines alone on stdout
    read = (input if not args.json else None) if interactive else _piped(messages)
    repl = Repl(_simulator(args), sinks, out=messages, read=read, echo=not interactive)
    try:
        code = repl.run()
    finally:
        save()
    failure = speech.failure if speech is not None else None
    return max(code, failure.exit_code if failure is not None else 0)


def _voices(args: argparse.Namespace) -> int:
    """List the voices eSpeak NG offers through pyttsx3."""
    from skill.voice.voices import describe_voices, voices

    lines = describe_voices(voices(), args.language)
    if len(lines) == 2:
        raise VoiceError(f"no voice for language {args.language!r}: try --language en")
    print("\n".join(lines))
    return 0


def _listen(args: argparse.Namespace) -> int:
    """Answer a question spoken in a WAV file (--wav) or, live, into the microphone."""
    if args.wav is not None and not args.wav.strip():
        raise VoiceError("the recording's file name is empty: type one, e.g. --wav question.wav")
    sinks, _ = _outputs(args, chat=False, wav=args.answer_wav)  # a bad --answer-wav fails first
    listener = _listener(args)
    heard = listener.recognise_wav(args.wav) if args.wav else listener.listen()
    source = args.wav or "the microphone"
    if not heard.text:
        print(f"legtwitch: heard no question in {source}: ask about leg twitching, "
              "e.g. 'why do my legs twitch at night'", file=sys.stderr)
        return 1
    logging.getLogger(__name__).info("heard %r in %.2f s of audio (real-time factor %.2f)",
                                     heard.text, heard.audio_seconds, heard.real_time_factor)
    if not args.json:
        print(f"(heard: {heard.text})", file=sys.stderr, flush=True)
    _show(sinks, _simulator(args).say(heard.text))
    return 0


def _talk(args: argparse.Namespace) -> int:
    """A spoken conversation through the microphone; with --or-chat and no microphone, chat."""
    from skill.simulator.transcript import Transcript
    from skill.voice.audio import find_recorder
    from skill.voice.conversation import Conversation, Microphone, Timing

    timing = Timing(wait=args.wait)
    recorder = find_recorder()
    if recorder is None:
        if not args.or_chat:
            raise VoiceError("no microphone found (no LEGTWITCH_RECORDER, sound server or ALSA "
                             "capture device): type `legtwitch chat --speak` to type instead")
        print("legtwitch: no microphone found (no LEGTWITCH_RECORDER, sound server or ALSA "
              "capture device): type your questions; answers are spoken", file=sys.stderr)
        args.speak, args.wav, args.script, args.json = True, None, None, False
        return _chat(args)
    from skill.voice.sink import SpeechSink
    from skill.voice.speaker import VoiceSettings

    settings = VoiceSettings.from_env(voice=args.voice, rate=args.rate, volume=args.volume)
    speech = SpeechSink(settings, sys.stderr)
    listener = _listener(args)
    print(f"legtwitch: listening through {recorder.source} ({recorder.command[0]}); say "
          "'stop' or press Ctrl-C to end", file=sys.stderr, flush=True)
    conversation = Conversation(_simulator(args), listener, speech,
                                [Transcript(sys.stdout, details=args.details)], sys.stdout, timing,
                                barge_in=args.barge_in)
    with Microphone(recorder, listener.frame_bytes) as microphone:
        return conversation.run(microphone)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="legtwitch", description="Leg Twitch Guide: answers questions about leg twitching."
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug detail")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    model = commands.add_parser(
        "model", help="check or regenerate the interaction model JSON, skill.json's addresses and the icons")
    model.add_argument("--write", action="store_true", help="write the generated files")
    model.set_defaults(run=_model)

    serve = commands.add_parser(
        "serve", help="serve the Alexa HTTPS endpoint (gunicorn; --dev: Flask's server)",
        description="Serve the skill to Alexa at POST / (GET /health says ok). Settings come "
        "from LEGTWITCH_SKILL_ID, LEGTWITCH_TRUST_ROOTS, LEGTWITCH_VERIFY, LEGTWITCH_MAX_BODY, "
        "LEGTWITCH_LOG_LEVEL; LEGTWITCH_VERIFY=false is allowed only with --dev.")
    serve.add_argument("--host", help="address to bind (default 0.0.0.0; --dev: 127.0.0.1 only)")
    serve.add_argument("--port", type=int, default=8080, help="port (default 8080)")
    serve.add_argument("--dev", action="store_true",
                       help="Flask's development server on 127.0.0.1, not for production")
    serve.add_argument("--workers", type=int,
                       help="gunicorn workers (default 2 x cores + 1, at most 8)")
    serve.add_argument("--certfile", help="TLS certificate for gunicorn to serve https itself")
    serve.add_argument("--keyfile", help="TLS private key matching --certfile")
    serve.set_defaults(run=_serve)

    console = commands.add_parser(
        "console", help="a test console in the browser on 127.0.0.1 (type or speak, hear, see JSON)",
        description="Serves a page on http://127.0.0.1:PORT/ to try the skill as the Alexa developer "
        "console's Test tab does, offline, and to review its content.")
    console.add_argument("--port", type=int, default=8090, help="port (default 8090)")
    console.set_defaults(run=_console)

    check = commands.add_parser("check", help="validate the content and the model together")
    check.set_defaults(run=_check)

    turn_options = argparse.ArgumentParser(add_help=False)  # what ask and chat share
    turn_options.add_argument("--url", metavar="URL",
                     help="send the envelopes to a running endpoint instead of the skill in process")
    turn_options.add_argument("--json", action="store_true",
                     help="print one JSON object per turn (utterance, intent, slots, topic, speech, "
                          "ssml, reprompt, card, end_session, request, response)")
    turn_options.add_argument("--details", action="store_true",
                     help="show the intent, slots and topic understood, the reprompt and the card")
    turn_options.add_argument("--screen", action="store_true",
                     help="ask from a device with a screen (APL, as an Echo Show) and show what it shows")

    locale_option = argparse.ArgumentParser(add_help=False)  # every door that sends requests
    locale_option.add_argument("--locale", metavar="LOCALE",
                               help="ask as from a device in this locale: en-US (default), en-CA, "
                                    "en-GB, en-AU or en-IN (content/locales.yaml)")

    speak_option = argparse.ArgumentParser(add_help=False)  # ask, chat and listen: text unless
    speak_option.add_argument("--speak", action="store_true",
                              help="speak the answers (no sound device: into a WAV it names)")
    voice_options = argparse.ArgumentParser(add_help=False)  # how ask, chat, listen, talk speak
    voice_options.add_argument("--voice", help="voice id, name or language, optionally +variant "
                               "(see `legtwitch voices`; default gmw/en-us, or LEGTWITCH_VOICE)")
    voice_options.add_argument("--rate", type=int, help="words per minute, 80 to 450 "
                               "(default 175, or LEGTWITCH_RATE)")
    voice_options.add_argument("--volume", type=float, help="0.0 to 1.0 (default 1.0, or "
                               "LEGTWITCH_VOLUME)")
    answer_wav = argparse.ArgumentParser(add_help=False)
    answer_wav.add_argument("--wav", metavar="FILE",
                            help="write the spoken answers to this WAV file instead (chat: one "
                                 "after another)")

    ask = commands.add_parser(
        "ask", parents=[turn_options, locale_option, speak_option, voice_options, answer_wav],
        help="say one thing to the skill, as 'Alexa, ask leg twitch guide ...'",
        description="Prints what Alexa would say. TEXT '-' reads one utterance per line from stdin.")
    ask.add_argument("text", nargs="+", metavar="TEXT", help="what you would say, or - for stdin")
    ask.set_defaults(run=_ask)

    chat = commands.add_parser(
        "chat", parents=[turn_options, locale_option, speak_option, voice_options, answer_wav],
        help="talk to the skill turn by turn, or run conversation scripts",
        description="A conversation that keeps the session: .launch, .new, .help, .quit.")
    chat.add_argument("--script", nargs="+", metavar="FILE",
                      help="run conversation scripts (YAML) and report what failed")
    chat.set_defaults(run=_chat)

    voices = commands.add_parser("voices", help="list the voices for --voice")
    voices.add_argument("--language", metavar="CODE", help="only this language, e.g. en or en-us")
    voices.set_defaults(run=_voices)

    listen = commands.add_parser(
        "listen", parents=[turn_options, locale_option, speak_option, voice_options],
        help="answer a question spoken in a WAV file (--wav) or into the microphone",
        description="Recognises the question offline (pocketsphinx, within the interaction "
        "model's sentences), then answers it as `ask` does; --json's utterance is what was heard.")
    listen.add_argument("--wav", metavar="FILE", help="a WAV recording of the question (any "
                        "PCM format); without it, listen to the microphone")
    listen.add_argument("--answer-wav", metavar="FILE",
                        help="write the spoken answer to this WAV file")
    listen.set_defaults(run=_listen)

    talk_options = argparse.ArgumentParser(add_help=False)
    talk_options.add_argument("--url", metavar="URL",
                              help="send the envelopes to a running endpoint instead")
    talk_options.add_argument("--details", action="store_true",
                              help="show the intent, slots and topic understood, and the card")
    talk = commands.add_parser(
        "talk", parents=[talk_options, locale_option, voice_options],
        help="a spoken conversation: listen, answer aloud, follow-ups included",
        description="Opens the skill, speaks its answers and listens for your replies (yes, no, "
        "tell me more, repeat, stop, or a new question) until the session ends; Ctrl-C ends it. "
        "The microphone is LEGTWITCH_RECORDER or this machine's; speech as --speak.")
    talk.add_argument("--wait", type=float, default=8.0, metavar="SECONDS",
                      help="silence before the reprompt, then before closing (default 8)")
    talk.add_argument("--barge-in", action="store_true",
                      help="speaking while the guide speaks stops it (with a headset: through "
                      "loudspeakers the guide hears itself)")
    talk.add_argument("--or-chat", action="store_true",
                      help="with no microphone, say so and type instead (chat --speak)")
    talk.set_defaults(run=_talk)
    return parser


class _Stdout:
    """Standard output that raises OutputError, saying what to do, when it cannot be written:
    closed (`>&-`), full (`>/dev/full`), or in an encoding without a character of the answer.
    A reader that leaves (BrokenPipeError) is left to `main`."""

    def __init__(self, stream: TextIO | None) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        if self.stream is None:
            raise OutputError("standard output is closed: give the answers somewhere to go, "
                              "e.g. `> answers.txt`")
        try:
            return self.stream.write(text)
        except UnicodeEncodeError as exc:
            bad = exc.object[exc.start]
            raise OutputError(f"standard output's encoding {exc.encoding} cannot write U+{ord(bad):04X}: "
                              "set PYTHONIOENCODING=utf-8") from exc
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise _unwritable(exc) from exc

    def flush(self) -> None:
        if self.stream is None:
            return
        try:
            self.stream.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise _unwritable(exc) from exc

    def __getattr__(self, name: str) -> object:  # isatty, fileno, encoding...
        return getattr(self.stream, name)


def _unwritable(exc: OSError) -> OutputError:
    """Standard output refused a write or a flush (a full disk, a closed descriptor)."""
    return OutputError(f"cannot write to standard output ({os_reason(exc)}): give the answers "
                       "somewhere writable, e.g. `> answers.txt`")


def _drop_stdout(stdout: TextIO | None) -> None:
    """Point standard output at /dev/null, so that what could not be written is not tried again
    (and failed again, with Python's own message) at exit."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), stdout.fileno())  # type: ignore[union-attr]


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    stdout = sys.stdout
    sys.stdout = cast(TextIO, _Stdout(stdout))
    try:
        code = int(args.run(args))
        sys.stdout.flush()
        return code
    except LegTwitchError as exc:
        if isinstance(exc, OutputError):
            _drop_stdout(stdout)
        with contextlib.suppress(OSError):  # stderr too may be gone: then the exit code says it
            print(f"legtwitch: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # e.g. `legtwitch ask ... | head -1`: the reader left
        _drop_stdout(stdout)
        return 141
    finally:
        sys.stdout = stdout
