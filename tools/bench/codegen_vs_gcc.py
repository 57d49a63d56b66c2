"""Code speed: NeuroJIT-compiled MLIR against the same algorithm in C built with `gcc -O2`.

Three kernels, written twice (MLIR below, C below), same loop order, same types, same
inputs:
- collatz: total Collatz steps for every start value below N (integer loop, scf.while);
- matmul: C = A x B on 128x128 f64 memrefs, i-j-k order with a scalar accumulator;
- histogram: 256-bin histogram of an i64 array, then an in-place prefix sum over the bins
  (memref-heavy: a gather-scatter load/store per element).

Ours is `neurojit.compile(text)` then a Python call per run; C is a shared library from
`gcc -O2 -shared -fPIC` called with ctypes (and, for reference, the same with
`-march=native`, since our JIT compiles for the host CPU). Every time is the best of R
interleaved runs of one call, and each kernel's work is milliseconds, so the Python->native call
(~1 us) is noise. Both results are checked equal before any time counts.

Ours runs twice: with the default explicit fault checks (`checks=True`: a compare and
branch before each division and memref access) and without them (`checks=False`), which
is the like-for-like comparison with C.

    .venv/bin/python tools/bench/codegen_vs_gcc.py [--repeat R] [--markdown]
"""

from __future__ import annotations

import argparse
import ctypes
import os
import platform
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

COLLATZ_N = 100_000
MATMUL_N = 128
HISTOGRAM_N = 2_000_000

MLIR = """
func.func @collatz(%n: i64) -> i64 {
  %c0 = arith.constant 0 : i64
  %c1 = arith.constant 1 : i64
  %c3 = arith.constant 3 : i64
  %lb = arith.constant 1 : index
  %step = arith.constant 1 : index
  %ub = arith.index_cast %n : i64 to index
  %total = scf.for %i = %lb to %ub step %step iter_args(%acc = %c0) -> (i64) {
    %start = arith.index_cast %i : index to i64
    %r:2 = scf.while (%x = %start, %s = %c0) : (i64, i64) -> (i64, i64) {
      %more = arith.cmpi ne, %x, %c1 : i64
      scf.condition(%more) %x, %s : i64, i64
    } do {
    ^bb0(%x: i64, %s: i64):
      %bit = arith.andi %x, %c1 : i64
      %odd = arith.cmpi ne, %bit, %c0 : i64
      %half = arith.shrui %x, %c1 : i64
      %triple = arith.muli %x, %c3 : i64
      %up = arith.addi %triple, %c1 : i64
      %next = arith.select %odd, %up, %half : i64
      %s1 = arith.addi %s, %c1 : i64
      scf.yield %next, %s1 : i64, i64
    }
    %acc1 = arith.addi %acc, %r#1 : i64
    scf.yield %acc1 : i64
  }
  return %total : i64
}

func.func @matmul(%a: memref<128x128xf64>, %b: memref<128x128xf64>,
                  %c: memref<128x128xf64>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = arith.constant 128 : index
  %zero = arith.constant 0.0 : f64
  scf.for %i = %c0 to %n step %c1 {
    scf.for %j = %c0 to %n step %c1 {
      %sum = scf.for %k = %c0 to %n step %c1 iter_args(%acc = %zero) -> (f64) {
        %x = memref.load %a[%i, %k] : memref<128x128xf64>
        %y = memref.load %b[%k, %j] : memref<128x128xf64>
        %p = arith.mulf %x, %y : f64
        %acc1 = arith.addf %acc, %p : f64
        scf.yield %acc1 : f64
      }
      memref.store %sum, %c[%i, %j] : memref<128x128xf64>
    }
  }
  return
}

func.func @histogram(%data: memref<?xi64>, %bins: memref<256xi64>) -> i64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c256 = arith.constant 256 : index
  %zero = arith.constant 0 : i64
  %one = arith.constant 1 : i64
  %mask = arith.constant 255 : i64
  scf.for %b = %c0 to %c256 step %c1 {
    memref.store %zero, %bins[%b] : memref<256xi64>
  }
  %n = memref.dim %data, %c0 : memref<?xi64>
  scf.for %i = %c0 to %n step %c1 {
    %v = memref.load %data[%i] : memref<?xi64>
    %low = arith.andi %v, %mask : i64
    %bin = arith.index_cast %low : i64 to index
    %count = memref.load %bins[%bin] : memref<256xi64>
    %count1 = arith.addi %count, %one : i64
    memref.store %count1, %bins[%bin] : memref<256xi64>
  }
  scf.for %b = %c1 to %c256 step %c1 {
    %prev_index = arith.subi %b, %c1 : index
    %prev = memref.load %bins[%prev_index] : memref<256xi64>
    %here = memref.load %bins[%b] : memref<256xi64>
    %sum = arith.addi %prev, %here : i64
    memref.store %sum, %bins[%b] : memref<256xi64>
  }
  %mid = arith.constant 128 : index
  %r = memref.load %bins[%mid] : memref<256xi64>
  return %r : i64
}
"""

