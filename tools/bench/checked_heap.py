"""What the checked heap (neurojit/runtime/heap_ir.py) costs: allocation-heavy loops, side by
side in one run.

    .venv/bin/python tools/bench/checked_heap.py [--markdown] [-n N] [--frontend native|xdsl]

Each kernel is compiled three ways (O2, guarded, same front end) and the results compared
equal first; best of 9 calls each:
- `unchecked`: `checks=False` (libc malloc/free, which LLVM may also optimise as such);
- `checks, libc heap`: `checks=True`, but the LLVM IR's nj_malloc/nj_dealloc calls put back
  to malloc/free: every other check, so the last column isolates the heap's own cost;
- `checked`: `checks=True` as shipped (nj_malloc records, nj_dealloc looks up and frees).

Kernels, per iteration: `fill` allocates k x i64 (k = 4: the allocation dominates; k = 64),
fills and sums it, deallocates; `nest` allocates a buffer, then 8 small buffers (each
filled, summed, freed) while it is live, then frees it. Every buffer is filled and read,
so LLVM cannot delete the allocation in any variant (a buffer written and read back at
once it can: with libc malloc/free such a loop compiles to no allocation at all, with the
opaque nj_malloc/nj_dealloc it does not: that difference is the check's real cost there).
"""

from __future__ import annotations

import argparse
import re
import time
from collections.abc import Callable

from neurojit import compiler
from neurojit.runtime.module import CompiledModule, compile_module

KERNELS = """
func.func @fill(%n: index, %k: index) -> i64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %z = arith.constant 0 : i64
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %z) -> (i64) {
    %m = memref.alloc(%k) : memref<?xi64>
    %d = memref.dim %m, %c0 : memref<?xi64>
    scf.for %j = %c0 to %d step %c1 {
      %x = arith.index_cast %j : index to i64
      memref.store %x, %m[%j] : memref<?xi64>
    }
    %s = scf.for %j = %c0 to %d step %c1 iter_args(%t = %acc) -> (i64) {
      %v = memref.load %m[%j] : memref<?xi64>
      %u = arith.addi %t, %v : i64
      scf.yield %u : i64
    }
    memref.dealloc %m : memref<?xi64>
    scf.yield %s : i64
  }
  return %r : i64
}
func.func @nest(%n: index, %k: index) -> i64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %z = arith.constant 0 : i64
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %z) -> (i64) {
    %outer = memref.alloc(%c8) : memref<?xi64>
    scf.for %j = %c0 to %c8 step %c1 {
      %m = memref.alloc(%k) : memref<?xi64>
      %d = memref.dim %m, %c0 : memref<?xi64>
      scf.for %l = %c0 to %d step %c1 {
        %x = arith.index_cast %l : index to i64
        memref.store %x, %m[%l] : memref<?xi64>
      }
      %s = scf.for %l = %c0 to %d step %c1 iter_args(%t = %z) -> (i64) {
        %v = memref.load %m[%l] : memref<?xi64>
        %u = arith.addi %t, %v : i64
        scf.yield %u : i64
      }
      memref.store %s, %outer[%j] : memref<?xi64>
      memref.dealloc %m : memref<?xi64>
    }
    %s2 = scf.for %j = %c0 to %c8 step %c1 iter_args(%t = %acc) -> (i64) {
      %w = memref.load %outer[%j] : memref<?xi64>
      %u = arith.addi %t, %w : i64
      scf.yield %u : i64
    }
    memref.dealloc %outer : memref<?xi64>
    scf.yield %s2 : i64
  }
  return %r : i64
}
"""

_DEALLOC = re.compile(r'call (?:ccc )?void @"?nj_dealloc"?\((ptr %"?[\w.]+"?), .*\)$', re.M)


def libc_heap(llvm_ir: str) -> str:
    """Checked IR with the heap's calls put back to libc (everything else still checked)."""
    out = _DEALLOC.sub(r"call void @free(\1)", llvm_ir)
    out = re.sub(r'(call [^\n]*)@"?nj_malloc"?(?=\()', r"\1@malloc", out)
    if not re.search(r'declare void @"?free"?\(', out):
        out += "\ndeclare void @free(ptr)\n"
    if not re.search(r'declare ptr @"?malloc"?\(', out):
        out += "\ndeclare ptr @malloc(i64)\n"
    return out


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
    parser.add_argument("--frontend", choices=compiler.FRONTENDS, default=None)
    args = parser.parse_args()
    n = args.n
    fe = compiler.resolve_frontend(args.frontend)
    plain = compile_module(KERNELS, name="heap_unchecked", checks=False, frontend=fe)
    checked = compile_module(KERNELS, name="heap_checked", checks=True, frontend=fe)
    lowered = compiler.compile_text(KERNELS, "heap.mlir", checks=True, frontend=fe)
    middle_ir = libc_heap(lowered.llvm_ir)
    assert not re.search(r"call .*@\"?nj_(dealloc|malloc)", middle_ir)
    middle = CompiledModule.from_llvm_ir(middle_ir, lowered.functions, "heap_libc")
    cases = [
        ("small: alloc 4 x i64, fill, sum, dealloc", "fill", (n, 4)),
        ("medium: alloc 64 x i64, fill, sum, dealloc", "fill", (n // 8, 64)),
        ("nested: 1 outer live over 8 inner (2 x i64) allocs", "nest", (n // 8, 2)),
    ]
    rows = []
    for label, name, fargs in cases:
        want = plain.call(name, *fargs)
        assert middle.call(name, *fargs) == want and checked.call(name, *fargs) == want
        t_plain = best(lambda name=name, fargs=fargs: plain.call(name, *fargs))
        t_middle = best(lambda name=name, fargs=fargs: middle.call(name, *fargs))
        t_checked = best(lambda name=name, fargs=fargs: checked.call(name, *fargs))
        allocs = fargs[0] * (9 if name == "nest" else 1)
        rows.append((label, allocs, t_plain, t_middle, t_checked))
    if args.markdown:
        print(f"front end `{fe}`; n = {n:,}")
        print()
        print(
            "| kernel | allocations | unchecked | checks, libc heap | checked | "
            "checked / unchecked | checked / libc heap | heap ns per alloc+free |"
        )
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        for label, allocs, tp, tm, tc in rows:
            per = (tc - tm) / allocs * 1e9
            print(
                f"| {label} | {allocs:,} | {tp * 1e3:.2f} ms | {tm * 1e3:.2f} ms | "
                f"{tc * 1e3:.2f} ms | {tc / tp:.2f}x | {tc / tm:.2f}x | {per:.1f} |"
            )
    else:
        for label, allocs, tp, tm, tc in rows:
            print(
                f"{label}: unchecked {tp * 1e3:.2f} ms, checks+libc heap {tm * 1e3:.2f} ms, "
                f"checked {tc * 1e3:.2f} ms ({tc / tp:.2f}x, heap {tc / tm:.2f}x, "
                f"{(tc - tm) / allocs * 1e9:.1f} ns per alloc+free, {allocs:,} allocations)"
            )


if __name__ == "__main__":
    main()
