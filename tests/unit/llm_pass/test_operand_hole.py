"""Operand holes (hole.make_operand_hole) and the decoder rules that keep their answers
honest: the answer reads the operand it replaces, computes without memory or calls, uses
every value it defines, and never folds two constants."""

from __future__ import annotations

import random
import re

from xdsl.dialects.func import FuncOp

from neurojit.fault_report import FaultReport
from neurojit.ir import op_position, parse_module
from neurojit.llm_pass.hole import ladder, splice
from neurojit.llm_pass.hole_prompt import cache_example, examples_for, operand_example
from neurojit.llm_pass.scoped import IMPURE, HoleDecoder, HoleSpec, sample_answer, sample_line

SOURCE = """
func.func @ratio(%t: memref<8xi64>, %i: index, %d: i64) -> i64 {
  %c3 = arith.constant 3 : i64
  %v = memref.load %t[%i] : memref<8xi64>
  %q = arith.divsi %v, %d : i64
  %r = arith.addi %q, %c3 : i64
  func.return %r : i64
}
func.func @wrap(%a: i64, %b: i64) -> i64 {
  %r = arith.remsi %a, %b : i64
  func.return %r : i64
}
func.func @grid(%g: memref<4x4xi64>, %i: index, %j: index) -> i64 {
  %v = memref.load %g[%i, %j] : memref<4x4xi64>
  func.return %v : i64
}
"""


def _setup(name: str, op_name: str, kind: str, operands: tuple = ()) -> tuple:
    module = parse_module(SOURCE, "ratio.mlir")
    func = next(f for f in module.ops if isinstance(f, FuncOp) and f.sym_name.data == name)
    op = next(o for o in func.walk() if o.name == op_name)
    pos = op_position(op)
    assert pos is not None
    fault = FaultReport(kind, "x", f"{pos[0]}:{pos[1]}:{pos[2]}", operands=operands)
    return func, module, ladder(func, fault, module)


def test_a_division_starts_with_a_safe_divisor() -> None:
    func, module, holes = _setup("ratio", "arith.divsi", "division-by-zero", (12, 0))
    assert [h.level for h in holes] == ["operand", "op", "function"]
    hole = holes[0]
    assert hole.extra["name"] == "%d" and hole.extra["value"] == 0
    assert hole.spec is not None and hole.spec.must_read == ["%d"] and hole.spec.pure
    assert hole.spec.results == [("%safe", "i64")]
    # The hole is empty, in front of the op, which reads %safe in place of %d.
    assert "// HOLE: to here\n  %q = arith.divsi %v, %safe : i64\n" in hole.marked
    answer = (
        "%h1 = arith.constant 0 : i64\n%h2 = arith.constant 1 : i64\n"
        "%h3 = arith.cmpi eq, %d, %h1 : i64\n%safe = arith.select %h3, %h2, %d : i64\n"
    )
    new = splice(func, hole, answer)
    assert "%safe = arith.select %h3, %h2, %d : i64\n  %q = arith.divsi %v, %safe : i64" in new
    parse_module(new, "spliced.mlir")  # parses and verifies


def test_an_out_of_bounds_load_starts_with_a_safe_index_of_rank_one_only() -> None:
    _, _, holes = _setup("ratio", "memref.load", "out-of-bounds", (9, 8))
    assert holes[0].level == "operand" and holes[0].extra["name"] == "%i"
    assert holes[0].extra["value"] == 9
    assert "%v = memref.load %t[%safe] : memref<8xi64>" in holes[0].marked
    # Two indices: the check does not say which one failed, so the op is the first hole.
    _, _, grid = _setup("grid", "memref.load", "out-of-bounds", (7, 4))
    assert grid[0].level == "op"
    # Another kind of fault at a division names no operand.
    _, _, verify = _setup("ratio", "arith.divsi", "verifier-error")
    assert verify[0].level == "op"


def test_overflow_starts_at_the_divisor_of_a_remainder_only() -> None:
    """x % -1 and x % 1 are both 0, so a divisor of 1 for -1 keeps every other result;
    x / -1 is -x, so no divisor alone repairs a quotient's overflow."""
    _, _, rem = _setup("wrap", "arith.remsi", "signed-overflow", (-(2**63), -1))
    assert rem[0].level == "operand" and rem[0].extra["value"] == -1
    _, _, div = _setup("ratio", "arith.divsi", "signed-overflow", (-(2**63), -1))
    assert div[0].level == "op"


def test_operand_answers_read_the_operand_and_touch_no_memory() -> None:
    _, _, holes = _setup("ratio", "arith.divsi", "division-by-zero", (12, 0))
    spec = holes[0].spec
    assert spec is not None
    rng = random.Random(5)
    for _ in range(400):
        answer = sample_answer(spec, rng)
        reads = re.findall(r"%\w+", re.sub(r"^%\w+ = ", "", answer, flags=re.M))
        assert "%d" in reads, answer
        assert not any(op in answer for op in IMPURE), answer
        assert re.search(r"^%safe = ", answer, re.M), answer


