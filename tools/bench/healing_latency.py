"""Fault → resumed through the self-healing loop, by where the repair comes from.

    .venv/bin/python tools/bench/healing_latency.py [--runs 7] [--markdown]

Each run builds a fresh `SelfHealingModule` of the lander (`examples/lander/lander.mlir`),
makes one good @autopilot call (recorded), then the call that faults at the top of the hop,
and reports the loop's own clocks: fault caught → accepted version swapped in, the swap
(compile + slot store) alone, and fault caught → the re-run call returned. The model is not
involved (rules or the cache); a model query adds seconds to minutes on a CPU on top.
"""

from __future__ import annotations

import argparse
import io
import statistics
import tempfile
import time
from pathlib import Path

from neurojit.healing import HealingOptions, SelfHealingModule

LANDER = Path(__file__).resolve().parents[2] / "examples" / "lander" / "lander.mlir"
GOOD = (400.0, -10.0, 500.0)
FAULTING = (465.55000000000007, -0.3900000000000068, 500.0)  # the default flight's apex


def one(cache: Path, preapply: bool) -> tuple[float, float, float, float]:
    """(load s, fault→swapped s, swap s, fault→resumed s) for one module."""
    opts = HealingOptions(runner="mock", proposers="rules", cache=str(cache), preapply=preapply)
    start = time.perf_counter()
    module = SelfHealingModule(LANDER, options=opts, progress=io.StringIO())
    load = time.perf_counter() - start
    module.call("autopilot", *GOOD)
    module.call("autopilot", *FAULTING)
    if not module.repairs:  # the cache was applied at load: nothing faulted
        return load, 0.0, 0.0, 0.0
    r = module.repairs[0]
    return load, r.seconds, r.swap_seconds, r.resume_seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    rows: list[tuple[str, list[tuple[float, float, float, float]]]] = []
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "cache.json"
        one(cache, preapply=False)  # warm-up; also fills the cache
        cache.unlink()
        misses = []
        for _ in range(args.runs):
            misses.append(one(cache, preapply=False))
            cache.unlink()
        rows.append(("rules (cache miss)", misses))
        one(cache, preapply=False)  # the cache now holds the repair
        rows.append(("cache hit at the fault", [one(cache, False) for _ in range(args.runs)]))
        rows.append(("cache applied at load", [one(cache, True) for _ in range(args.runs)]))
    ms = lambda xs: f"{statistics.median(xs) * 1e3:.1f}"  # noqa: E731
    if args.markdown:
        print("| repair from | load ms | fault→swapped ms | swap ms | fault→resumed ms |")
        print("|---|---:|---:|---:|---:|")
    for name, runs in rows:
        cols = [ms([r[i] for r in runs]) for i in range(4)]
        if name == "cache applied at load":
            cols[1:] = ["no fault"] * 3
        if args.markdown:
            print(f"| {name} | " + " | ".join(cols) + " |")
        else:
            print(
                f"{name:24} load {cols[0]} ms, fault->swapped {cols[1]}, swap {cols[2]}, "
                f"fault->resumed {cols[3]}"
            )


if __name__ == "__main__":
    main()
