"""MLIR text → callable, and what the object cache saves.

    .venv/bin/python tools/bench/compile_time.py [--markdown] [--rounds N]

Modules come from `mlir_modules.synthetic_module`: ~100 ops (4 functions), ~1,000 ops
(20 functions) and ~10,000 ops (200 functions). All contenders run interleaved in one
process, one round after another, and the median round is reported, so ratios come from the
same machine state.

Table 1, MLIR text → callable (a Python callable of the last function, checked on a value),
with the default explicit fault checks, object cache off (a cold compile):
- native: `compile_module(text, frontend="native")`: upstream MLIR 22 in-process (parse +
  verify, checks, lowering, translation) in a forked compile child, then our llvmlite engine
  (O2 + codegen, link, slots, packed entry);
- native, no checks: the same with `checks=False` (what upstream's column compiles: the
  subprocess pipeline inserts no checks);
- native, no fork: with checks, NEUROJIT_COMPILE_ISOLATION=none (what the isolation costs);
- xdsl: `compile_module(text, frontend="xdsl")`: xDSL parse + verify, our lowering;
- upstream: `mlir-opt-19 <pipeline> | mlir-translate-19 --mlir-to-llvmir` as subprocesses,
  then llvmlite: parse, O2, codegen, link (the same engine, cache off), a ctypes callable.
Ratios are each / upstream (goal for native: ≤ 0.5x).

Table 1b, the front end alone: MLIR text → LLVM IR (no checks, like upstream's tools):
`neurojit.compiler.compile_text` native (in the compile worker) and xdsl, against
`mlir-opt-19 | mlir-translate-19` as subprocesses. The LLVM part after it is the same for all.

Table 2, object cache: the same module compiled by a fresh engine with an empty cache
directory (miss) and with a warm one (hit). "LLVM part" is `JITEngine.add_ir` alone (the
work the cache removes: O2 + codegen vs reading the object); "end to end" is the whole
`compile_module`: on a hit its cache record skips parsing and lowering as well.
"""

from __future__ import annotations

import argparse
import ctypes
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from mlir_modules import count_ops, synthetic_module  # noqa: E402

from neurojit.runtime.engine import JITEngine  # noqa: E402
from neurojit.runtime.module import compile_module, lower_with_neurojit  # noqa: E402
from neurojit.runtime.upstream import UPSTREAM_PIPELINE  # noqa: E402

SIZES = {"~100 ops": (4, 25), "~1,000 ops": (20, 50), "~10,000 ops": (200, 50)}
CACHE_SIZES = {k: v for k, v in SIZES.items() if k != "~10,000 ops"}


