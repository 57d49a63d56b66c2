"""Python ⇄ native: scalars, multiple results, numpy arrays as memrefs (views, strides, owners)."""

from __future__ import annotations

import gc
import math
from collections.abc import Callable

import numpy as np
import pytest

from neurojit.errors import NeuroJITError
from neurojit.runtime.module import CompiledModule

Compile = Callable[..., CompiledModule]

SCALARS = """
func.func @addi64(%a: i64, %b: i64) -> i64 {
  %c = arith.addi %a, %b : i64
  return %c : i64
}
func.func @muli32(%a: i32, %b: i32) -> i32 {
  %c = arith.muli %a, %b : i32
  return %c : i32
}
func.func @negi8(%a: i8) -> i8 {
  %z = arith.constant 0 : i8
  %c = arith.subi %z, %a : i8
  return %c : i8
}
func.func @wide(%a: i16) -> i64 {
  %c = arith.extsi %a : i16 to i64
  return %c : i64
}
func.func @notb(%a: i1) -> i1 {
  %t = arith.constant true
  %c = arith.xori %a, %t : i1
  return %c : i1
}
func.func @idx(%a: index) -> index {
  %c = arith.constant 3 : index
  %d = arith.muli %a, %c : index
  return %d : index
}
func.func @fma(%a: f64, %b: f64, %c: f64) -> f64 {
  %m = arith.mulf %a, %b : f64
  %s = arith.addf %m, %c : f64
  return %s : f64
}
func.func @half(%a: f32) -> f32 {
  %h = arith.constant 0.5 : f32
  %s = arith.mulf %a, %h : f32
  return %s : f32
}
func.func @divmod(%a: i64, %b: i64) -> (i64, i64, f64) {
  %q = arith.divsi %a, %b : i64
  %r = arith.remsi %a, %b : i64
  %f = arith.sitofp %q : i64 to f64
  return %q, %r, %f : i64, i64, f64
}
func.func @nothing() {
  return
}
func.func private @secret(%a: i64) -> i64 {
  return %a : i64
}
"""


@pytest.fixture
def scalars(compile_text: Compile) -> CompiledModule:
    return compile_text(SCALARS, name="scalars")


def test_integer_widths(scalars: CompiledModule) -> None:
    assert scalars.addi64(2**40, -5) == 2**40 - 5
    assert scalars.addi64(2**63 - 1, 1) == -(2**63)  # i64 wraps like the hardware
    assert scalars.muli32(-70000, 3) == -210000
    assert scalars.muli32(65536, 65536) == 0
    assert scalars.negi8(-128) == -128
    assert scalars.wide(-3) == -3
    assert scalars.idx(14) == 42


def test_bools(scalars: CompiledModule) -> None:
    assert scalars.notb(True) is False
    assert scalars.notb(False) is True
    assert scalars.notb(0) is True


def test_floats(scalars: CompiledModule) -> None:
    assert scalars.fma(1.5, 2.0, 0.25) == 3.25
    assert math.isnan(scalars.fma(math.inf, 0.0, 1.0))
    assert scalars.fma(2, 3, 4) == 10.0  # ints are accepted for floats
    assert scalars.half(3.0) == 1.5
    assert scalars.half(0.1) == float(np.float32(0.1) * np.float32(0.5))


def test_multiple_results_are_a_tuple(scalars: CompiledModule) -> None:
    assert scalars.divmod(-7, 2) == (-3, -1, -3.0)
    assert scalars.call("divmod", 9, 3) == (3, 0, 3.0)


def test_no_results_is_none(scalars: CompiledModule) -> None:
    assert scalars.nothing() is None


def test_bad_arguments(scalars: CompiledModule) -> None:
    with pytest.raises(TypeError):
        scalars.addi64(1.5, 2)
    with pytest.raises(TypeError):
        scalars.addi64(1)
    with pytest.raises(ValueError):
        scalars.muli32(2**40, 1)  # out of range for i32: refused, not truncated
    with pytest.raises(AttributeError):
        scalars.nosuch(1)
    with pytest.raises(NeuroJITError, match="private"):
        scalars.secret(1)


def test_numpy_scalars_are_accepted(scalars: CompiledModule) -> None:
    assert scalars.addi64(np.int64(4), np.int32(5)) == 9
    assert scalars.fma(np.float32(1.5), np.float64(2.0), 0.0) == 3.0


