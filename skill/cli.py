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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="legtwitch", description="Leg Twitch Guide: answers questions about leg twitching."
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug detail")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    model = commands.add_parser("model", help="check or regenerate the interaction model JSON")
    model.add_argument("--write", action="store_true", help="write the generated JSON")
    model.set_defaults(run=_model)
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