C_SOURCE = r"""
#include <stdint.h>

int64_t collatz(int64_t n) {
  int64_t total = 0;
  for (int64_t i = 1; i < n; i++) {
    int64_t x = i, s = 0;
    while (x != 1) {
      x = (x & 1) ? 3 * x + 1 : (int64_t)((uint64_t)x >> 1);
      s++;
    }
    total += s;
  }
  return total;
}

void matmul(const double *a, const double *b, double *c) {
  for (int64_t i = 0; i < 128; i++)
    for (int64_t j = 0; j < 128; j++) {
      double acc = 0.0;
      for (int64_t k = 0; k < 128; k++) acc += a[i * 128 + k] * b[k * 128 + j];
      c[i * 128 + j] = acc;
    }
}

int64_t histogram(const int64_t *data, int64_t n, int64_t *bins) {
  for (int64_t b = 0; b < 256; b++) bins[b] = 0;
  for (int64_t i = 0; i < n; i++) bins[data[i] & 255] += 1;
  for (int64_t b = 1; b < 256; b++) bins[b] += bins[b - 1];
  return bins[128];
}
"""


@dataclass
class Kernel:
    name: str
    ours: Callable[[Any], Any]  # module -> a zero-argument callable returning the result
    c: Callable[[ctypes.CDLL], Callable[[], Any]]
    size: str


def build_c(workdir: Path, flags: list[str]) -> ctypes.CDLL:
    src = workdir / "kernels.c"
    lib = workdir / f"kernels{len(flags)}.so"
    src.write_text(C_SOURCE)
    subprocess.run(["gcc", *flags, "-shared", "-fPIC", "-o", str(lib), str(src)], check=True)
    dll = ctypes.CDLL(str(lib))
    dll.collatz.restype = ctypes.c_int64
    dll.collatz.argtypes = [ctypes.c_int64]
    dll.matmul.restype = None
    dll.matmul.argtypes = [ctypes.c_void_p] * 3
    dll.histogram.restype = ctypes.c_int64
    dll.histogram.argtypes = [ctypes.c_void_p, ctypes.c_int64, ctypes.c_void_p]
    return dll


def kernels() -> list[Kernel]:
    rng = np.random.default_rng(1)
    a = rng.standard_normal((MATMUL_N, MATMUL_N))
    b = rng.standard_normal((MATMUL_N, MATMUL_N))
    data = rng.integers(-(2**62), 2**62, HISTOGRAM_N, dtype=np.int64)

    def ours_matmul(m: Any) -> Callable[[], Any]:
        out = np.zeros((MATMUL_N, MATMUL_N))
        return lambda: (m.matmul(a, b, out), out.copy())[1]

    def c_matmul(dll: ctypes.CDLL) -> Callable[[], Any]:
        out = np.zeros((MATMUL_N, MATMUL_N))
        return lambda: (dll.matmul(a.ctypes.data, b.ctypes.data, out.ctypes.data), out.copy())[1]

    def ours_hist(m: Any) -> Callable[[], Any]:
        bins = np.zeros(256, dtype=np.int64)
        return lambda: (m.histogram(data, bins), bins.copy())

    def c_hist(dll: ctypes.CDLL) -> Callable[[], Any]:
        bins = np.zeros(256, dtype=np.int64)
        return lambda: (dll.histogram(data.ctypes.data, len(data), bins.ctypes.data), bins.copy())

    return [
        Kernel(
            "collatz",
            lambda m: lambda: m.collatz(COLLATZ_N),
            lambda dll: lambda: dll.collatz(COLLATZ_N),
            f"n < {COLLATZ_N:,}",
        ),
        Kernel("matmul", ours_matmul, c_matmul, f"{MATMUL_N}^3 f64"),
        Kernel("histogram", ours_hist, c_hist, f"{HISTOGRAM_N:,} x i64, 256 bins"),
    ]