MEMREFS = """
func.func @sum(%m: memref<?xi64>) -> i64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = memref.dim %m, %c0 : memref<?xi64>
  %z = arith.constant 0 : i64
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %z) -> (i64) {
    %v = memref.load %m[%i] : memref<?xi64>
    %s = arith.addi %acc, %v : i64
    scf.yield %s : i64
  }
  return %r : i64
}
func.func @sum_strided(%m: memref<?xi64, strided<[?], offset: ?>>) -> i64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = memref.dim %m, %c0 : memref<?xi64, strided<[?], offset: ?>>
  %z = arith.constant 0 : i64
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %z) -> (i64) {
    %v = memref.load %m[%i] : memref<?xi64, strided<[?], offset: ?>>
    %s = arith.addi %acc, %v : i64
    scf.yield %s : i64
  }
  return %r : i64
}
func.func @scale2d(%m: memref<?x?xf64>, %k: f64) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %rows = memref.dim %m, %c0 : memref<?x?xf64>
  %cols = memref.dim %m, %c1 : memref<?x?xf64>
  scf.for %i = %c0 to %rows step %c1 {
    scf.for %j = %c0 to %cols step %c1 {
      %v = memref.load %m[%i, %j] : memref<?x?xf64>
      %w = arith.mulf %v, %k : f64
      memref.store %w, %m[%i, %j] : memref<?x?xf64>
    }
  }
  return
}
func.func @fill_strided(%m: memref<?x?xi32, strided<[?, ?], offset: ?>>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %rows = memref.dim %m, %c0 : memref<?x?xi32, strided<[?, ?], offset: ?>>
  %cols = memref.dim %m, %c1 : memref<?x?xi32, strided<[?, ?], offset: ?>>
  scf.for %i = %c0 to %rows step %c1 {
    scf.for %j = %c0 to %cols step %c1 {
      %a = arith.index_cast %i : index to i32
      %b = arith.index_cast %j : index to i32
      %h = arith.constant 100 : i32
      %x = arith.muli %a, %h : i32
      %y = arith.addi %x, %b : i32
      memref.store %y, %m[%i, %j] : memref<?x?xi32, strided<[?, ?], offset: ?>>
    }
  }
  return
}
func.func @iota(%n: index) -> memref<?xf64> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %m = memref.alloc(%n) : memref<?xf64>
  scf.for %i = %c0 to %n step %c1 {
    %a = arith.index_cast %i : index to i64
    %f = arith.sitofp %a : i64 to f64
    memref.store %f, %m[%i] : memref<?xf64>
  }
  return %m : memref<?xf64>
}
func.func @same(%m: memref<4xi64>) -> (memref<4xi64>, i64) {
  %c0 = arith.constant 0 : index
  %v = memref.load %m[%c0] : memref<4xi64>
  return %m, %v : memref<4xi64>, i64
}
func.func @pair(%n: index) -> (memref<?xi64>, memref<?xi64>) {
  %m = memref.alloc(%n) : memref<?xi64>
  return %m, %m : memref<?xi64>, memref<?xi64>
}
memref.global "private" constant @tbl : memref<3xi64> = dense<[7, 8, 9]>
func.func @table() -> memref<3xi64> {
  %t = memref.get_global @tbl : memref<3xi64>
  return %t : memref<3xi64>
}
func.func @static2(%m: memref<2x3xf32>) -> f32 {
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %v = memref.load %m[%c1, %c2] : memref<2x3xf32>
  return %v : f32
}
"""


@pytest.fixture
def memrefs(compile_text: Compile) -> CompiledModule:
    return compile_text(MEMREFS, name="memrefs")


def test_contiguous_and_list_arguments(memrefs: CompiledModule) -> None:
    a = np.arange(10, dtype=np.int64)
    assert memrefs.sum(a) == 45
    assert memrefs.sum([1, 2, 3]) == 6
    assert memrefs.sum(np.zeros(0, dtype=np.int64)) == 0


def test_non_contiguous_view_to_identity_layout_is_copied(memrefs: CompiledModule) -> None:
    a = np.arange(20, dtype=np.int64)
    assert memrefs.sum(a[::3]) == int(a[::3].sum())
    assert memrefs.sum(a[::-1]) == int(a.sum())


def test_non_contiguous_2d_writes_land_in_the_view(memrefs: CompiledModule) -> None:
    base = np.arange(24, dtype=np.float64).reshape(4, 6)
    expect = base.copy()
    expect[:, 1::2] *= 2.0
    memrefs.scale2d(base[:, 1::2], 2.0)
    np.testing.assert_array_equal(base, expect)
    t = np.arange(6, dtype=np.float64).reshape(2, 3)
    memrefs.scale2d(t.T, -1.0)
    np.testing.assert_array_equal(t, -np.arange(6, dtype=np.float64).reshape(2, 3))


def test_strided_layout_takes_the_view_without_copy(memrefs: CompiledModule) -> None:
    a = np.arange(30, dtype=np.int64)
    assert memrefs.sum_strided(a[3::4]) == int(a[3::4].sum())
    assert memrefs.sum_strided(a[::-2]) == int(a[::-2].sum())
    grid = np.zeros((5, 8), dtype=np.int32)
    view = grid[1:4, 2::3].T  # transposed, offset, stride 3: only a strided memref takes it
    memrefs.fill_strided(view)
    expect = np.zeros((5, 8), dtype=np.int32)
    for i in range(view.shape[0]):
        for j in range(view.shape[1]):
            expect[1 + j, 2 + 3 * i] = 100 * i + j
    np.testing.assert_array_equal(grid, expect)


def test_memref_result_owns_its_buffer(memrefs: CompiledModule) -> None:
    arrays = [memrefs.iota(n) for n in (0, 1, 5, 1000)]
    np.testing.assert_array_equal(arrays[2], np.arange(5, dtype=np.float64))
    assert arrays[3][999] == 999.0 and arrays[3].flags.writeable
    arrays[3][0] = 42.0
    del arrays
    gc.collect()  # frees through libc; a double free here would abort the process
    for _ in range(200):
        memrefs.iota(10000)


