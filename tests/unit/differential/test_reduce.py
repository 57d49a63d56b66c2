"""reduce.py shrinks a program while a property holds, and never touches a live guard."""

from __future__ import annotations

import pytest
from oracle import OracleError, oracle_available, run_oracle
from reduce import ops_in, reduce

PROGRAM = """\
func.func @unused(%a: i64) -> i64 {
  %b = arith.muli %a, %a : i64
  return %b : i64
}
func.func @main() -> i64 {
  %x = arith.constant 40 : i64
  %y = arith.constant 3 : i64
  %z = arith.constant 0 : i64  // guard
  %bad = arith.cmpi eq, %y, %z : i64  // guard
  %one = arith.constant 1 : i64  // guard
  %d = arith.select %bad, %one, %y : i64  // guard
  %s = arith.addi %x, %y : i64
  %t = arith.xori %s, %x : i64
  %q = arith.floordivsi %t, %d : i64
  %m = arith.muli %q, %y : i64
  %r = arith.subi %m, %x : i64
  return %r : i64
}
"""


@pytest.mark.skipif(not oracle_available(), reason="needs mlir-opt-19 and mlir-cpu-runner-19")
def test_reduce_keeps_the_property_and_the_guards() -> None:
    def interesting(text: str) -> bool:
        # Stand-in for "ours disagrees": the program still divides and upstream runs it.
        if "arith.floordivsi" not in text:
            return False
        try:
            run_oracle(text, timeout=5)
        except OracleError:
            return False
        return True

    small = reduce(PROGRAM, interesting, log=lambda _: None)
    assert interesting(small)
    assert "@unused" not in small
    assert "arith.xori" not in small and "arith.subi" not in small
    assert len(small.splitlines()) < len(PROGRAM.splitlines())
    # The divisor's guard still feeds the division.
    assert "arith.select %bad, %one, %y" in small
    assert "arith.floordivsi" in ops_in(small)
