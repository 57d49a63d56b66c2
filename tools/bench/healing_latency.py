"""Fault → resumed through the self-healing loop, by where the repair comes from.

    .venv/bin/python tools/bench/healing_latency.py [--runs 7] [--markdown]

Each run builds a fresh `SelfHealingModule` of the lander (`examples/lander/lander.mlir`),
makes one good @autopilot call (recorded), then the call that faults at the top of the hop,
and reports the loop's own clocks: fault caught → accepted version swapped in, the swap
(compile + slot store) alone, and fault caught → the re-run call returned. The model is not
involved (rules or the cache); a model query adds seconds to minutes on a CPU on top.

Each table is measured once per compiler front end (native: upstream MLIR 22 in a forked
compile child; xdsl), interleaved in one process. The last rows time `CompiledModule.swap`
of the repaired @autopilot alone with the object cache off (every swap a miss: compile of
the new version + LLVM O2 + codegen + link + slot store).
"""

from __future__ import annotations

import argparse
import io
import statistics
import tempfile
import time
from pathlib import Path

from neurojit import compiler
from neurojit.healing import HealingOptions, SelfHealingModule
from neurojit.runtime.engine import JITEngine
from neurojit.runtime.module import compile_module

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


def swap_after_miss(frontend: str, repaired: str, runs: int) -> list[float]:
    """Seconds of `swap("autopilot", repaired)` with the object cache off."""
    out = []
    for _ in range(runs):
        m = compile_module(LANDER, engine=JITEngine(use_cache=False), frontend=frontend)
        start = time.perf_counter()
        m.swap("autopilot", repaired)
        out.append(time.perf_counter() - start)
        assert m.autopilot(*FAULTING) == m.autopilot(*FAULTING)
    return out


def table(runs: int) -> list[tuple[str, list[tuple[float, float, float, float]]]]:
    rows: list[tuple[str, list[tuple[float, float, float, float]]]] = []
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "cache.json"
        one(cache, preapply=False)  # warm-up; also fills the cache
        cache.unlink()
        misses = []
        for _ in range(runs):
            misses.append(one(cache, preapply=False))
            cache.unlink()
        rows.append(("rules (cache miss)", misses))
        one(cache, preapply=False)  # the cache now holds the repair
        rows.append(("cache hit at the fault", [one(cache, False) for _ in range(runs)]))
        rows.append(("cache applied at load", [one(cache, True) for _ in range(runs)]))
    return rows


def repaired_text() -> str:
    with tempfile.TemporaryDirectory() as tmp:
        opts = HealingOptions(runner="mock", proposers="rules", cache=str(Path(tmp) / "c.json"))
        module = SelfHealingModule(LANDER, options=opts, progress=io.StringIO())
        module.call("autopilot", *FAULTING)
        return module.repairs[0].repaired_text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    results = {}
    swaps = {}
    fixed = repaired_text()
    for frontend in ("native", "xdsl"):
        compiler.set_default_frontend(frontend)
        results[frontend] = table(args.runs)
        swaps[frontend] = swap_after_miss(frontend, fixed, args.runs)
    compiler.set_default_frontend(None)
    ms = lambda xs: f"{statistics.median(xs) * 1e3:.1f}"  # noqa: E731
    if args.markdown:
        print(
            "| front end | repair from | load ms | fault→swapped ms | swap ms | fault→resumed ms |"
        )
        print("|---|---|---:|---:|---:|---:|")
    for frontend, rows in results.items():
        for name, runs in rows:
            cols = [ms([r[i] for r in runs]) for i in range(4)]
            if name == "cache applied at load":
                cols[1:] = ["no fault"] * 3
            if args.markdown:
                print(f"| {frontend} | {name} | " + " | ".join(cols) + " |")
            else:
                print(
                    f"{frontend:6} {name:24} load {cols[0]} ms, fault->swapped {cols[1]}, "
                    f"swap {cols[2]}, fault->resumed {cols[3]}"
                )
    print()
    for frontend, times in swaps.items():
        print(f"{frontend:6} swap of @autopilot, object cache off: {ms(times)} ms (median)")


if __name__ == "__main__":
    main()