def test_result_aliasing_an_argument_is_a_view_of_it(memrefs: CompiledModule) -> None:
    a = np.array([5, 6, 7, 8], dtype=np.int64)
    out, first = memrefs.same(a)
    assert first == 5
    assert np.shares_memory(out, a)
    out[1] = 60
    assert a[1] == 60
    del a, out
    gc.collect()


def test_one_buffer_returned_twice_is_freed_once(memrefs: CompiledModule) -> None:
    x, y = memrefs.pair(16)
    assert np.shares_memory(x, y)
    x[:] = 3
    assert int(y.sum()) == 48
    del x
    gc.collect()
    assert int(y.sum()) == 48
    del y
    gc.collect()


def test_global_result_is_read_only_and_keeps_module_alive(compile_text: Compile) -> None:
    t = compile_text(MEMREFS, name="globals").table()
    gc.collect()
    assert t.tolist() == [7, 8, 9]
    assert not t.flags.writeable


def test_static_shape_and_dtype_checks(memrefs: CompiledModule) -> None:
    m = np.arange(6, dtype=np.float32).reshape(2, 3)
    assert memrefs.static2(m) == 5.0
    with pytest.raises(TypeError, match="shape"):
        memrefs.static2(np.zeros((3, 2), dtype=np.float32))
    with pytest.raises(TypeError, match="dtype"):
        memrefs.static2(np.zeros((2, 3), dtype=np.float64))
    with pytest.raises(TypeError, match="rank"):
        memrefs.sum(np.zeros((2, 2), dtype=np.int64))


def test_threads_call_concurrently(memrefs: CompiledModule, scalars: CompiledModule) -> None:
    from concurrent.futures import ThreadPoolExecutor

    def work(k: int) -> bool:
        ok = True
        for i in range(300):
            ok &= scalars.divmod(k * 1000 + i, 7) == divmod(k * 1000 + i, 7) + (
                float((k * 1000 + i) // 7),
            )
            ok &= memrefs.sum(np.arange(i, dtype=np.int64)) == i * (i - 1) // 2
        return ok

    with ThreadPoolExecutor(4) as pool:
        assert all(pool.map(work, range(1, 9)))


def test_global_result_is_recognised_whatever_the_allocated_pointer(engine: object) -> None:
    """A lowering that puts the global's own address (not 0xdeadbeef) in the descriptor."""
    from neurojit.ir import parse_module
    from neurojit.runtime import upstream
    from neurojit.runtime.module import CompiledModule, _functions

    if not upstream.available():
        pytest.skip("mlir-opt-19 not installed")
    text = """
memref.global "private" constant @tbl : memref<3xi64> = dense<[7, 8, 9]>
func.func @table() -> memref<3xi64> {
  %t = memref.get_global @tbl : memref<3xi64>
  return %t : memref<3xi64>
}
"""
    ir = upstream.upstream_llvm_ir(text)
    assert "inttoptr (i64 3735928559 to ptr)" in ir
    ir = ir.replace("inttoptr (i64 3735928559 to ptr)", "@tbl")
    m = CompiledModule.from_llvm_ir(ir, _functions(parse_module(text)), "g", engine=engine)
    for _ in range(3):
        t = m.table()
        assert t.tolist() == [7, 8, 9]
        assert not t.flags.writeable
        del t
        gc.collect()  # a free() of the global would abort here


def test_random_views_round_trip(compile_text: Compile) -> None:
    """Random slices/transposes of 2-D arrays: identity-layout writes land, strided sums match."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    m = compile_text(MEMREFS, name="views")

    @settings(max_examples=60, deadline=None, derandomize=True)
    @given(
        rows=st.integers(1, 7),
        cols=st.integers(1, 7),
        r0=st.integers(0, 3),
        c0=st.integers(0, 3),
        rs=st.sampled_from([1, 2, -1, 3]),
        cs=st.sampled_from([1, 2, -1, -2]),
        transpose=st.booleans(),
        k=st.floats(-4, 4, allow_nan=False),
    )
    def check(
        rows: int, cols: int, r0: int, c0: int, rs: int, cs: int, transpose: bool, k: float
    ) -> None:
        base = np.arange(rows * cols, dtype=np.float64).reshape(rows, cols) + 0.5
        view = base[r0::rs, c0::cs] if rs > 0 else base[::rs, c0::cs]
        if transpose:
            view = view.T
        expect = base.copy()
        expect_view = expect[r0::rs, c0::cs] if rs > 0 else expect[::rs, c0::cs]
        if transpose:
            expect_view = expect_view.T
        expect_view *= k
        m.scale2d(view, k)
        np.testing.assert_array_equal(base, expect)
        flat = np.arange(40, dtype=np.int64)[r0 :: max(1, abs(rs))]
        assert m.sum_strided(flat[::cs]) == int(flat[::cs].sum())
        assert m.sum(flat[::cs]) == int(flat[::cs].sum())

    check()
