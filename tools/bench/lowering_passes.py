"""Time of each lowering pass and of the LLVM IR translation, on the compile benchmark's modules.

Usage: .venv/bin/python tools/bench/lowering_passes.py [--rounds N]
Prints a markdown table: per-pass milliseconds (best of N rounds, each on a freshly parsed
module) for the ~100- and ~1,000-op modules of tools/bench/mlir_modules.py.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from mlir_modules import synthetic_module  # noqa: E402


def count_ops(text: str) -> int:
    from neurojit.ir import parse_module

    return sum(1 for op in parse_module(text).walk()) - 1


def time_passes(text: str, rounds: int) -> dict[str, float]:
    from xdsl.context import Context

    from neurojit.ir import parse_module
    from neurojit.lowering import _pipeline_passes, to_llvm_ir

    best: dict[str, float] = {}
    for _ in range(rounds):
        module = parse_module(text)
        for p in _pipeline_passes():
            start = time.perf_counter()
            p.apply(Context(), module)
            best[p.name] = min(best.get(p.name, 1e9), time.perf_counter() - start)
        start = time.perf_counter()
        to_llvm_ir(module)
        best["to LLVM IR"] = min(best.get("to LLVM IR", 1e9), time.perf_counter() - start)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    modules = {"~100 ops": synthetic_module(4, 25), "~1,000 ops": synthetic_module(20, 50)}
    results = {name: time_passes(text, args.rounds) for name, text in modules.items()}
    sizes = {name: count_ops(text) for name, text in modules.items()}
    names = list(next(iter(results.values())))
    print("| step | " + " | ".join(f"{n} ({sizes[n]})" for n in results) + " |")
    print("|---|" + "---:|" * len(results))
    for step in names:
        cells = " | ".join(f"{results[n][step] * 1000:.1f} ms" for n in results)
        print(f"| {step} | {cells} |")
    totals = " | ".join(f"**{sum(r.values()) * 1000:.0f} ms**" for r in results.values())
    print(f"| total | {totals} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
