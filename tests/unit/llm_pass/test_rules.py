"""The rules proposer: each template's candidate validates and, run natively, behaves as its
template says (the oracle is Python arithmetic, not the rules' own code)."""

from __future__ import annotations

import numpy as np
import pytest

from neurojit.ir import parse_module, print_module
from neurojit.llm_pass.faults import fault_of, verifier_error
from neurojit.llm_pass.rules import propose
from neurojit.llm_pass.validate import Rejection, validate_candidate

compile_module = pytest.importorskip("neurojit.runtime.module").compile_module
JITFault = pytest.importorskip("neurojit.fault_report").JITFault

INT64_MIN = -(1 << 63)


def _candidates(source: str) -> tuple[object, dict[str, str]]:
    module = parse_module(source, "t.mlir", verify=False)
    func = next(op for op in module.ops if fault_of(op) or verifier_error(op))
    fault = fault_of(func) or verifier_error(func)
    assert fault is not None
    out = {}
    for label, text in propose(func, fault, module):
        validate_candidate(text, func, module, dynamic=False)  # raises if not valid
        out.setdefault(label, text)
    return module, out


def _run(text: str):
    return compile_module(text + "\n", checks=True, timeout=2.0)


DIV = """
func.func @div(%a: i64, %b: i64) -> i64 attributes {neurojit.fault = #neurojit.fault<
    kind = "division-by-zero", message = "divisor is 0", inputs = [7 : i64, 0 : i64]>} {
  %q = arith.divsi %a, %b : i64
  func.return %q : i64
}
"""


def test_division_templates_are_safe_and_keep_good_results() -> None:
    _, cands = _candidates(DIV)
    assert set(cands) == {"zero-result", "divide-by-one"}
    zero = _run(cands["zero-result"])
    one = _run(cands["divide-by-one"])
    for a, b in [(7, 2), (-7, 2), (100, -3)]:
        expect = int(a / b)  # C semantics: truncation toward zero
        assert zero.call("div", a, b) == expect and one.call("div", a, b) == expect
    assert zero.call("div", 7, 0) == 0 and one.call("div", 7, 0) == 7
    assert zero.call("div", INT64_MIN, -1) == 0 and one.call("div", INT64_MIN, -1) == INT64_MIN


def test_out_of_bounds_templates_guard_and_clamp() -> None:
    source = """
func.func @get(%t: memref<4xi64>, %i: index) -> i64 attributes {neurojit.fault = #neurojit.fault<
    kind = "out-of-bounds", message = "index 9 not in [0, 4)">} {
  %v = memref.load %t[%i] : memref<4xi64>
  func.return %v : i64
}
"""
    _, cands = _candidates(source)
    table = np.array([10, 20, 30, 40], dtype=np.int64)
    guard, clamp = _run(cands["guard-access"]), _run(cands["clamp-index"])
    assert [guard.call("get", table, i) for i in (0, 3, 4, -1, 1 << 40)] == [10, 40, 0, 0, 0]
    assert [clamp.call("get", table, i) for i in (0, 3, 4, -1)] == [10, 40, 40, 10]


def test_store_guard_skips_out_of_bounds_writes() -> None:
    source = """
func.func @put(%t: memref<?xi64>, %i: index, %v: i64) attributes {neurojit.fault = #neurojit.fault<
    kind = "out-of-bounds", message = "index out of range">} {
  memref.store %v, %t[%i] : memref<?xi64>
  func.return
}
"""
    _, cands = _candidates(source)
    put = _run(cands["guard-access"])
    table = np.zeros(3, dtype=np.int64)
    put.call("put", table, 1, 5)
    put.call("put", table, 3, 9)
    put.call("put", table, -1, 9)
    assert table.tolist() == [0, 5, 0]


def test_recursion_gets_a_base_case() -> None:
    source = """
func.func @fact(%n: i64) -> i64 attributes {neurojit.fault = #neurojit.fault<
    kind = "stack-overflow", message = "stack overflow", inputs = [5 : i64]>} {
  %one = arith.constant 1 : i64
  %m = arith.subi %n, %one : i64
  %r = func.call @fact(%m) : (i64) -> i64
  %p = arith.muli %n, %r : i64
  func.return %p : i64
}
"""
    _, cands = _candidates(source)
    # One of the base cases is factorial's own: n <= 0 -> 1.
    fact = _run(cands["base-case(arg0 sle 0 -> one)"])
    assert [fact.call("fact", n) for n in range(6)] == [1, 1, 2, 6, 24, 120]
    assert fact.call("fact", -5) == 1


