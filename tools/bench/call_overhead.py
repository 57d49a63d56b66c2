"""Python → native call overhead: ours against a bare ctypes call of the same machine code.

    .venv/bin/python tools/bench/call_overhead.py [--markdown]

The function is `add(i64, i64) -> i64`. Contenders, interleaved round by round so machine
load hits all of them alike (best round reported, as timeit recommends):
- bare ctypes: `CFUNCTYPE(c_int64, c_int64, c_int64)` on the function's own address;
- ours, unguarded: `compile_module(..., guard=False).add(a, b)` (packed entry, scratch pool);
- ours, default: the same through the crash guard's trampoline (what users get).
"""

from __future__ import annotations

import argparse
import ctypes
import tempfile
import timeit

from neurojit.runtime.engine import JITEngine
from neurojit.runtime.module import compile_module

ADD = """
func.func @add(%a: i64, %b: i64) -> i64 {
  %s = arith.addi %a, %b : i64
  return %s : i64
}
"""


def measure(rounds: int = 9, number: int = 100_000) -> dict[str, float]:
    engine = JITEngine(cache_dir=tempfile.mkdtemp(prefix="nj-bench-"))
    guarded = compile_module(ADD, name="add_g", checks=False, engine=engine)
    direct = compile_module(ADD, name="add_d", checks=False, engine=engine, guard=False)
    bare = ctypes.CFUNCTYPE(ctypes.c_int64, ctypes.c_int64, ctypes.c_int64)(
        direct.current_address("add")
    )
    calls = {"bare ctypes": bare, "ours, unguarded": direct.add, "ours, guarded": guarded.add}
    for fn in calls.values():
        assert fn(40, 2) == 42
    best = {name: float("inf") for name in calls}
    for _ in range(rounds):
        for name, fn in calls.items():
            t = timeit.timeit("f(40, 2)", globals={"f": fn}, number=number)
            best[name] = min(best[name], t / number * 1e9)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    best = measure()
    base = best["bare ctypes"]
    if args.markdown:
        print("| call | ns per call | vs bare ctypes |")
        print("|---|---:|---:|")
        for name, ns in best.items():
            print(f"| {name} | {ns:.0f} | {ns / base:.2f}x |")
    else:
        for name, ns in best.items():
            print(f"{name:18s} {ns:7.0f} ns  {ns / base:.2f}x")


if __name__ == "__main__":
    main()