def upstream_callable(text: str, engine: JITEngine, fname: str) -> Callable[..., int]:
    opt = subprocess.Popen(
        ["mlir-opt-19", *UPSTREAM_PIPELINE],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    tr = subprocess.Popen(
        ["mlir-translate-19", "--mlir-to-llvmir"],
        stdin=opt.stdout,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert opt.stdin is not None and opt.stdout is not None
    opt.stdin.write(text)
    opt.stdin.close()
    opt.stdout.close()
    ir, _ = tr.communicate()
    opt.wait()
    assert tr.returncode == 0 and opt.returncode == 0
    lib = engine.add_ir("upstream", ir, [fname])
    fn = ctypes.CFUNCTYPE(ctypes.c_int64, ctypes.c_int64, ctypes.c_int64)(lib[fname])
    fn.library = lib  # keep the dylib loaded as long as the callable
    return fn


def timed(fn: Callable[..., object], *args: object, **kwargs: object) -> tuple[float, object]:
    start = time.perf_counter()
    out = fn(*args, **kwargs)
    return time.perf_counter() - start, out


def text_to_callable(rounds: int) -> list[tuple[str, int, dict[str, float]]]:
    import os

    cold = JITEngine(use_cache=False)
    rows = []
    for label, (n, k) in SIZES.items():
        text = synthetic_module(n, k)
        fname = f"f{n - 1}"
        times: dict[str, list[float]] = {
            "native": [],
            "nochecks": [],
            "nofork": [],
            "xdsl": [],
            "upstream": [],
        }
        for _ in range(rounds):
            t, fn = timed(upstream_callable, text, cold, fname)
            times["upstream"].append(t)
            value = fn(3, 4)
            for key, frontend, isolation, checks in (
                ("native", "native", "fork", True),
                ("nochecks", "native", "fork", False),
                ("nofork", "native", "none", True),
                ("xdsl", "xdsl", "fork", True),
            ):
                os.environ["NEUROJIT_COMPILE_ISOLATION"] = isolation
                t, m = timed(
                    compile_module,
                    text,
                    engine=cold,
                    guard=False,
                    frontend=frontend,
                    checks=checks,
                )
                times[key].append(t)
                assert m.frontend == frontend
                assert getattr(m, fname)(3, 4) == value, f"{key} and upstream disagree"
            os.environ.pop("NEUROJIT_COMPILE_ISOLATION", None)
        med = {key: statistics.median(v) for key, v in times.items()}
        rows.append((label, count_ops(text), med))
    return rows


def upstream_ir(text: str) -> str:
    opt = subprocess.run(
        ["mlir-opt-19", *UPSTREAM_PIPELINE], input=text, capture_output=True, text=True
    )
    tr = subprocess.run(
        ["mlir-translate-19", "--mlir-to-llvmir"], input=opt.stdout, capture_output=True, text=True
    )
    return tr.stdout


def text_to_llvm_ir(rounds: int) -> list[tuple[str, dict[str, float]]]:
    from neurojit import compiler

    rows = []
    for label, (n, k) in SIZES.items():
        text = synthetic_module(n, k)
        compiler.compile_text(text, "bench.mlir", checks=False, frontend="native")  # worker up
        times: dict[str, list[float]] = {"native": [], "xdsl": [], "upstream": []}
        for _ in range(rounds):
            for fe in ("native", "xdsl"):
                t, _ = timed(compiler.compile_text, text, "bench.mlir", checks=False, frontend=fe)
                times[fe].append(t)
            t, ir = timed(upstream_ir, text)
            times["upstream"].append(t)
            assert "define" in ir
        rows.append((label, {key: statistics.median(v) for key, v in times.items()}))
    return rows


def object_cache(rounds: int) -> list[tuple[str, float, float, float, float]]:
    rows = []
    for label, (n, k) in CACHE_SIZES.items():
        text = synthetic_module(n, k, seed=7)
        # The LLVM IR the engine sees, slots and entries included, as compile_module builds it.
        from neurojit.ir import parse_module

        ir = lower_with_neurojit(parse_module(text))
        warm_dir = tempfile.mkdtemp(prefix="nj-objcache-")
        JITEngine(cache_dir=warm_dir).add_ir("warm", ir, [])
        miss_llvm, hit_llvm, miss_e2e, hit_e2e = [], [], [], []
        for _ in range(rounds):
            miss = JITEngine(cache_dir=tempfile.mkdtemp(prefix="nj-objcache-"))
            hit = JITEngine(cache_dir=warm_dir)
            miss_llvm.append(timed(miss.add_ir, "m", ir, [])[0])
            hit_llvm.append(timed(hit.add_ir, "h", ir, [])[0])
            assert miss.stats.cache_misses == 1 and hit.stats.cache_hits == 1
            miss2 = JITEngine(cache_dir=tempfile.mkdtemp(prefix="nj-objcache-"))
            t, _ = timed(compile_module, text, checks=False, engine=miss2)
            miss_e2e.append(t)
            t, again = timed(compile_module, text, checks=False, engine=miss2)
            hit_e2e.append(t)
            assert getattr(again, "from_cache", False), "the second compile was not a hit"
        rows.append(
            (
                label,
                statistics.median(miss_llvm),
                statistics.median(hit_llvm),
                statistics.median(miss_e2e),
                statistics.median(hit_e2e),
            )
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    t2c = text_to_callable(args.rounds)
    t2ir = text_to_llvm_ir(args.rounds)
    oc = object_cache(args.rounds)
    ms = 1e3
    print(
        "| module | ops | native | ratio | native, no checks | ratio | native, no fork | ratio "
        "| xdsl | ratio | upstream tools + llvmlite |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for label, ops, med in t2c:
        up = med["upstream"]
        cells = " | ".join(
            f"{med[k] * ms:.0f} ms | {med[k] / up:.2f}x"
            for k in ("native", "nochecks", "nofork", "xdsl")
        )
        print(f"| {label} | {ops} | {cells} | {up * ms:.0f} ms |")
    print()
    print(
        "| module | native → LLVM IR | ratio | xdsl → LLVM IR | ratio | mlir-opt-19 + translate |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    for label, med in t2ir:
        up = med["upstream"]
        print(
            f"| {label} | {med['native'] * ms:.0f} ms | {med['native'] / up:.2f}x "
            f"| {med['xdsl'] * ms:.0f} ms | {med['xdsl'] / up:.2f}x | {up * ms:.0f} ms |"
        )
    print()
    print("| module | LLVM part, miss | hit | saved | end to end, miss | hit | saved |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for label, ml, hl, me, he in oc:
        print(
            f"| {label} | {ml * ms:.1f} ms | {hl * ms:.1f} ms | {ml / hl:.0f}x "
            f"| {me * ms:.0f} ms | {he * ms:.0f} ms | {me / he:.2f}x |"
        )


if __name__ == "__main__":
    main()