def best_of(fns: list[Callable[[], Any]], repeat: int) -> list[float]:
    """Best time of each function over `repeat` rounds, interleaved so that load from other
    processes (2 shared cores) hits every contender alike instead of one unlucky column."""
    best = [float("inf")] * len(fns)
    for fn in fns:
        fn()  # warm: page in code and data
    for _ in range(repeat):
        for i, fn in enumerate(fns):
            t0 = time.perf_counter()
            fn()
            best[i] = min(best[i], time.perf_counter() - t0)
    return best


def same(x: Any, y: Any) -> bool:
    if isinstance(x, tuple):
        return all(same(p, q) for p, q in zip(x, y, strict=True))
    if isinstance(x, np.ndarray):
        # Same loop order and no fast-math: bit-identical results are expected.
        return bool(np.array_equal(x, y))
    return bool(x == y)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--markdown", action="store_true", help="print a markdown table")
    args = parser.parse_args()

    import neurojit

    checked = neurojit.compile(MLIR, name="bench_checked", checks=True)
    unchecked = neurojit.compile(MLIR, name="bench_unchecked", checks=False)
    with tempfile.TemporaryDirectory() as tmp:
        dll = build_c(Path(tmp), ["-O2"])
        # Our JIT targets the host CPU; this column shows how much of a gap is -march alone.
        native = build_c(Path(tmp), ["-O2", "-march=native"])
        rows = []
        for k in kernels():
            c_fn, native_fn = k.c(dll), k.c(native)
            runs = {"checks": k.ours(checked), "no checks": k.ours(unchecked)}
            want = c_fn()
            for label, fn in [*runs.items(), ("gcc -march=native", native_fn)]:
                got = fn()
                if not same(got, want):
                    raise SystemExit(f"{k.name} ({label}): {got!r} != gcc -O2 {want!r}")
            t_c, t_native, t_checks, t_plain = best_of(
                [c_fn, native_fn, runs["checks"], runs["no checks"]], args.repeat
            )
            rows.append((k.name, k.size, t_c, t_native, t_plain, t_checks))

    cpu = platform.processor() or platform.machine()
    header = (
        "| kernel | size | gcc -O2 | ours, no checks | ratio | ours, checks (default) | ratio "
        "| gcc -O2 -march=native | ratio |"
    )
    lines = [header, "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for name, size, t_c, t_native, t_plain, t_checks in rows:
        lines.append(
            f"| {name} | {size} | {t_c * 1e3:.2f} ms | {t_plain * 1e3:.2f} ms | "
            f"{t_plain / t_c:.2f}x | {t_checks * 1e3:.2f} ms | {t_checks / t_c:.2f}x | "
            f"{t_native * 1e3:.2f} ms | {t_native / t_c:.2f}x |"
        )
    if args.markdown:
        print("\n".join(lines))
    else:
        for name, size, t_c, t_native, t_plain, t_checks in rows:
            print(
                f"{name:10s} {size:28s} gcc {t_c * 1e3:7.2f} ms   ours {t_plain * 1e3:7.2f} ms "
                f"({t_plain / t_c:.2f}x)   ours+checks {t_checks * 1e3:7.2f} ms "
                f"({t_checks / t_c:.2f}x)   gcc -march=native {t_native * 1e3:7.2f} ms "
                f"({t_native / t_c:.2f}x)"
            )
    print(f"\n(best of {args.repeat}; {cpu}, {os.cpu_count()} cores; gcc -O2 vs NeuroJIT O2)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