def test_a_non_progressing_while_loop_is_bounded() -> None:
    source = """
func.func @spin(%n: i64) -> i64 attributes {neurojit.fault = #neurojit.fault<
    kind = "timeout", message = "no progress", inputs = [5 : i64]>} {
  %z = arith.constant 0 : i64
  %r = scf.while (%x = %z) : (i64) -> i64 {
    %c = arith.cmpi slt, %x, %n : i64
    scf.condition(%c) %x : i64
  } do {
  ^bb0(%y: i64):
    scf.yield %y : i64
  }
  func.return %r : i64
}
"""
    _, cands = _candidates(source)
    spin = _run(cands["bound-while"])
    assert spin.call("spin", 5) == 0  # leaves after the bound instead of hanging
    assert spin.call("spin", -1) == 0


def test_verifier_error_gets_the_cast_it_needs() -> None:
    source = """
func.func @h(%a: i32) -> i64
func.func @f(%a: i64) -> f64 {
  %s = arith.trunci %a : i64 to i32
  %r = func.call @h(%a) : (i64) -> i64
  func.return %r : i64
}
"""
    module, cands = _candidates(source)
    text = cands["insert-casts"]
    assert "arith.trunci %a : i64 to i32" in text  # the call operand
    assert "arith.sitofp" in text  # the return value


def test_no_template_for_an_unrelated_fault() -> None:
    module = parse_module(DIV.replace("division-by-zero", "out-of-bounds"), "t.mlir")
    func = next(iter(module.ops))
    assert list(propose(func, fault_of(func), module)) == []  # type: ignore[arg-type]


def test_validation_still_judges_rule_output() -> None:
    module = parse_module(DIV, "t.mlir")
    func = next(iter(module.ops))
    # A rule text for the wrong function is rejected like any model answer.
    with pytest.raises(Rejection):
        validate_candidate(print_module(module).replace("@div", "@other"), func, module)


def test_a_cf_loop_gets_an_iteration_bound_and_terminating_inputs_keep_their_result() -> None:
    # sum of i for i in [0, n) stepping by %s: a step of 0 never ends.
    source = """
func.func @tri(%n: i64, %s: i64) -> i64 attributes {neurojit.fault = #neurojit.fault<
    kind = "timeout", message = "watchdog", inputs = [5 : i64, 0 : i64]>} {
  %zero = arith.constant 0 : i64
  cf.br ^head(%zero, %zero : i64, i64)
^head(%i: i64, %acc: i64):
  %more = arith.cmpi slt, %i, %n : i64
  cf.cond_br %more, ^body, ^exit
^body:
  %acc2 = arith.addi %acc, %i : i64
  %i2 = arith.addi %i, %s : i64
  cf.br ^head(%i2, %acc2 : i64, i64)
^exit:
  func.return %acc : i64
}
"""
    _, cands = _candidates(source)
    assert set(cands) == {"bound-cf-loop"}
    tri = _run(cands["bound-cf-loop"])
    assert tri.call("tri", 5, 1) == sum(range(5))
    assert tri.call("tri", 10, 3) == sum(range(0, 10, 3))
    assert tri.call("tri", 5, 0) == 0  # bounded instead of hanging


def test_use_before_definition_is_a_verifier_error_and_gets_reordered() -> None:
    source = """
func.func @poly(%a: i64, %b: i64) -> i64 {
  %s = arith.addi %a, %t : i64
  %t = arith.muli %b, %b : i64
  %r = scf.if %true -> (i64) {
    scf.yield %s : i64
  } else {
    scf.yield %u : i64
  }
  %u = arith.subi %a, %b : i64
  %true = arith.constant true
  func.return %r : i64
}
"""
    module, cands = _candidates(source)
    text = cands["reorder-definitions"]
    compiled = _run(text)
    for a, b in [(2, 3), (-4, 5), (7, 0)]:
        assert compiled.poly(a, b) == a + b * b  # %true: the then-branch's a + b*b


