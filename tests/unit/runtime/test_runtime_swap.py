"""Hot swap through dispatch slots: visibility to earlier callers, threads, refusals."""

from __future__ import annotations

import threading
from collections.abc import Callable

import numpy as np
import pytest

from neurojit.errors import NeuroJITError
from neurojit.runtime.module import CompiledModule

Compile = Callable[..., CompiledModule]

PROGRAM = """
func.func @scale(%x: i64) -> i64 {
  %k = arith.constant 1 : i64
  %r = arith.muli %x, %k : i64
  return %r : i64
}
func.func @caller(%x: i64) -> i64 {
  %a = func.call @scale(%x) : (i64) -> i64
  %one = arith.constant 1 : i64
  %b = arith.addi %a, %one : i64
  return %b : i64
}
func.func @fact(%n: i64) -> i64 {
  %one = arith.constant 1 : i64
  %le = arith.cmpi sle, %n, %one : i64
  %r = scf.if %le -> (i64) {
    scf.yield %one : i64
  } else {
    %m = arith.subi %n, %one : i64
    %f = func.call @fact(%m) : (i64) -> i64
    %p = arith.muli %n, %f : i64
    scf.yield %p : i64
  }
  return %r : i64
}
memref.global "private" constant @offsets : memref<2xi64> = dense<[1000, 2000]>
func.func @first(%m: memref<?xi64>) -> i64 {
  %c0 = arith.constant 0 : index
  %v = memref.load %m[%c0] : memref<?xi64>
  return %v : i64
}
"""


def scale_version(k: int) -> str:
    return f"""
func.func @scale(%x: i64) -> i64 {{
  %k = arith.constant {k} : i64
  %r = arith.muli %x, %k : i64
  return %r : i64
}}
"""


@pytest.fixture
def prog(compile_text: Compile) -> CompiledModule:
    return compile_text(PROGRAM, name="prog")


def test_swap_is_seen_by_a_native_caller_compiled_earlier(prog: CompiledModule) -> None:
    assert prog.caller(5) == 6
    old = prog.current_address("scale")
    assert prog.swap("scale", scale_version(10)) == 2
    assert prog.current_address("scale") != old
    assert prog.caller(5) == 51
    assert prog.scale(5) == 50
    prog.swap("scale", scale_version(3))
    assert prog.caller(5) == 16
    assert [lib.name for lib in prog.libraries] == ["prog@v1", "prog@v2", "prog@v3"]


def test_swapped_function_may_call_module_functions_and_globals(prog: CompiledModule) -> None:
    prog.swap(
        "first",
        """
func.func @first(%m: memref<?xi64>) -> i64 {
  %c1 = arith.constant 1 : index
  %v = memref.load %m[%c1] : memref<?xi64>
  %t = memref.get_global @offsets : memref<2xi64>
  %o = memref.load %t[%c1] : memref<2xi64>
  %w = arith.addi %v, %o : i64
  %s = func.call @scale(%w) : (i64) -> i64
  return %s : i64
}
""",
    )
    assert prog.first(np.array([1, 2], dtype=np.int64)) == 2002


def test_recursion_goes_through_the_slot(prog: CompiledModule) -> None:
    assert prog.fact(10) == 3628800
    # A version that only changes the base case: the recursive calls made by the old body
    # land in the new one, so every level uses it.
    prog.swap(
        "fact",
        """
func.func @fact(%n: i64) -> i64 {
  %one = arith.constant 1 : i64
  %two = arith.constant 2 : i64
  %le = arith.cmpi sle, %n, %one : i64
  %r = scf.if %le -> (i64) {
    scf.yield %two : i64
  } else {
    %m = arith.subi %n, %one : i64
    %f = func.call @fact(%m) : (i64) -> i64
    %p = arith.muli %n, %f : i64
    scf.yield %p : i64
  }
  return %r : i64
}
""",
    )
    assert prog.fact(10) == 2 * 3628800


def test_signature_change_is_refused(prog: CompiledModule) -> None:
    bad = "func.func @scale(%x: i32) -> i32 {\n  return %x : i32\n}"
    with pytest.raises(NeuroJITError, match=r"signature changed from \(i64\) -> i64"):
        prog.swap("scale", bad)
    assert prog.caller(1) == 2  # still the old version


def test_swap_errors(prog: CompiledModule) -> None:
    with pytest.raises(NeuroJITError, match="no function @nosuch"):
        prog.swap("nosuch", scale_version(2))
    with pytest.raises(NeuroJITError, match="defines no function @caller"):
        prog.swap("caller", scale_version(2))
    with pytest.raises(NeuroJITError):
        prog.swap("scale", "func.func @scale(%x: i64) -> i64 { return %y : i64 }")
    assert prog.caller(2) == 3


