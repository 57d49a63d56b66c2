"""Candidate validation: each check rejects what it should, with a reason naming the problem."""

from __future__ import annotations

import pytest

from neurojit.ir import parse_module
from neurojit.llm_pass.validate import Rejection, validate_candidate

MODULE = """
func.func private @helper(i64) -> i64
func.func @f(%a: i64, %b: i64) -> i64 attributes {neurojit.fault = #neurojit.fault<
    kind = "division-by-zero", message = "x", inputs = [1 : i64, 0 : i64]>} {
  %q = arith.divsi %a, %b : i64
  func.return %q : i64
}
"""

GOOD = """Here you go:
```mlir
func.func @f(%a: i64, %b: i64) -> i64 {
  %z = arith.constant 0 : i64
  %o = arith.constant 1 : i64
  %isz = arith.cmpi eq, %b, %z : i64
  %d = arith.select %isz, %o, %b : i64
  %q = arith.divsi %a, %d : i64
  func.return %q : i64
}
```
"""


def _func():
    module = parse_module(MODULE, "t.mlir")
    funcs = [op for op in module.ops if op.sym_name.data == "f"]
    return module, funcs[0]


def _reject(answer: str) -> Rejection:
    module, func = _func()
    with pytest.raises(Rejection) as info:
        validate_candidate(answer, func, module, dynamic=False)
    return info.value


def test_fenced_good_candidate_is_accepted_and_leaves_module_alone() -> None:
    module, func = _func()
    before = str(module)
    accepted = validate_candidate(GOOD, func, module, dynamic=False)
    assert accepted.func.sym_name.data == "f"
    assert "neurojit.fault" not in accepted.func.attributes
    assert any(op.name == "arith.select" for op in accepted.func.walk())
    assert str(module) == before


def test_use_before_definition_is_rejected_by_dominance() -> None:
    err = _reject(
        """func.func @f(%a: i64, %b: i64) -> i64 {
  %q = arith.divsi %a, %r : i64
  %r = arith.addi %b, %b : i64
  func.return %q : i64
}"""
    )
    assert err.stage == "dominance" and "%r" in err.reason and "before it is defined" in err.reason


def test_definition_in_a_branch_not_dominating_the_join_is_rejected() -> None:
    err = _reject(
        """func.func @f(%a: i64, %b: i64) -> i64 {
  %c = arith.constant true
  cf.cond_br %c, ^l, ^r
^l:
  %v = arith.addi %a, %b : i64
  cf.br ^j
^r:
  cf.br ^j
^j:
  func.return %v : i64
}"""
    )
    assert err.stage == "dominance" and "%v" in err.reason


def test_value_defined_in_a_loop_used_after_it_is_rejected() -> None:
    err = _reject(
        """func.func @f(%a: i64, %b: i64) -> i64 {
  %c = arith.constant true
  %x = scf.if %c -> (i64) {
    scf.yield %y : i64
  } else {
    scf.yield %a : i64
  }
  %y = arith.addi %x, %b : i64
  func.return %y : i64
}"""
    )
    assert err.stage == "dominance"


def test_branch_arguments_and_loop_carried_values_are_fine() -> None:
    module, func = _func()
    answer = """func.func @f(%a: i64, %b: i64) -> i64 {
  %zero = arith.constant 0 : i64
  cf.br ^loop(%zero : i64)
^loop(%i: i64):
  %done = arith.cmpi sge, %i, %a : i64
  cf.cond_br %done, ^exit, ^body
^body:
  %n = arith.addi %i, %b : i64
  cf.br ^loop(%n : i64)
^exit:
  func.return %i : i64
}"""
    assert validate_candidate(answer, func, module, dynamic=False).depth.startswith("static")


@pytest.mark.parametrize(
    ("answer", "stage", "needle"),
    [
        ("I'm sorry, I can't.", "extract", "no func.func"),
        (
            "func.func @f(%a: i64, %b: i32) -> i64 {\n %q = arith.constant 0 : i64\n"
            " func.return %q : i64\n}",
            "signature",
            "(i64, i32) -> i64",
        ),
        (
            "func.func @g(%a: i64, %b: i64) -> i64 {\n func.return %a : i64\n}",
            "signature",
            "@g",
        ),
        (
            "func.func @f(%a: i64, %b: i64) -> i64 {\n %q = arith.trunci %a : i64 to i32\n"
            " func.return %q : i32\n}",
            "verify",
            "func.return",
        ),
        (
            "func.func @f(%a: i64, %b: i64) -> i64 {\n"
            " %q = func.call @nothere(%a) : (i64) -> i64\n func.return %q : i64\n}",
            "policy",
            "calls @nothere, which the module does not declare",
        ),
        (
            "func.func @f(%a: i64, %b: i64) -> i64 {\n %q = llvm.add %a, %b : i64\n"
            " func.return %q : i64\n}",
            "policy",
            "llvm",
        ),
        (
            "func.func @f(%a: i64, %b: i64) -> i64 {\n %q = arith.bogus %a : i64\n"
            " func.return %q : i64\n}",
            "parse",
            "arith.bogus",
        ),
    ],
)
def test_rejections_name_their_reason(answer: str, stage: str, needle: str) -> None:
    err = _reject(answer)
    assert err.stage == stage, err
    assert needle in err.reason, err


def test_calling_a_declared_function_is_allowed() -> None:
    module, func = _func()
    answer = """func.func @f(%a: i64, %b: i64) -> i64 {
  %q = func.call @helper(%a) : (i64) -> i64
  func.return %q : i64
}"""
    validate_candidate(answer, func, module, dynamic=False)


def test_reading_a_global_the_module_does_not_define_is_a_policy_rejection() -> None:
    module = parse_module(
        """
memref.global "private" constant @t : memref<4xi64> = dense<[1, 2, 3, 4]>
func.func @f(%i: index) -> i64 attributes {
    neurojit.fault = #neurojit.fault<kind = "out-of-bounds", message = "x">} {
  %g = memref.get_global @t : memref<4xi64>
  %v = memref.load %g[%i] : memref<4xi64>
  func.return %v : i64
}""",
        "t.mlir",
    )
    func = [op for op in module.ops if op.name == "func.func"][0]
    answer = """func.func @f(%i: index) -> i64 {
  %g = memref.get_global @NAME : memref<4xi64>
  %c = arith.constant 0 : index
  %v = memref.load %g[%c] : memref<4xi64>
  func.return %v : i64
}"""
    validate_candidate(answer.replace("NAME", "t"), func, module, dynamic=False)
    with pytest.raises(Rejection, match="reads global @nope, which the module does not define"):
        validate_candidate(answer.replace("NAME", "nope"), func, module, dynamic=False)


def test_the_faulty_function_handed_back_renamed_values_and_all_is_rejected() -> None:
    err = _reject(
        """func.func @f(%x: i64, %y: i64) -> i64 {
  %r = arith.divsi %x, %y : i64
  func.return %r : i64
}"""
    )
    assert err.stage == "unchanged"