def test_mismatched_arith_operands_are_cast_to_the_result_type() -> None:
    source = """
func.func @scale(%a: i32, %b: i64) -> i64 {
  %s = "arith.addi"(%a, %b) : (i32, i64) -> i64
  func.return %s : i64
}
"""
    module, cands = _candidates(source)
    compiled = _run(cands["insert-casts"])
    for a, b in [(3, 4), (-7, 10), (2**31 - 1, 1)]:
        assert compiled.scale(a, b) == a + b  # sign-extended, then added in i64


def test_a_block_without_terminator_returns_what_it_computed_last() -> None:
    source = """
func.func @pick(%a: i64, %b: i64) -> i64 {
  %c = arith.cmpi sgt, %a, %b : i64
  cf.cond_br %c, ^bb1, ^bb2
^bb1:
  func.return %a : i64
^bb2:
  %s = arith.addi %a, %b : i64
}
"""
    module, cands = _candidates(source)
    compiled = _run(cands["add-missing-returns"])
    for a, b in [(9, 4), (2, 3), (-1, -1)]:
        assert compiled.pick(a, b) == (a if a > b else a + b)


def test_a_call_result_of_the_wrong_type_is_cast_from_the_declared_one() -> None:
    source = """
func.func @total(%a: i64, %b: i64) -> i64 {
  %s = arith.addi %a, %b : i64
  func.return %s : i64
}
func.func @low(%a: i64, %b: i64) -> i32 {
  %r = "func.call"(%a, %b) {callee = @total} : (i64, i64) -> i32
  func.return %r : i32
}
"""
    _, cands = _candidates(source)
    assert "func.call @total(%a, %b) : (i64, i64) -> i64" in cands["cast-call-results"]
    from neurojit.llm_pass.llm_repair import RepairOptions, repair_module

    module = parse_module(source, "t.mlir", verify=False)
    options = RepairOptions(runner="mock", proposers=("rules",))
    [repair] = repair_module(module, options=options, cache=None).repairs
    assert repair.ok and repair.model == "cast-call-results"
    compiled = _run(print_module(module))
    for a, b in [(3, 4), (-7, 2), (2**31, 5)]:
        want = (a + b) & 0xFFFFFFFF
        assert compiled.low(a, b) == (want - (1 << 32) if want >= 1 << 31 else want)


def test_a_value_defined_in_one_branch_and_used_at_the_join_is_hoisted() -> None:
    source = """
func.func @join(%a: i64, %p: i1) -> i64 {
  %one = arith.constant 1 : i64
  cf.cond_br %p, ^bb1, ^bb2
^bb1:
  %sq = arith.muli %a, %a : i64
  %v = arith.addi %sq, %one : i64
  cf.br ^bb3
^bb2:
  cf.br ^bb3
^bb3:
  %w = arith.addi %v, %a : i64
  func.return %w : i64
}
"""
    module, cands = _candidates(source)
    assert "reorder-definitions" not in cands  # not an order problem within one block
    compiled = _run(cands["hoist-definitions"])
    for a, p in [(3, 1), (3, 0), (-2, 1)]:
        assert compiled.join(a, p) == a * a + 1 + a  # both paths now compute %v


def test_a_division_in_a_branch_is_threaded_to_the_join_not_hoisted() -> None:
    source = """
func.func @join(%a: i64, %b: i64, %p: i1) -> i64 {
  cf.cond_br %p, ^bb1, ^bb2
^bb1:
  %q = arith.divsi %a, %b : i64
  cf.br ^bb3
^bb2:
  cf.br ^bb3
^bb3:
  func.return %q : i64
}
"""
    _, cands = _candidates(source)
    assert "hoist-definitions" not in cands
    # It reaches the join as a block argument instead: the quotient where it was computed,
    # zero from the branch that never computed it.
    compiled = _run(cands["thread-block-args"])
    for a, b, p in [(7, 2, 1), (-9, 3, 1), (7, 0, 0), (5, 5, 0)]:
        assert compiled.join(a, b, p) == (int(a / b) if p else 0)
