"""Calls from Python go through the crash guard: a fault becomes JITFault, the module lives on."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from neurojit.fault_report import JITFault
from neurojit.runtime.module import CompiledModule

Compile = Callable[..., CompiledModule]

DIV = """
func.func @div(%a: i64, %b: i64) -> i64 {
  %q = arith.divsi %a, %b : i64
  return %q : i64
}
func.func @outer(%a: i64, %b: i64) -> i64 {
  %q = func.call @div(%a, %b) : (i64, i64) -> i64
  return %q : i64
}
"""


def test_fault_becomes_jitfault_with_inputs(compile_text: Compile) -> None:
    m = compile_text(DIV, name="div")
    assert m.div(7, 2) == 3
    with pytest.raises(JITFault) as info:
        m.div(7, 0)
    report = info.value.report
    assert report.kind == "division-by-zero"
    assert report.function == "div"
    assert report.inputs == [7, 0]
    assert m.outer(9, 3) == 3  # the module still works after a fault


def test_swap_repairs_a_faulting_function(compile_text: Compile) -> None:
    m = compile_text(DIV, name="repair")
    with pytest.raises(JITFault):
        m.outer(1, 0)
    m.swap(
        "div",
        """
func.func @div(%a: i64, %b: i64) -> i64 {
  %z = arith.constant 0 : i64
  %one = arith.constant 1 : i64
  %isz = arith.cmpi eq, %b, %z : i64
  %d = arith.select %isz, %one, %b : i64
  %q = arith.divsi %a, %d : i64
  return %q : i64
}
""",
    )
    assert m.outer(5, 0) == 5


def test_unguarded_module_calls_directly(compile_text: Compile) -> None:
    m = compile_text(DIV, name="direct", guard=False)
    assert not m.guarded
    assert m.outer(-9, 2) == -4


def test_signal_in_a_callee_names_the_callee(compile_text: Compile) -> None:
    m = compile_text(DIV, name="callee")
    with pytest.raises(JITFault) as info:
        m.outer(3, 0)
    assert info.value.report.function == "div"
    assert info.value.report.inputs == [3, 0]


def test_watchdog_deadline_travels_with_the_call(compile_text: Compile) -> None:
    spin = """
func.func @spin(%n: i64) -> i64 {
  %zero = arith.constant 0 : i64
  %one = arith.constant 1 : i64
  %three = arith.constant 3 : i64
  %r = scf.while (%i = %n) : (i64) -> i64 {
    %go = arith.cmpi ne, %i, %zero : i64
    scf.condition(%go) %i : i64
  } do {
  ^bb0(%i: i64):
    %t = arith.muli %i, %three : i64
    %j = arith.addi %t, %one : i64
    scf.yield %j : i64
  }
  return %r : i64
}
"""
    m = compile_text(spin, name="spin", timeout=0.2)
    assert m.spin(0) == 0
    with pytest.raises(JITFault) as info:
        m.spin(1)  # x -> 3x+1 from 1 first wraps to 0 after 2^63 steps: only the watchdog ends it
    assert info.value.report.kind == "timeout"
