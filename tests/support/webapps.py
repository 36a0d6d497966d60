"""Endpoint apps for gunicorn in tests and benchmarks: test CA roots, chains from a loopback host.

`python -m tests.support.webapps --port P [--workers N] [--skill hello|legtwitch] [--no-verify]
[--timeout S] [--dev]` serves `create_app` under gunicorn (with --dev, werkzeug's server, as
`legtwitch serve --dev` does; skill.alexa.server) with certificate chains downloaded from
LEGTWITCH_TEST_CERT_BASE instead of https://s3.amazonaws.com, and the roots in
LEGTWITCH_TRUST_ROOTS; the other LEGTWITCH_* settings apply as usual.
"""

from __future__ import annotations

import argparse
import logging
import os
from collections.abc import Callable
from typing import Any

from skill.alexa.server import ServeOptions, gunicorn_settings, run_dev_server, run_gunicorn
from skill.alexa.signature import ChainDownloader

AMAZON = "https://s3.amazonaws.com"


def chain_downloads(base: str, timeout: float = 1.0) -> Callable[[str], bytes]:
    """A certificate chain download from the loopback host at `base` instead of Amazon's."""
    downloader = ChainDownloader(timeout=timeout)
    return lambda url: downloader(url.replace(AMAZON, base, 1))


def test_app(skill: str = "legtwitch", verify: bool = True) -> Any:
    """create_app serving `skill` (the Leg Twitch Guide or hello world) for the loopback host."""
    from skill.alexa.app import create_app

    served = None
    if skill == "hello":
        from tests.support.helloskill import build_hello_skill

        served = build_hello_skill()
    return create_app({
        "LEGTWITCH_DOWNLOAD": chain_downloads(os.environ["LEGTWITCH_TEST_CERT_BASE"]),
        "LEGTWITCH_SKILL": served,
        "LEGTWITCH_VERIFY": verify,
        "LEGTWITCH_DEV": not verify,  # the benchmark's unverified baseline only
    })


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.support.webapps")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--skill", choices=["legtwitch", "hello"], default="legtwitch")
    parser.add_argument("--no-verify", action="store_true")
    parser.add_argument("--timeout", type=int, default=ServeOptions.timeout,
                        help="the server's timeout: a request body must arrive within it")
    parser.add_argument("--dev", action="store_true", help="werkzeug's server, as `serve --dev`")
    parser.add_argument("--quiet", action="store_true", help="no access log")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    options = ServeOptions(host="127.0.0.1", port=args.port, dev=args.dev, workers=args.workers,
                           timeout=args.timeout)
    if args.dev:
        run_dev_server(test_app(args.skill, not args.no_verify), options)
        return
    settings = gunicorn_settings(options)
    if args.quiet:
        settings.update(accesslog=None, loglevel="warning")
    run_gunicorn(test_app(args.skill, not args.no_verify), settings)


if __name__ == "__main__":
    main()