def test_thread_calling_during_swaps_never_sees_a_wrong_result(prog: CompiledModule) -> None:
    swapped: set[int] = {1}  # factors of every version published so far (or about to be)
    stop = threading.Event()
    wrong: list[tuple[int, int]] = []
    calls = [0]

    def hammer() -> None:
        x = 0
        while not stop.is_set():
            x = (x + 7) % 1000
            r = prog.caller(x)
            if (r - 1) % x if x else r != 1:
                wrong.append((x, r))
            elif x and (r - 1) // x not in swapped:
                wrong.append((x, r))
            calls[0] += 1

    thread = threading.Thread(target=hammer)
    thread.start()
    try:
        for k in range(2, 14):
            swapped.add(k)
            prog.swap("scale", scale_version(k))
    finally:
        stop.set()
        thread.join()
    assert not wrong, wrong[:5]
    assert calls[0] > 0
    assert prog.caller(10) == 131


COUNTER = """
memref.global "private" @count : memref<1xi64> = dense<[0]>
func.func @bump(%k: i64) -> i64 {
  %c0 = arith.constant 0 : index
  %g = memref.get_global @count : memref<1xi64>
  %v = memref.load %g[%c0] : memref<1xi64>
  %w = arith.addi %v, %k : i64
  memref.store %w, %g[%c0] : memref<1xi64>
  return %w : i64
}
func.func @read() -> i64 {
  %c0 = arith.constant 0 : index
  %g = memref.get_global @count : memref<1xi64>
  %v = memref.load %g[%c0] : memref<1xi64>
  return %v : i64
}
"""


def test_swapped_function_shares_mutable_globals(compile_text: Compile) -> None:
    m = compile_text(COUNTER, name="counter")
    assert m.bump(5) == 5
    m.swap(
        "bump",
        """
func.func @bump(%k: i64) -> i64 {
  %c0 = arith.constant 0 : index
  %g = memref.get_global @count : memref<1xi64>
  %v = memref.load %g[%c0] : memref<1xi64>
  %k2 = arith.addi %k, %k : i64
  %w = arith.addi %v, %k2 : i64
  memref.store %w, %g[%c0] : memref<1xi64>
  return %w : i64
}
""",
    )
    assert m.bump(1) == 7  # continues from the first version's state: 5 + 2
    assert m.read() == 7  # and the old functions see the new version's writes


NATIVE_LOOP = """
func.func @scale(%x: i64) -> i64 {
  %k = arith.constant 1 : i64
  %r = arith.muli %x, %k : i64
  return %r : i64
}
func.func @count_bad(%n: i64) -> i64 {
  %zero = arith.constant 0 : i64
  %one = arith.constant 1 : i64
  %top = arith.constant 13 : i64
  %c1 = arith.constant 1 : index
  %ni = arith.index_cast %n : i64 to index
  %bad = scf.for %i = %c1 to %ni step %c1 iter_args(%acc = %zero) -> (i64) {
    %x = arith.index_cast %i : index to i64
    %r = func.call @scale(%x) : (i64) -> i64
    %q = arith.divsi %r, %x : i64
    %m = arith.remsi %r, %x : i64
    %b1 = arith.cmpi ne, %m, %zero : i64
    %b2 = arith.cmpi slt, %q, %one : i64
    %b3 = arith.cmpi sgt, %q, %top : i64
    %b12 = arith.ori %b1, %b2 : i1
    %b = arith.ori %b12, %b3 : i1
    %inc = arith.extui %b : i1 to i64
    %next = arith.addi %acc, %inc : i64
    scf.yield %next : i64
  }
  return %bad : i64
}
"""


def test_native_loop_during_swaps_never_sees_a_torn_or_wrong_callee(
    compile_text: Compile,
) -> None:
    """A native loop calls through the slot millions of times while versions are stored."""
    m = compile_text(NATIVE_LOOP, name="native_loop")
    result: list[int] = []
    done = threading.Event()

    def run() -> None:
        total = 0
        while not done.is_set():
            total += m.count_bad(2_000_000)  # ctypes releases the GIL during the loop
        result.append(total)

    thread = threading.Thread(target=run)
    thread.start()
    try:
        for k in range(2, 14):
            m.swap("scale", scale_version(k))
    finally:
        done.set()
        thread.join()
    assert result == [0]
    assert m.scale(3) == 39
