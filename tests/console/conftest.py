"""The console's test helpers: questions spoken by the espeak-ng command, and `legtwitch console` in its
own process. eSpeak NG's renditions depend on every synthesis before them in a process (its random
state), so the console's tests synthesise nothing in the test process: the tests after them hear
what they would hear without them."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import wavs
from tests.support.loopback import free_port, running

VOICE = "en-us+f2"  # eSpeak NG's American English, a voice the recogniser hears well


def espeak_wav(text: str, path: Path) -> Path:
    """`text` spoken by the espeak-ng command, in the console tests' voice, into `path`."""
    return wavs.espeak_wav(text, path, VOICE)


@pytest.fixture(scope="module")
def console_port() -> Iterator[int]:
    """The port of `legtwitch console` running on 127.0.0.1 in its own process."""
    port = free_port()
    with running([sys.executable, "-m", "skill", "console", "--port", str(port)], port):
        yield port
