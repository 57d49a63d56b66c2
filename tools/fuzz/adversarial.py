"""The adversarial-candidate catalog: repairs an attacker (or a confused model) could propose,
each with the rejection it must get.

Every case is a candidate answer for one function of `MODULE`, with the inputs the validator
has (the faulting call and recorded good calls, or none: then, as in `neurojit-opt -p
llm-repair`, calls are sampled from the argument types). `expect` is `(stage, substring)`:
the `Rejection`'s stage and a piece of its reason. The catalog covers every row of issue 10's
table and more; run it with

    python -m tools.fuzz.adversarial        # prints one line per case, exit 1 on a miss

CI runs it as `tests/unit/fuzz/test_adversarial.py`: 0 accepted, 0 process deaths.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from typing import Any

MODULE = """\
memref.global "private" @g : memref<1xi64> = dense<1234>
memref.global "private" constant @t : memref<4xi64> = dense<[1, 2, 3, 4]>
func.func private @bump() {
  %g = memref.get_global @g : memref<1xi64>
  %z = arith.constant 0 : index
  %c = arith.constant 7 : i64
  memref.store %c, %g[%z] : memref<1xi64>
  return
}
func.func private @release(%m: memref<?xi64>) {
  memref.dealloc %m : memref<?xi64>
  return
}
func.func @div(%a: i64, %b: i64) -> i64 {
  %q = arith.divsi %a, %b : i64
  return %q : i64
}
func.func @sum(%m: memref<?xi64>, %n: index) -> i64 {
  %z = arith.constant 0 : index
  %one = arith.constant 1 : index
  %c0 = arith.constant 0 : i64
  %r = scf.for %i = %z to %n step %one iter_args(%acc = %c0) -> (i64) {
    %v = memref.load %m[%i] : memref<?xi64>
    %s = arith.addi %acc, %v : i64
    scf.yield %s : i64
  }
  return %r : i64
}
func.func @look(%i: index) -> i64 {
  %t = memref.get_global @t : memref<4xi64>
  %v = memref.load %t[%i] : memref<4xi64>
  return %v : i64
}
"""

DIV = "func.func @div(%a: i64, %b: i64) -> i64 {{\n{body}\n}}"
SUM = "func.func @sum(%m: memref<?xi64>, %n: index) -> i64 {{\n{body}\n}}"
LOOK = "func.func @look(%i: index) -> i64 {{\n{body}\n}}"

# A correct guard around the division, reused by candidates that add an attack to it.
SAFE_DIV = """\
  %z = arith.constant 0 : i64
  %isz = arith.cmpi eq, %b, %z : i64
  %one = arith.constant 1 : i64
  %d = arith.select %isz, %one, %b : i64
  %q = arith.divsi %a, %d : i64"""

SAFE_SUM = """\
  %z = arith.constant 0 : index
  %one = arith.constant 1 : index
  %c0 = arith.constant 0 : i64
  %dim = memref.dim %m, %z : memref<?xi64>
  %hi = arith.minui %n, %dim : index
  %r = scf.for %i = %z to %hi step %one iter_args(%acc = %c0) -> (i64) {
    %v = memref.load %m[%i] : memref<?xi64>
    %s = arith.addi %acc, %v : i64
    scf.yield %s : i64
  }"""


def _div(attack: str, result: str = "%q") -> str:
    return DIV.format(body=f"{SAFE_DIV}\n{attack}\n  return {result} : i64")


def _sum(attack: str, result: str = "%r") -> str:
    return SUM.format(body=f"{SAFE_SUM}\n{attack}\n  return {result} : i64")


STORE_G = """\
  %g = memref.get_global @g : memref<1xi64>
  %gi = arith.constant 0 : index
  %seven = arith.constant 7 : i64
  memref.store %seven, %g[%gi] : memref<1xi64>"""


@dataclass
class Case:
    name: str
    function: str
    answer: str
    expect: tuple[str, str]  # (stage, substring of the reason)
    trigger: list[Any] | None = None
    recorded: list[tuple[list[Any], Any]] | None = None  # None: sampled, as the pass does
    row: str = ""  # the table row it covers, if any


def _arr(*values: int) -> Any:
    import numpy as np

    return np.array(values, dtype=np.int64)


def _div_inputs() -> dict[str, Any]:
    return {"trigger": [10, 0], "recorded": [([10, 2], 5), ([7, 7], 1)]}


def _sum_inputs() -> dict[str, Any]:
    return {"trigger": [_arr(1, 2, 3), 5], "recorded": [([_arr(1, 2, 3), 3], 6)]}


def cases() -> list[Case]:  # noqa: PLR0915 - a catalog
    c: list[Case] = []

    def div(name: str, answer: str, expect: tuple[str, str], row: str = "", **kw: Any) -> None:
        c.append(Case(name, "div", answer, expect, row=row, **{**_div_inputs(), **kw}))

    def sum_(name: str, answer: str, expect: tuple[str, str], row: str = "", **kw: Any) -> None:
        c.append(Case(name, "sum", answer, expect, row=row, **{**_sum_inputs(), **kw}))

    # -- globals ------------------------------------------------------------------------
    div("writes an untouched global", _div(STORE_G), ("policy", "touches global @g"), "global")
    div(
        "writes a global only on the faulting input",
        _div(f"  scf.if %isz {{\n{STORE_G}\n  }}"),
        ("policy", "missing capability: global @g"),
        "global",
    )
    c.append(
        Case(
            "writes a global it only read",
            "look",
            LOOK.format(
                body="  %t = memref.get_global @t : memref<4xi64>\n"
                "  %c4 = arith.constant 4 : index\n  %k = arith.remui %i, %c4 : index\n"
                "  %x = arith.constant 7 : i64\n  memref.store %x, %t[%k] : memref<4xi64>\n"
                "  %v = memref.load %t[%k] : memref<4xi64>\n  return %v : i64"
            ),
            ("policy", "writes global @t"),
            trigger=[9],
            recorded=[([1], 2)],
            row="global",
        )
    )
    div(
        "writes a global through a callee",
        _div("  func.call @bump() : () -> ()"),
        ("policy", "global @g"),
        "global",
    )
    div(
        "copies into a global",
        _div(
            "  %g = memref.get_global @g : memref<1xi64>\n  %l = memref.alloc() : memref<1xi64>\n"
            "  memref.copy %l, %g : memref<1xi64> to memref<1xi64>"
        ),
        ("policy", "global @g"),
    )
    c.append(
        Case(
            "writes a global it read, through an scf.if result",
            "look",
            LOOK.format(
                body="  %t = memref.get_global @t : memref<4xi64>\n"
                "  %l = memref.alloc() : memref<4xi64>\n  %yes = arith.constant true\n"
                "  %p = scf.if %yes -> (memref<4xi64>) {\n    scf.yield %t : memref<4xi64>\n"
                "  } else {\n    scf.yield %l : memref<4xi64>\n  }\n"
                "  %c0 = arith.constant 0 : index\n  %x = arith.constant 7 : i64\n"
                "  memref.store %x, %p[%c0] : memref<4xi64>\n  return %x : i64"
            ),
            ("policy", "unknown origin"),
            trigger=[9],
            recorded=[([1], 2)],
            row="global",
        )
    )
    div(
        "writes a global through a subview",
        _div(
            "  %g = memref.get_global @g : memref<1xi64>\n"
            "  %sv = memref.subview %g[0] [1] [1] : memref<1xi64> to memref<1xi64, strided<[1]>>\n"
            "  %gi = arith.constant 0 : index\n"
            "  memref.store %a, %sv[%gi] : memref<1xi64, strided<[1]>>"
        ),
        ("policy", "global @g"),
    )
    div(
        "reads an undefined global",
        _div("  %h = memref.get_global @nowhere : memref<1xi64>"),
        ("policy", "does not define"),
    )
    # -- frees ----------------------------------------------------------------------------
    div(
        "frees a global",
        _div("  %g = memref.get_global @g : memref<1xi64>\n  memref.dealloc %g : memref<1xi64>"),
        ("policy", "global @g"),
        "dealloc",
    )
    sum_(
        "frees its argument",
        _sum("  memref.dealloc %m : memref<?xi64>"),
        ("policy", "frees argument #0"),
        "dealloc",
    )
    sum_(
        "frees its argument through a callee",
        _sum("  func.call @release(%m) : (memref<?xi64>) -> ()"),
        ("policy", "missing capability: free"),
        "dealloc",
    )
    sum_(
        "reallocates its argument",
        _sum("  %big = memref.realloc %m : memref<?xi64> to memref<64xi64>"),
        ("parse", "not registered"),  # xDSL lacks it; the policy table has its row anyway
        "dealloc",
    )
    div(
        "frees its own buffer twice",
        _div(
            "  %l = memref.alloc() : memref<4xi64>\n  memref.dealloc %l : memref<4xi64>\n"
            "  memref.dealloc %l : memref<4xi64>"
        ),
        ("policy", "frees an allocation twice"),
        "dealloc",
    )
    div(
        "frees its own buffer inside a loop",
        _div(
            "  %l = memref.alloc() : memref<4xi64>\n  %c0 = arith.constant 0 : index\n"
            "  %c2 = arith.constant 2 : index\n  %c1 = arith.constant 1 : index\n"
            "  scf.for %i = %c0 to %c2 step %c1 {\n    memref.dealloc %l : memref<4xi64>\n  }"
        ),
        ("policy", "outside the block that made it"),
        "dealloc",
    )
    # -- views and casts -------------------------------------------------------------------
    sum_(
        "reads beyond its buffer through reinterpret_cast",
        SUM.format(
            body="  %c100 = arith.constant 100 : index\n"
            "  %v = memref.reinterpret_cast %m to offset: [0], sizes: [%c100], strides: [1] "
            ": memref<?xi64> to memref<?xi64, strided<[1]>>\n"
            "  %c99 = arith.constant 99 : index\n"
            "  %x = memref.load %v[%c99] : memref<?xi64, strided<[1]>>\n  return %x : i64"
        ),
        ("policy", "view memref.reinterpret_cast"),
        "views",
    )
    sum_(
        "writes past a numpy argument through reinterpret_cast",
        _sum(
            "  %v = memref.reinterpret_cast %m to offset: [8], sizes: [4], strides: [1] "
            ": memref<?xi64> to memref<4xi64, strided<[1], offset: 8>>\n"
            "  %c3 = arith.constant 3 : index\n  %x = arith.constant 9 : i64\n"
            "  memref.store %x, %v[%c3] : memref<4xi64, strided<[1], offset: 8>>"
        ),
        ("policy", "view memref.reinterpret_cast"),
        "views",
    )
    sum_(
        "returns a heap pointer",
        SUM.format(
            body="  %p = memref.extract_aligned_pointer_as_index %m : memref<?xi64> -> index\n"
            "  %x = arith.index_cast %p : index to i64\n  return %x : i64"
        ),
        ("policy", "extract_aligned_pointer_as_index"),
        "views",
    )
    sum_(
        "casts to a larger static shape",
        _sum(
            "  %big = memref.cast %m : memref<?xi64> to memref<1000xi64>\n"
            "  %c999 = arith.constant 999 : index\n"
            "  %y = memref.load %big[%c999] : memref<1000xi64>"
        ),
        ("policy", "view memref.cast"),
        "views",
    )
    sum_(
        "casts to unranked",
        _sum("  %u = memref.cast %m : memref<?xi64> to memref<*xi64>"),
        ("policy", "view memref.cast"),
        "views",
    )
    sum_(
        "reads strided metadata",
        _sum(
            "  %base, %off, %size, %stride = memref.extract_strided_metadata %m : "
            "memref<?xi64> -> memref<i64>, index, index, index"
        ),
        ("policy", "extract_strided_metadata"),
        "views",
    )
    # -- allocation -------------------------------------------------------------------------
    div(
        "allocates 800 MB",
        _div("  %big = memref.alloc() : memref<100000000xi64>"),
        ("policy", "allocates 800000000 bytes"),
    )
    div(
        "allocas 800 MB",
        _div("  %big = memref.alloca() : memref<100000000xi64>"),
        ("policy", "allocates 800000000 bytes"),
    )
    div(
        "allocates an argument-sized buffer",
        DIV.format(
            body=f"{SAFE_DIV}\n  %n = arith.index_cast %a : i64 to index\n"
            "  %buf = memref.alloc(%n) : memref<?xi64>\n  return %q : i64"
        ),
        ("run", "out-of-bounds"),
        trigger=[-5, 0],
    )
    # -- behaviour --------------------------------------------------------------------------
    div(
        "returns a constant",
        DIV.format(body="  %c = arith.constant 0 : i64\n  return %c : i64"),
        ("run", "but the original"),
        "constant",
        recorded=None,
    )
    div(
        "returns a constant (recorded calls)",
        DIV.format(body="  %c = arith.constant 0 : i64\n  return %c : i64"),
        ("run", "but the original"),
    )
    div(
        "returns the dividend",
        DIV.format(body="  return %a : i64"),
        ("run", "but the original"),
        recorded=None,
    )
    div(
        "still divides by zero",
        DIV.format(
            body="  %c = arith.constant 0 : i64\n  %q = arith.divsi %a, %c : i64\n  return %q : i64"
        ),
        ("run", "still faults"),
    )
    div(
        "loops forever",
        DIV.format(
            body="  %t = arith.constant true\n"
            "  scf.while () : () -> () {\n    scf.condition(%t)\n  } do {\n    scf.yield\n  }\n"
            "  return %a : i64"
        ),
        # A hang the watchdog stops, or (the native front end's LLVM deletes an infinite loop
        # with no side effects) the wrong result on a recorded call: the run rejects it either
        # way, with a reason that depends on the code generator.
        ("run", ""),
    )
    div(
        "recurses forever",
        DIV.format(body="  %r = func.call @div(%a, %b) : (i64, i64) -> i64\n  return %r : i64"),
        ("run", "still faults"),
    )
    # -- shape and syntax -------------------------------------------------------------------
    div(
        "unchanged",
        DIV.format(body="  %q = arith.divsi %a, %b : i64\n  return %q : i64"),
        ("unchanged", "unchanged"),
    )
    div(
        "renamed",
        "func.func @other(%a: i64, %b: i64) -> i64 {\n  return %a : i64\n}",
        ("signature", "named @other"),
    )
    div(
        "another signature",
        "func.func @div(%a: i32, %b: i64) -> i64 {\n  %c = arith.constant "
        "1 : i64\n  return %c : i64\n}",
        ("signature", "differs"),
    )
    div("uses the llvm dialect", _div("  %n = llvm.mlir.zero : !llvm.ptr"), ("policy", "llvm"))
    div(
        "calls an undeclared function",
        _div("  %x = func.call @exfiltrate(%a) : (i64) -> i64"),
        ("policy", "does not declare"),
    )
    div("unregistered op", _div('  "test.op"() : () -> ()'), ("policy", "'test.op'"))
    div(
        "use before definition",
        DIV.format(
            body="  %q = arith.divsi %a, %r : i64\n  %r = arith.constant 1 : i64\n  return %q : i64"
        ),
        ("dominance", ""),
    )
    div(
        "a type mix-up",
        DIV.format(body="  %t = arith.constant true\n  return %t : i1"),
        ("verify", ""),
    )
    div("empty answer", "", ("extract", "no func.func"))
    div("prose only", "I would add a check before the division.", ("extract", "no func.func"))
    div(
        "unterminated string literal",
        # The newline ends the literal for MLIR (not for the extractor, which sees balanced
        # quotes): xDSL's own regex would backtrack for minutes here.
        DIV.format(body='  "test.op"() {a = "' + "a" * 40 + '\n"} : () -> ()\n  return %a : i64'),
        ("parse", "string literal"),
        "string",
    )
    div(
        "NUL byte",
        DIV.format(body="  %c = arith.constant 0 : i64\0\n  return %c : i64"),
        ("parse", "NUL"),
    )
    div(
        "huge integer width",
        DIV.format(body="  %c = arith.constant 0 : i99999999999\n  return %a : i64"),
        ("parse", "width"),
    )
    div(
        "huge dense splat",
        DIV.format(
            body="  %c = arith.constant dense<1> : tensor<100000000xi64>\n  return %a : i64"
        ),
        ("parse", "dense literal"),
    )
    div(
        "nested 200 deep",
        DIV.format(
            body="  %t = arith.constant true\n"
            + "  scf.if %t {\n" * 200
            + "  }\n" * 200
            + "  return %a : i64"
        ),
        ("parse", "nesting is too deep"),
        "nesting",
    )
    div(
        "12 MB answer of 300k ops",
        DIV.format(body="  %c = arith.constant 1 : i64\n" * 300_000 + "  return %c : i64"),
        ("limits", "over the limit"),
        "size",
    )
    div(
        "10 MB of prose around a good answer",
        "Let me think. " * 700_000 + _div(""),
        ("limits", "over the limit"),
        "size",
    )
    div(
        "3000 ops in a small answer",
        DIV.format(body="  %c = arith.constant 1 : i64\n" * 3000 + "  return %c : i64"),
        ("limits", "ops"),
        "size",
    )
    return c


@dataclass
class Outcome:
    case: Case
    stage: str | None  # None: accepted
    reason: str
    seconds: float
    ok: bool = field(default=False)


def run_case(case: Case, module_text: str = MODULE) -> Outcome:
    from xdsl.dialects.func import FuncOp

    from neurojit.ir import parse_module
    from neurojit.llm_pass.differential import sample_calls
    from neurojit.llm_pass.validate import Rejection, validate_candidate

    module = parse_module(module_text)
    func = next(
        op for op in module.ops if isinstance(op, FuncOp) and op.sym_name.data == case.function
    )
    recorded = case.recorded
    start = time.perf_counter()
    if recorded is None:
        sampled = sample_calls(func, module, case.trigger)
        recorded = [] if isinstance(sampled, str) else sampled
    try:
        accepted = validate_candidate(
            case.answer, func, module, trigger=case.trigger, recorded=recorded, timeout=1.0
        )
    except Rejection as rejection:
        seconds = time.perf_counter() - start
        stage, text = case.expect
        ok = rejection.stage == stage and text in rejection.reason
        return Outcome(case, rejection.stage, rejection.reason, seconds, ok)
    return Outcome(case, None, f"accepted ({accepted.depth})", time.perf_counter() - start)


def main() -> int:
    misses = 0
    for case in cases():
        outcome = run_case(case)
        mark = "ok  " if outcome.ok else "MISS"
        misses += not outcome.ok
        print(
            f"{mark} {outcome.seconds * 1e3:7.1f} ms  {case.name}: {outcome.stage}: "
            f"{outcome.reason[:120]}"
        )
    print(f"{len(cases()) - misses}/{len(cases())} rejected as expected")
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
