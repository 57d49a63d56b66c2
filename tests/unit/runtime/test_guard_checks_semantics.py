"""Checked code computes what unchecked code computes, and fails exactly where it must.

The oracle is Python's own integer semantics (C-style truncating division) and numpy
indexing: for random operands a checked division either returns the truncated quotient or
raises JITFault with the kind the operands call for; a checked load either returns the element
or reports the index and the dimension.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from xdsl.dialects.builtin import ModuleOp

from neurojit.fault_report import JITFault
from neurojit.runtime.engine import JITEngine
from neurojit.runtime.module import CompiledModule, compile_module, lower_with_neurojit

INT64_MIN, INT64_MAX = -(1 << 63), (1 << 63) - 1

SOURCE = """\
func.func @div(%a: i64, %b: i64) -> i64 {
  %q = arith.divsi %a, %b : i64
  return %q : i64
}
func.func @rem(%a: i32, %b: i32) -> i32 {
  %q = arith.remsi %a, %b : i32
  return %q : i32
}
func.func @at(%t: memref<?xi64>, %i: index) -> i64 {
  %v = memref.load %t[%i] : memref<?xi64>
  return %v : i64
}
func.func @ratio(%a: f64, %b: f64) -> f64 {
  %q = arith.divf %a, %b : f64
  return %q : f64
}
"""


def _lower_with_float_checks(module: ModuleOp) -> str:
    from neurojit.ir import make_context
    from neurojit.passes.neurojit_insert_checks import NeuroJITInsertChecksPass

    NeuroJITInsertChecksPass(check_float=True).apply(make_context(), module)
    return lower_with_neurojit(module)


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> CompiledModule:
    engine = JITEngine(cache_dir=Path(tmp_path_factory.mktemp("objcache")))
    return compile_module(SOURCE, name="semantics", engine=engine, lowerer=_lower_with_float_checks)


def _c_div(a: int, b: int) -> int:
    q = abs(a) // abs(b)
    return q if (a < 0) == (b < 0) else -q


def _c_rem(a: int, b: int) -> int:
    return a - _c_div(a, b) * b


ints64 = st.one_of(
    st.integers(INT64_MIN, INT64_MAX), st.sampled_from([0, -1, 1, INT64_MIN, INT64_MAX])
)
ints32 = st.one_of(st.integers(-(1 << 31), (1 << 31) - 1), st.sampled_from([0, -1, 1, -(1 << 31)]))


@settings(max_examples=300, deadline=None)
@given(a=ints64, b=ints64)
def test_checked_division_is_c_division_or_the_right_fault(
    checked: CompiledModule, a: int, b: int
) -> None:
    if b == 0 or (a == INT64_MIN and b == -1):
        with pytest.raises(JITFault) as info:
            checked.div(a, b)
        report = info.value.report
        assert report.kind == ("division-by-zero" if b == 0 else "signed-overflow")
        assert report.operands == [a, b] and report.signal is None
    else:
        assert checked.div(a, b) == _c_div(a, b)


@settings(max_examples=200, deadline=None)
@given(a=ints32, b=ints32)
def test_checked_i32_remainder(checked: CompiledModule, a: int, b: int) -> None:
    if b == 0 or (a == -(1 << 31) and b == -1):
        with pytest.raises(JITFault) as info:
            checked.rem(a, b)
        assert info.value.report.operands == [a, b]  # sign-extended back from i32
    else:
        assert checked.rem(a, b) == _c_rem(a, b)


@settings(max_examples=200, deadline=None)
@given(n=st.integers(0, 16), i=st.integers(INT64_MIN, INT64_MAX))
def test_checked_load_is_numpy_indexing_or_out_of_bounds(
    checked: CompiledModule, n: int, i: int
) -> None:
    table = np.arange(100, 100 + n, dtype=np.int64)
    if 0 <= i < n:
        assert checked.at(table, i) == table[i]
    else:
        with pytest.raises(JITFault) as info:
            checked.at(table, i)
        report = info.value.report
        assert report.kind == "out-of-bounds"
        assert report.message == f"index {i} not in [0, {n})"


@pytest.mark.parametrize(("a", "b"), [(1.0, 0.0), (0.0, 0.0), (-1.0, 0.0), (1e308, 1e-308)])
def test_float_checks_report_non_finite_results(
    checked: CompiledModule, a: float, b: float
) -> None:
    with pytest.raises(JITFault) as info:
        checked.ratio(a, b)
    report = info.value.report
    (value,) = report.operands
    assert math.isnan(value) or math.isinf(value)
    assert report.kind == "trap" and "arith.divf result" in report.message
    assert checked.ratio(1.0, 4.0) == 0.25


STATIC = """\
func.func @by_zero(%a: i64) -> i64 {
  %z = arith.constant 0 : i64
  %q = arith.divsi %a, %z : i64
  return %q : i64
}
func.func @past_end(%t: memref<4xi64>) -> i64 {
  %c9 = arith.constant 9 : index
  %v = memref.load %t[%c9] : memref<4xi64>
  return %v : i64
}
"""


@pytest.mark.parametrize(
    ("name", "args", "kind"),
    [
        ("by_zero", (5,), "division-by-zero"),
        ("past_end", (np.zeros(4, np.int64),), "out-of-bounds"),
    ],
)
def test_statically_visible_faults_are_still_reported(
    tmp_path: Path, name: str, args: tuple, kind: str
) -> None:
    """O2 turns `sdiv x, 0` into poison and may return anything; the folded check still fails."""
    m = compile_module(STATIC, name="static", engine=JITEngine(cache_dir=tmp_path))
    with pytest.raises(JITFault) as info:
        m.call(name, *args)
    assert info.value.report.kind == kind and info.value.report.signal is None
