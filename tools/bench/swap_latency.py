"""Hot-swap latency: compile a new version of a function, then publish it in its slot.

    .venv/bin/python tools/bench/swap_latency.py [--markdown] [--swaps N]

`CompiledModule.swap(name, text)` = parse + verify the new function (with the module's
declarations), insert checks, lower, LLVM O2 + codegen (or an object-cache hit for a version
seen before), link into a new JITDylib `<module>@vN`, then one 8-byte store into the
dispatch slot. The store is also timed alone. Medians over N swaps, each a new version
(a new constant, so every one is an object-cache miss), then the same N texts again (hits).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import timeit

from neurojit.runtime import slots
from neurojit.runtime.engine import JITEngine
from neurojit.runtime.module import compile_module

PROGRAM = """
func.func @scale(%x: i64) -> i64 {
  %k = arith.constant 1 : i64
  %r = arith.muli %x, %k : i64
  return %r : i64
}
func.func @caller(%x: i64) -> i64 {
  %a = func.call @scale(%x) : (i64) -> i64
  return %a : i64
}
"""


def version(k: int) -> str:
    return (
        "func.func @scale(%x: i64) -> i64 {\n"
        f"  %k = arith.constant {k} : i64\n"
        "  %r = arith.muli %x, %k : i64\n"
        "  return %r : i64\n}\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("--swaps", type=int, default=15)
    args = parser.parse_args()
    engine = JITEngine(cache_dir=tempfile.mkdtemp(prefix="nj-swap-"))
    m = compile_module(PROGRAM, engine=engine)
    miss, hit = [], []
    for k in range(2, 2 + args.swaps):
        start = time.perf_counter()
        m.swap("scale", version(k))
        miss.append(time.perf_counter() - start)
        assert m.caller(3) == 3 * k
    for k in range(2, 2 + args.swaps):
        start = time.perf_counter()
        m.swap("scale", version(k))
        hit.append(time.perf_counter() - start)
        assert m.caller(3) == 3 * k
    slot, current = m.slot_address("scale"), m.current_address("scale")
    n = 200_000
    store_ns = (
        min(timeit.repeat(lambda: slots.store_slot(slot, current), number=n, repeat=5)) / n * 1e9
    )
    rows = [
        ("swap, new version (object-cache miss)", statistics.median(miss) * 1e3, "ms"),
        ("swap, version seen before (object-cache hit)", statistics.median(hit) * 1e3, "ms"),
        ("slot store alone (from Python)", store_ns, "ns"),
    ]
    if args.markdown:
        print("| step | median |")
        print("|---|---:|")
        for name, value, unit in rows:
            print(f"| {name} | {value:.1f} {unit} |")
    else:
        for name, value, unit in rows:
            print(f"{name:48s} {value:8.1f} {unit}")


if __name__ == "__main__":
    main()
