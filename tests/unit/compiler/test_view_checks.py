# ruff: noqa: E501  (MLIR program text)
"""View checks on both front ends: the native one (compiler/native_checks.py) and xdsl
(neurojit-insert-checks) must report the same faults on the same view programs.

xdsl is the second oracle: every program below runs on a grid of arguments through both
front ends, and each call's outcome (its result, or its fault report field by field) must be
identical. A few outcomes are also written down by hand, independently of either.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest

from neurojit import compiler
from neurojit.fault_report import JITFault
from neurojit.runtime.engine import JITEngine
from neurojit.runtime.module import CompiledModule, compile_module

pytestmark = pytest.mark.skipif(
    not compiler.native_installed(), reason="the native front end's wheels are not installed"
)

PROGRAM = """\
func.func @sv1(%m: memref<?xi64>, %o: index, %s: index, %k: index) -> i64 {
  %v = memref.subview %m[%o] [%s] [%k] : memref<?xi64> to memref<?xi64, strided<[?], offset: ?>>
  %c1 = arith.constant 1 : index
  %n = arith.subi %s, %c1 : index
  %x = memref.load %v[%n] : memref<?xi64, strided<[?], offset: ?>>
  return %x : i64
}
func.func @sv2(%m: memref<4x?xi64>, %o: index, %p: index, %s: index) -> i64 {
  %v = memref.subview %m[%o, %p] [2, %s] [1, 1] : memref<4x?xi64> to memref<2x?xi64, strided<[?, 1], offset: ?>>
  %z = arith.constant 0 : index
  %x = memref.load %v[%z, %z] : memref<2x?xi64, strided<[?, 1], offset: ?>>
  return %x : i64
}
func.func @svs(%m: memref<8xi64>, %k: index) -> i64 {
  %v = memref.subview %m[1] [3] [%k] : memref<8xi64> to memref<3xi64, strided<[?], offset: 1>>
  %c2 = arith.constant 2 : index
  %x = memref.load %v[%c2] : memref<3xi64, strided<[?], offset: 1>>
  return %x : i64
}
func.func @rc1(%m: memref<?xi64>, %o: index, %n: index) -> i64 {
  %v = memref.reinterpret_cast %m to offset: [%o], sizes: [%n], strides: [1] : memref<?xi64> to memref<?xi64, strided<[1], offset: ?>>
  %z = arith.constant 0 : index
  %x = memref.load %v[%z] : memref<?xi64, strided<[1], offset: ?>>
  return %x : i64
}
func.func @rc2(%m: memref<3x4xi64>, %o: index, %r: index, %k: index) -> i64 {
  %v = memref.reinterpret_cast %m to offset: [%o], sizes: [%r, 2], strides: [%k, 1] : memref<3x4xi64> to memref<?x2xi64, strided<[?, 1], offset: ?>>
  %z = arith.constant 0 : index
  %x = memref.load %v[%z, %z] : memref<?x2xi64, strided<[?, 1], offset: ?>>
  return %x : i64
}
func.func @cast2(%m: memref<?x?xi64>) -> i64 {
  %s = memref.cast %m : memref<?x?xi64> to memref<2x3xi64>
  %i = arith.constant 1 : index
  %j = arith.constant 2 : index
  %x = memref.load %s[%i, %j] : memref<2x3xi64>
  return %x : i64
}
"""

EDGE = (0, 1, 2, 3, 5, 8, -1, 2**62)


def _args(name: str) -> list[tuple]:
    a8 = np.arange(8, dtype=np.int64)
    a34 = np.arange(12, dtype=np.int64).reshape(3, 4)
    if name == "sv1":
        return [(a8, o, s, k) for o, s, k in itertools.product(EDGE, (1, 2, 4, 9, -1), (1, 2, 3))]
    if name == "sv2":
        m = np.arange(20, dtype=np.int64).reshape(4, 5)
        return [(m, o, p, s) for o, p, s in itertools.product((0, 2, 3, -1), (0, 3, 5), (1, 2, 6))]
    if name == "svs":
        return [(a8, k) for k in (0, 1, 2, 3, 4, -1, 2**61)]
    if name == "rc1":
        return [(a8, o, n) for o, n in itertools.product(EDGE, (1, 3, 8, 9, 2**62))]
    if name == "rc2":
        return [(a34, o, r, k) for o, r, k in itertools.product((0, 4, 9), (1, 2, 3), (0, 4, 5))]
    return [(np.arange(n, dtype=np.int64).reshape(r, c),) for r, c, n in ((2, 3, 6), (3, 2, 6))]


NAMES = ("sv1", "sv2", "svs", "rc1", "rc2", "cast2")


@pytest.fixture(scope="module")
def modules(tmp_path_factory: pytest.TempPathFactory) -> dict[str, CompiledModule]:
    path = tmp_path_factory.mktemp("views") / "views.mlir"
    path.write_text(PROGRAM)
    engine = JITEngine(use_cache=False)
    return {
        fe: compile_module(path, frontend=fe, engine=engine, timeout=2.0)
        for fe in ("native", "xdsl")
    }


def _outcome(module: CompiledModule, name: str, args: tuple) -> tuple:
    try:
        return ("result", module.call(name, *args))
    except JITFault as err:
        r = err.report
        where = r.location and r.location.rsplit("/", 1)[-1]
        return ("fault", r.kind, r.signal, where, r.message, r.operands, r.function)


def test_native_compiles_views_itself(modules: dict[str, CompiledModule]) -> None:
    """Views no longer send a module to the xdsl front end."""
    assert modules["native"].frontend == "native"
    assert modules["native"].frontend_note is None


@pytest.mark.parametrize("name", NAMES)
def test_front_ends_report_the_same_view_faults(
    modules: dict[str, CompiledModule], name: str
) -> None:
    faults = 0
    for args in _args(name):
        native = _outcome(modules["native"], name, args)
        xdsl = _outcome(modules["xdsl"], name, args)
        assert native == xdsl, (name, args[1:])
        if native[0] == "fault":
            faults += 1
            # A view check reports precisely: never a signal.
            assert native[1:3] == ("out-of-bounds", None), (name, args[1:], native)
    assert faults > 0  # every program has arguments that leave its source


def _line(snippet: str) -> int:
    return next(i for i, text in enumerate(PROGRAM.splitlines(), 1) if snippet in text)


@pytest.mark.parametrize("frontend", ["native", "xdsl"])
def test_view_reports_written_down(modules: dict[str, CompiledModule], frontend: str) -> None:
    m = modules[frontend]
    a8 = np.arange(8, dtype=np.int64)
    assert m.sv1(a8, 2, 3, 2) == 6  # elements 2, 4, 6
    sv_line = f"views.mlir:{_line('memref.subview %m[%o] [%s]')}:3"
    # 2 + (4 - 1) * 2 = 8 is past the end of 8 elements.
    assert _outcome(m, "sv1", (a8, 2, 4, 2)) == (
        "fault",
        "out-of-bounds",
        None,
        sv_line,
        "memref.subview slice of dimension 0 at offset 2 leaves [0, 8)",
        [2, 8],
        "sv1",
    )
    # A stride so large that offset + (size - 1) * stride wraps to a small number is caught.
    assert _outcome(m, "svs", (a8, 2**61))[1] == "out-of-bounds"
    assert m.svs(a8, 3) == 7  # elements 1, 4, 7
    rc = _outcome(m, "rc1", (a8, 5, 4))
    assert rc[1] == "out-of-bounds" and rc[5] == [5, 8]
    assert rc[4] == (
        "memref.reinterpret_cast view at offset 5 reaches beyond the source's 8 elements"
    )
    assert m.rc1(a8, 4, 4) == 4
    a34 = np.arange(12, dtype=np.int64).reshape(3, 4)
    assert m.rc2(a34, 9, 2, 1) == 9  # rows at 9 and 10, two elements each: last is 11
    assert _outcome(m, "rc2", (a34, 9, 2, 2))[1] == "out-of-bounds"  # last would be 12
    bad = _outcome(m, "cast2", (np.zeros((3, 2), dtype=np.int64),))
    assert bad[4] == "memref.cast of dimension 0: size 3 is not 2" and bad[5] == [3, 2]
    assert m.cast2(np.arange(6, dtype=np.int64).reshape(2, 3)) == 5


def test_view_checks_in_the_native_ir() -> None:
    """The checks are really in the native front end's code, and only with checks on."""
    with_checks = compiler.compile_text(PROGRAM, "v.mlir", frontend="native").llvm_ir
    without = compiler.compile_text(PROGRAM, "v.mlir", checks=False, frontend="native").llvm_ir
    assert "memref.subview slice of dimension" in with_checks
    assert "memref.reinterpret_cast view at offset" in with_checks
    assert "memref.cast of dimension" in with_checks
    assert "nj_fail" not in without


def test_unchecked_view_is_not_checked(tmp_path: Path) -> None:
    """The control: without checks the same bad view reads past the buffer (no report)."""
    path = tmp_path / "v.mlir"
    path.write_text(PROGRAM)
    m = compile_module(path, frontend="native", checks=False, engine=JITEngine(use_cache=False))
    big = np.arange(64, dtype=np.int64)
    view = big[:8]  # the 8 elements the program is given; memory after it is still ours
    assert m.rc1(view, 9, 1) == 9
