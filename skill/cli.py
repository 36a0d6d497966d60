"""The `legtwitch` command line: one subcommand per door, each imported only when used."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from skill.errors import LegTwitchError


def _model(args: argparse.Namespace) -> int:
    """Regenerate (--write) or check (default) the interaction model JSON."""
    from skill import model

    text = model.render(model.generate())
    if args.write:
        model.MODEL_PATH.write_text(text, encoding="utf-8")
        print(f"wrote {model.MODEL_PATH}")
        return 0
    current = model.MODEL_PATH.read_text(encoding="utf-8") if model.MODEL_PATH.exists() else ""
    if current != text:
        print(f"{model.MODEL_PATH} is out of date: run `make model`", file=sys.stderr)
        return 1
    model.validate(model.generate(), model.MODEL_PATH)
    print(f"{model.MODEL_PATH} is current and valid")
    return 0


def _serve(args: argparse.Namespace) -> int:
    """Serve the Alexa HTTPS endpoint: gunicorn (production) or Flask's server (--dev)."""
    from skill.errors import ConfigError
    from skill.server import ServeOptions, serve

    try:
        options = ServeOptions(host=args.host, port=args.port, dev=args.dev,
                               workers=args.workers, certfile=args.certfile, keyfile=args.keyfile)
        return serve(options)
    except ConfigError as exc:  # a setting or option to change: usage, exit 2
        print(f"legtwitch serve: {exc}", file=sys.stderr)
        return 2


def _check(args: argparse.Namespace) -> int:
    """Load and cross-check the content and the model, as every door does at start-up."""
    from skill.content import load_content
    from skill.core import build_skill
    from skill.model import load_model

    content, model = load_content(), load_model()
    build_skill(content, model)
    print(f"ok: {len(content.topics)} topics, {len(model.intents)} intents, "
          f"{sum(len(i.samples) for i in model.intents.values())} sample utterances")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="legtwitch", description="Leg Twitch Guide: answers questions about leg twitching."
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug detail")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    model = commands.add_parser("model", help="check or regenerate the interaction model JSON")
    model.add_argument("--write", action="store_true", help="write the generated JSON")
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

    check = commands.add_parser("check", help="validate the content and the model together")
    check.set_defaults(run=_check)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    try:
        return int(args.run(args))
    except LegTwitchError as exc:
        print(f"legtwitch: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
