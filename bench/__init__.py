"""Benchmarks: each figure printed beside a baseline measured in the same run, as a ratio.

Each `bench_*.py` module here exposes `run() -> Iterable[Figure]`; `python -m bench [NAME...]`
runs them all (or the named ones) and prints one table. Benchmarks are not tests: they assert
nothing; goals are printed beside the figures so a reader can judge them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    """One measured figure against the baseline measured in the same run.

    name: what was measured; value/unit: the figure; baseline: the name of what it is compared
    with and its value; goal: the target ratio in words (shown, never asserted).
    """

    name: str
    value: float
    unit: str
    baseline_name: str
    baseline: float
    goal: str = ""

    @property
    def ratio(self) -> float:
        return self.value / self.baseline if self.baseline else float("inf")
