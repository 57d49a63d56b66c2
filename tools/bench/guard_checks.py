"""Checked against unchecked hot loops: what `neurojit-insert-checks` costs at run time.

    .venv/bin/python tools/bench/guard_checks.py [--markdown] [-n N]

Each kernel is compiled twice by `compile_module` (O2, guarded), with `checks=True` (the
default) and `checks=False`; results are compared equal first; best of 9 calls each.
- contiguous sum: `for i in [0, dim(A, 0))` — the bounds check folds away statically;
- contiguous sum, bound passed as an argument: the check stays (one compare per element);
- gather: `sum(A[idx[i]])` — idx[i] folds, A[idx[i]] is checked;
- division: `sum(a[i] / b[i])` on i64 — zero-divisor and INT_MIN / -1 checks per element.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import numpy as np

from neurojit.runtime.module import compile_module

KERNELS = """
func.func @sum(%A: memref<?xf64>) -> f64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = memref.dim %A, %c0 : memref<?xf64>
  %z = arith.constant 0.0 : f64
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %z) -> (f64) {
    %x = memref.load %A[%i] : memref<?xf64>
    %t = arith.addf %acc, %x : f64
    scf.yield %t : f64
  }
  return %r : f64
}
func.func @sum_n(%A: memref<?xf64>, %n: index) -> f64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %z = arith.constant 0.0 : f64
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %z) -> (f64) {
    %x = memref.load %A[%i] : memref<?xf64>
    %t = arith.addf %acc, %x : f64
    scf.yield %t : f64
  }
  return %r : f64
}
func.func @gather(%A: memref<?xf64>, %idx: memref<?xindex>) -> f64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = memref.dim %idx, %c0 : memref<?xindex>
  %z = arith.constant 0.0 : f64
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %z) -> (f64) {
    %j = memref.load %idx[%i] : memref<?xindex>
    %x = memref.load %A[%j] : memref<?xf64>
    %t = arith.addf %acc, %x : f64
    scf.yield %t : f64
  }
  return %r : f64
}
func.func @divide(%a: memref<?xi64>, %b: memref<?xi64>) -> i64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = memref.dim %a, %c0 : memref<?xi64>
  %z = arith.constant 0 : i64
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %z) -> (i64) {
    %x = memref.load %a[%i] : memref<?xi64>
    %y = memref.load %b[%i] : memref<?xi64>
    %q = arith.divsi %x, %y : i64
    %t = arith.addi %acc, %q : i64
    scf.yield %t : i64
  }
  return %r : i64
}
"""


def best(fn: Callable[[], object], rounds: int = 9) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("-n", type=int, default=1_000_000)
    args = parser.parse_args()
    n = args.n
    rng = np.random.default_rng(0)
    A = rng.random(n)
    idx = rng.integers(0, n, n).astype(np.int64)
    a = rng.integers(-(10**9), 10**9, n).astype(np.int64)
    b = rng.integers(1, 1000, n).astype(np.int64) * rng.choice([-1, 1], n)
    checked = compile_module(KERNELS, name="bench_checked", checks=True)
    plain = compile_module(KERNELS, name="bench_unchecked", checks=False)
    cases = [
        ("contiguous sum (bound = dim, check folds)", "sum", (A,)),
        ("contiguous sum (bound = argument, checked)", "sum_n", (A, n)),
        ("gather A[idx[i]]", "gather", (A, idx)),
        ("i64 division a[i] / b[i]", "divide", (a, b)),
    ]
    rows = []
    for label, name, fargs in cases:
        want, got = plain.call(name, *fargs), checked.call(name, *fargs)
        assert want == got, (name, want, got)
        t_plain = best(lambda name=name, fargs=fargs: plain.call(name, *fargs))
        t_checked = best(lambda name=name, fargs=fargs: checked.call(name, *fargs))
        rows.append((label, t_plain, t_checked))
    if args.markdown:
        print(f"| kernel ({n:,} elements) | unchecked | checked | ratio |")
        print("|---|---:|---:|---:|")
        for label, tp, tc in rows:
            print(f"| {label} | {tp * 1e3:.3f} ms | {tc * 1e3:.3f} ms | {tc / tp:.2f}x |")
    else:
        for label, tp, tc in rows:
            print(
                f"{label}: unchecked {tp * 1e3:.3f} ms, checked {tc * 1e3:.3f} ms, {tc / tp:.2f}x"
            )


if __name__ == "__main__":
    main()