def test_two_constants_are_never_combined_but_may_be_chosen_between() -> None:
    spec = HoleSpec(
        scope=[("%a", "i64"), ("%c1", "i64"), ("%c2", "i64"), ("%p", "i1")],
        results=[("%q", "i64")],
        constants=["%c1", "%c2"],
    )
    decoder = HoleDecoder(spec)
    alts, _ = decoder.line_alternatives()
    rng = random.Random(0)
    lines = {sample_line(alts, rng) for _ in range(20000)}
    folded = [ln for ln in lines if re.search(r"arith\.(addi|cmpi \w+,) %c\d, %c\d", ln)]
    assert not folded
    assert any(re.search(r"arith\.addi %a, %c1", ln) for ln in lines)
    assert any(re.search(r"arith\.select %p, %c1, %c2", ln) for ln in lines)
    # A constant the answer defines counts too.
    decoder.feed("%h1 = arith.constant 5 : i64")
    alts, _ = decoder.line_alternatives()
    lines = {sample_line(alts, rng) for _ in range(20000)}
    assert not [ln for ln in lines if re.search(r"arith\.muli (%h1, %c\d|%c\d, %h1)", ln)]
    assert any("arith.muli %a, %h1" in ln for ln in lines)


def test_the_last_line_uses_every_value_the_answer_left_unused() -> None:
    spec = HoleSpec(
        scope=[("%a", "index"), ("%n", "index")], results=[("%safe", "index")], max_pending=2
    )
    decoder = HoleDecoder(spec)
    decoder.feed("%h1 = arith.constant 7 : index")
    decoder.feed("%h2 = arith.maxsi %a, %h1 : index")  # %h1 read; %h2 pending
    decoder.feed("%h3 = arith.constant 0 : index")  # %h2 and %h3 pending
    alts, _ = decoder.line_alternatives()
    rng = random.Random(1)
    finals = {ln for ln in (sample_line(alts, rng) for _ in range(5000)) if "%safe" in ln}
    assert finals
    assert all("%h2" in ln and "%h3" in ln for ln in finals), sorted(finals)[:5]


def test_operand_examples_come_from_the_cache_first_then_the_builtin_ones() -> None:
    original = "func.func @g(%a: i64, %b: i64) -> i64 {\n  %q = arith.remsi %a, %b : i64\n"
    original += "  func.return %q : i64\n}"
    repaired = original.replace(
        "  %q = arith.remsi %a, %b : i64",
        "  %h1 = arith.constant 2 : i64\n  %h2 = arith.maxsi %b, %h1 : i64\n"
        "  %q = arith.remsi %a, %h2 : i64",
    )
    cached = cache_example("division-by-zero", original, repaired)
    assert cached is not None
    example = operand_example(cached)
    assert example is not None and example.level == "operand"
    assert example.hole == "%q = arith.remsi %a, %safe : i64" and example.replaced == "%b"
    assert example.replacement.endswith("%safe = arith.maxsi %b, %h1 : i64")
    chosen = examples_for("division-by-zero", [cached], 2, level="operand")
    assert chosen[0] == example and chosen[1].level == "operand"
    assert all(e.level == "op" for e in examples_for("division-by-zero", [cached], 2))
    # A repair that changed the result, or more than one operand, is no operand example.
    two = original.replace(
        "  %q = arith.remsi %a, %b : i64",
        "  %h1 = arith.constant 2 : i64\n  %q = arith.remsi %h1, %h1 : i64",
    )
    other = cache_example("division-by-zero", original, two)
    assert other is not None and operand_example(other) is None


def test_a_line_cannot_repeat_an_earlier_one_with_its_operands_swapped() -> None:
    spec = HoleSpec(scope=[("%b", "i64"), ("%n", "i64")], results=[("%q", "i64")])
    decoder = HoleDecoder(spec)
    decoder.feed("%h1 = arith.constant 0 : i64")
    decoder.feed("%h2 = arith.cmpi eq, %b, %h1 : i64")
    decoder.feed("%h3 = arith.cmpi slt, %n, %b : i64")
    decoder.feed("%h4 = arith.addi %b, %n : i64")
    alts, _ = decoder.line_alternatives()
    rng = random.Random(2)
    lines = {sample_line(alts, rng) for _ in range(40000)}
    rhs = {ln.split(" = ", 1)[1] for ln in lines if " = " in ln}
    for twin in ("arith.cmpi eq, %h1, %b : i64", "arith.cmpi sgt, %b, %n : i64"):
        assert twin not in rhs
    assert "arith.addi %n, %b : i64" not in rhs
    # Not the same value: other predicates, and operations that do not commute.
    assert "arith.cmpi ne, %h1, %b : i64" in rhs and "arith.subi %n, %b : i64" in rhs


def test_a_store_of_its_own_index_gets_the_index_replaced_not_the_value() -> None:
    source = """
func.func @mark(%m: memref<4xindex>, %i: index) {
  memref.store %i, %m[%i] : memref<4xindex>
  func.return
}
"""
    module = parse_module(source, "mark.mlir")
    func = next(f for f in module.ops if isinstance(f, FuncOp))
    store = next(o for o in func.walk() if o.name == "memref.store")
    pos = op_position(store)
    assert pos is not None
    fault = FaultReport("out-of-bounds", "x", f"{pos[0]}:{pos[1]}:{pos[2]}", operands=(9, 4))
    hole = ladder(func, fault, module)[0]
    assert hole.level == "operand" and hole.extra["index"] == 2
    assert "memref.store %i, %m[%safe] : memref<4xindex>" in hole.marked
    new = splice(
        func, hole, "%h1 = arith.constant 0 : index\n%safe = arith.minsi %i, %h1 : index\n"
    )
    assert "memref.store %i, %m[%safe] : memref<4xindex>" in new
    parse_module(new, "spliced.mlir")
