"""Every fault class, from MLIR compiled through our lowering with and without checks.

With checks, division and bounds faults come from `nj_fail` (precise: op location and operand
values); without, from the signal path. Faults no check covers (a null result of a huge
allocation, a trap, recursion, a hang) take the signal/watchdog path either way.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from neurojit.fault_report import JITFault
from neurojit.runtime.engine import JITEngine
from neurojit.runtime.module import CompiledModule, compile_module

SOURCE = """\
func.func @div(%a: i64, %b: i64) -> i64 {
  %q = arith.divsi %a, %b : i64
  return %q : i64
}
func.func @lookup(%t: memref<4xi64>, %i: index) -> i64 {
  %v = memref.load %t[%i] : memref<4xi64>
  return %v : i64
}
func.func @huge(%n: index, %i: index, %j: index) -> i64 {
  %m = memref.alloc(%n) : memref<?xi64>
  %c = arith.constant 7 : i64
  memref.store %c, %m[%i] : memref<?xi64>
  %v = memref.load %m[%j] : memref<?xi64>
  return %v : i64
}
func.func @trap(%a: i64) -> i64 {
  %f = arith.constant false
  cf.assert %f, "unreachable"
  return %a : i64
}
func.func @rec(%n: i64) -> i64 {
  %one = arith.constant 1 : i64
  %m = arith.addi %n, %one : i64
  %r = func.call @rec(%m) : (i64) -> i64
  %s = arith.muli %r, %n : i64
  return %s : i64
}
func.func @spin(%a: i64) -> i64 {
  %zero = arith.constant 0 : i64
  %two = arith.constant 2 : i64
  %r = scf.while (%x = %a) : (i64) -> i64 {
    %c = arith.cmpi ne, %x, %zero : i64
    scf.condition(%c) %x : i64
  } do {
  ^bb0(%y: i64):
    %z = arith.addi %y, %two : i64
    scf.yield %z : i64
  }
  return %r : i64
}
"""

INT64_MIN = -(1 << 63)
TABLE = np.arange(10, 14, dtype=np.int64)


@pytest.fixture(scope="module", params=[True, False], ids=["checks", "no-checks"])
def module(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> CompiledModule:
    engine = JITEngine(cache_dir=Path(tmp_path_factory.mktemp("objcache")))
    path = tmp_path_factory.mktemp("src") / "faults.mlir"
    path.write_text(SOURCE)
    m = compile_module(path, checks=request.param, timeout=0.3, engine=engine)
    m.test_source = str(path)  # type: ignore[attr-defined]
    return m


def _fault(m: CompiledModule, name: str, *args: object) -> JITFault:
    with pytest.raises(JITFault) as info:
        m.call(name, *args)
    return info.value


def test_normal_calls_still_work(module: CompiledModule) -> None:
    assert module.div(-7, 2) == -3
    assert module.lookup(TABLE, 3) == 13


def test_division_by_zero(module: CompiledModule) -> None:
    report = _fault(module, "div", 7, 0).report
    assert (report.kind, report.function, report.inputs) == ("division-by-zero", "div", [7, 0])
    if module.checks:
        assert report.signal is None and report.location == f"{_path(module)}:2:3"
        assert report.operands == [7, 0]
    else:
        assert report.signal == 8


def test_int64_min_divided_by_minus_one(module: CompiledModule) -> None:
    report = _fault(module, "div", INT64_MIN, -1).report
    assert report.kind == "signed-overflow"
    assert (report.signal is None) == module.checks


def test_far_out_of_bounds_load(module: CompiledModule) -> None:
    report = _fault(module, "lookup", TABLE, 100_000_000_000).report
    if module.checks:
        assert report.kind == "out-of-bounds"
        assert report.diagnosis() == (
            f"out-of-bounds: index 100000000000 not in [0, 4) at {_path(module)}:6:3 in @lookup"
        )
    else:
        assert report.kind == "segfault" and report.signal == 11


def test_store_to_the_null_result_of_a_huge_alloc(module: CompiledModule) -> None:
    report = _fault(module, "huge", 1 << 60, 1, 2).report
    if module.checks:
        # neurojit-insert-checks bounds dynamic allocation sizes before malloc sees them.
        assert report.kind == "out-of-bounds" and "memref.alloc size" in report.message
        return
    assert report.kind == "segfault"
    assert report.address is not None and report.address < 4096


def test_llvm_trap(module: CompiledModule) -> None:
    assert _fault(module, "trap", 1).report.kind == "trap"


def test_unbounded_recursion(module: CompiledModule) -> None:
    # LLVM may turn the recursion into a loop (accumulator TRE): then it is a hang.
    assert _fault(module, "rec", 1).report.kind in ("stack-overflow", "timeout")


def test_infinite_loop_times_out(module: CompiledModule) -> None:
    report = _fault(module, "spin", 1).report
    assert report.kind == "timeout" and report.signal is not None
    assert module.spin(-4) == 0  # the module is fine afterwards


def _path(m: CompiledModule) -> str:
    return m.test_source  # type: ignore[attr-defined]
