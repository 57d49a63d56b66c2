"""Synthetic MLIR modules of a chosen size for the compile benchmarks (deterministic)."""

from __future__ import annotations

import random


def synthetic_module(n_funcs: int, ops_per_func: int, seed: int = 1) -> str:
    """`n_funcs` functions of about `ops_per_func` arith/scf/memref/func ops each.

    Each function mixes integer and float arithmetic, comparisons, selects, a loop over a
    heap memref and a call to the previous function, so every lowering pass has work.
    """
    rng = random.Random(seed)
    out: list[str] = []
    for f in range(n_funcs):
        lines = [f"func.func @f{f}(%a: i64, %b: i64) -> i64 {{"]
        ints, floats = ["%a", "%b"], []
        k = 0

        def fresh() -> str:
            nonlocal k
            k += 1
            return f"%v{k}"

        # A loop over a heap buffer: ~12 ops.
        lines += [
            "  %c0 = arith.constant 0 : index",
            "  %c1 = arith.constant 1 : index",
            "  %c8 = arith.constant 8 : index",
            "  %buf = memref.alloc(%c8) : memref<?xi64>",
            "  scf.for %i = %c0 to %c8 step %c1 {",
            "    %iv = arith.index_cast %i : index to i64",
            "    %x = arith.muli %iv, %a : i64",
            "    memref.store %x, %buf[%i] : memref<?xi64>",
            "  }",
            "  %first = memref.load %buf[%c1] : memref<?xi64>",
            "  memref.dealloc %buf : memref<?xi64>",
        ]
        ints.append("%first")
        body = 12
        if f > 0:
            r = fresh()
            lines.append(f"  {r} = func.call @f{f - 1}(%a, %first) : (i64, i64) -> i64")
            ints.append(r)
            body += 1
        while body < ops_per_func - 2:
            choice = rng.random()
            if choice < 0.45:
                op = rng.choice(["addi", "muli", "xori", "subi", "andi", "ori"])
                r = fresh()
                lines.append(f"  {r} = arith.{op} {rng.choice(ints)}, {rng.choice(ints)} : i64")
                ints.append(r)
                body += 1
            elif choice < 0.65:
                c, r = fresh(), fresh()
                pred = rng.choice(["slt", "sgt", "eq", "ne", "ule"])
                x, y = rng.choice(ints), rng.choice(ints)
                lines.append(f"  {c} = arith.cmpi {pred}, {x}, {y} : i64")
                lines.append(f"  {r} = arith.select {c}, {x}, {y} : i64")
                ints.append(r)
                body += 2
            elif choice < 0.85 or not floats:
                r = fresh()
                lines.append(f"  {r} = arith.sitofp {rng.choice(ints)} : i64 to f64")
                floats.append(r)
                body += 1
            else:
                op = rng.choice(["addf", "mulf", "subf"])
                r = fresh()
                lines.append(f"  {r} = arith.{op} {rng.choice(floats)}, {rng.choice(floats)} : f64")
                floats.append(r)
                body += 1
        if floats:
            r = fresh()
            lines.append(f"  {r} = arith.fptosi {floats[-1]} : f64 to i64")
            ints.append(r)
        lines.append(f"  return {ints[-1]} : i64")
        lines.append("}")
        out.append("\n".join(lines))
    return "\n".join(out) + "\n"


def count_ops(text: str) -> int:
    """Ops in a module, counted by xDSL (func.func and the module included)."""
    from neurojit.ir import parse_module

    return sum(1 for _ in parse_module(text).walk())
