"""The skill core: cold start (a Lambda's first request) and memory, beside a hello-world skill.

Each figure is measured in fresh interpreters (median of RUNS), for the Leg Twitch Guide skill
and for the hello-world ASK skill of tests/helloskill.py, in the same run, the two skills' runs
alternating so that a busy machine slows both alike: the time to import and build the skill and
answer one request, and the peak resident memory of that process. Both start as a deployed
package does, with the modules' bytecode already compiled (`make lambda` ships it; a first,
unmeasured run writes it to a private cache, PYTHONPYCACHEPREFIX). A warm request is timed in
this process for both skills on the same envelope.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable

from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope

from bench import Figure
from skill.core.assembly import get_skill
from tests.support.alexarequest import asking, envelope
from tests.support.helloskill import build_hello_skill

RUNS = 15
BUILD = {
    "legtwitch": "from skill.core.assembly import get_skill as build",
    "hello": "from tests.support.helloskill import build_hello_skill as build",
}
CHILD = """
import sys, time
t0 = time.perf_counter()
{import_line}
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope
serializer = DefaultSerializer()
request = serializer.deserialize(sys.stdin.read(), RequestEnvelope)
serializer.serialize(build().invoke(request_envelope=request, context=None))
elapsed = time.perf_counter() - t0
# VmHWM (peak resident set) is this program's own: ru_maxrss would carry the parent's over exec.
peak = next(line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(elapsed, peak)
"""


def cold(body: str) -> dict[str, tuple[float, float]]:
    """Per skill, the median seconds to first answer and median peak RSS (KiB) over RUNS fresh
    interpreters. The two skills' runs alternate, so a busy machine slows both alike."""
    times: dict[str, list[float]] = {kind: [] for kind in BUILD}
    rss: dict[str, list[float]] = {kind: [] for kind in BUILD}
    with tempfile.TemporaryDirectory(prefix="bench-pycache-") as cache:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = cache
        for run in range(RUNS + 1):  # the first run compiles the bytecode; it is not counted
            for kind, import_line in BUILD.items():
                done = subprocess.run([sys.executable, "-c", CHILD.format(import_line=import_line)],
                                      input=body, capture_output=True, text=True, check=True, env=env)
                elapsed, peak = done.stdout.split()
                if run:
                    times[kind].append(float(elapsed))
                    rss[kind].append(float(peak))
    return {kind: (statistics.median(times[kind]), statistics.median(rss[kind])) for kind in BUILD}


def warm(skill: object, body: str, n: int = 2000) -> float:
    """Median microseconds per request: deserialize, invoke, serialize."""
    serializer = DefaultSerializer()
    samples = []
    for _ in range(n):
        t0 = time.perf_counter()
        request = serializer.deserialize(body, RequestEnvelope)
        serializer.serialize(skill.invoke(request_envelope=request, context=None))  # type: ignore[attr-defined]
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples) * 1e6


def run() -> Iterable[Figure]:
    body = envelope(asking("caffeine")).decode("utf-8")
    medians = cold(body)
    (ours_t, ours_rss), (hello_t, hello_rss) = medians["legtwitch"], medians["hello"]
    yield Figure("cold start: import, build, first answer", ours_t * 1e3, "ms",
                 "hello-world ASK skill, same request", hello_t * 1e3, "Lambda cold start")
    yield Figure("peak memory of that process", ours_rss / 1024, "MiB",
                 "hello-world ASK skill process", hello_rss / 1024)
    yield Figure("warm request in process, median", warm(get_skill(), body), "us",
                 "hello-world ASK skill", warm(build_hello_skill(), body))
