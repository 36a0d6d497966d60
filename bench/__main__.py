"""`python -m bench [NAME...]`: run the benchmarks and print every figure with its baseline."""

from __future__ import annotations

import importlib
import pkgutil
import sys

import bench as bench


def main(argv: list[str]) -> int:
    names = sorted(m.name for m in pkgutil.iter_modules(bench.__path__) if m.name.startswith("bench_"))
    wanted = [n for n in names if not argv or any(a in n for a in argv)]
    if not wanted:
        print(f"no benchmark matches {argv}; there are: {', '.join(names)}", file=sys.stderr)
        return 2
    header = f"{'figure':<56} {'value':>12} {'baseline':<34} {'value':>12} {'ratio':>7}  goal"
    for name in wanted:
        module = importlib.import_module(f"bench.{name}")
        print(f"\n== {name}\n{header}")
        for f in module.run():
            print(
                f"{f.name:<56} {f.value:>10.3f} {f.unit:<2} {f.baseline_name:<33}"
                f" {f.baseline:>10.3f} {f.unit:<2} {f.ratio:>6.2f}x  {f.goal}",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
