"""The checked heap (runtime/heap_ir.py): a bad `memref.dealloc` in a user program is a
precise `invalid-free` fault report on both front ends, and the process lives.

Without it glibc aborts the host inside `free` (`free(): double free detected`): the
control test below shows that with checks off.
"""

from __future__ import annotations

import re
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

from neurojit import compiler
from neurojit.fault_report import JITFault
from neurojit.runtime import heap_ir
from neurojit.runtime.module import CompiledModule, compile_module

FRONTENDS = [
    "xdsl",
    pytest.param(
        "native",
        marks=pytest.mark.skipif(
            not compiler.native_installed(), reason="the native front end is not installed"
        ),
    ),
]

PROGRAM = """\
memref.global "private" @g : memref<4xi64> = dense<[1, 2, 3, 4]>
func.func @twice(%n: index) -> i64 {
  %m = memref.alloc(%n) : memref<?xi64>
  memref.dealloc %m : memref<?xi64>
  memref.dealloc %m : memref<?xi64> // second
  %z = arith.constant 0 : i64
  return %z : i64
}
func.func @arg(%m: memref<?xi64>) -> i64 {
  memref.dealloc %m : memref<?xi64> // argument
  %z = arith.constant 0 : i64
  return %z : i64
}
func.func @glob() -> i64 {
  %m = memref.get_global @g : memref<4xi64>
  memref.dealloc %m : memref<4xi64> // global
  %z = arith.constant 0 : i64
  return %z : i64
}
func.func @stack() -> i64 {
  %m = memref.alloca() : memref<4xi64>
  memref.dealloc %m : memref<4xi64> // alloca
  %z = arith.constant 0 : i64
  return %z : i64
}
func.func @callee(%m: memref<?xi64>) {
  memref.dealloc %m : memref<?xi64> // in callee
  return
}
func.func @through_callee(%n: index) -> i64 {
  %m = memref.alloc(%n) : memref<?xi64>
  func.call @callee(%m) : (memref<?xi64>) -> ()
  func.call @callee(%m) : (memref<?xi64>) -> ()
  %z = arith.constant 0 : i64
  return %z : i64
}
func.func @aligned() -> i64 {
  %m = memref.alloc() {alignment = 64} : memref<4xi64>
  %c0 = arith.constant 0 : index
  %c5 = arith.constant 5 : i64
  memref.store %c5, %m[%c0] : memref<4xi64>
  %v = memref.load %m[%c0] : memref<4xi64>
  memref.dealloc %m : memref<4xi64>
  return %v : i64
}
func.func @make(%n: index) -> memref<?xi64> {
  %m = memref.alloc(%n) : memref<?xi64>
  return %m : memref<?xi64>
}
func.func @churn(%n: index) -> i64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %z = arith.constant 0 : i64
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %z) -> (i64) {
    %m = memref.alloc(%c4) : memref<?xi64>
    %x = arith.index_cast %i : index to i64
    memref.store %x, %m[%c0] : memref<?xi64>
    %v = memref.load %m[%c0] : memref<?xi64>
    memref.dealloc %m : memref<?xi64>
    %a = arith.addi %acc, %v : i64
    scf.yield %a : i64
  }
  return %r : i64
}
func.func @hold(%n: index) -> i64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %z = arith.constant 0 : i64
  %keep = memref.alloc(%n) : memref<?xi64>
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %z) -> (i64) {
    %m = memref.alloc(%c1) : memref<?xi64>
    %x = arith.index_cast %i : index to i64
    memref.store %x, %m[%c0] : memref<?xi64>
    memref.store %x, %keep[%i] : memref<?xi64>
    %v = memref.load %m[%c0] : memref<?xi64>
    %a = arith.addi %acc, %v : i64
    scf.yield %a : i64
  }
  memref.dealloc %keep : memref<?xi64>
  return %r : i64
}
func.func @spin() -> i64 {
  %c0 = arith.constant 0 : index
  %c4 = arith.constant 4 : index
  %z = arith.constant 0 : i64
  %r = scf.while (%acc = %z) : (i64) -> i64 {
    %t = arith.constant true
    scf.condition(%t) %acc : i64
  } do {
  ^bb0(%acc: i64):
    %m = memref.alloc(%c4) : memref<?xi64>
    memref.store %acc, %m[%c0] : memref<?xi64>
    %v = memref.load %m[%c0] : memref<?xi64>
    memref.dealloc %m : memref<?xi64>
    %one = arith.constant 1 : i64
    %a = arith.addi %v, %one : i64
    scf.yield %a : i64
  }
  return %r : i64
}
"""


def _line(marker: str) -> int:
    return next(i for i, text in enumerate(PROGRAM.splitlines(), 1) if marker in text)


@pytest.fixture(scope="module", params=FRONTENDS)
def module(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("heap") / "heap.mlir"
    path.write_text(PROGRAM)
    return compile_module(path, frontend=request.param, timeout=0.2)


def _report(module: CompiledModule, name: str, *args: object) -> tuple:
    with pytest.raises(JITFault) as info:
        module.call(name, *args)
    r = info.value.report
    where = r.location and r.location.rsplit("/", 1)[-1]
    return r.kind, r.signal, where, r.message, r.function


CASES = [
    ("twice", (3,), "// second", heap_ir.DOUBLE_MESSAGE, "twice"),
    ("arg", (np.arange(3, dtype=np.int64),), "// argument", heap_ir.FOREIGN_MESSAGE, "arg"),
    ("glob", (), "// global", heap_ir.FOREIGN_MESSAGE, "glob"),
    ("stack", (), "// alloca", heap_ir.FOREIGN_MESSAGE, "stack"),
    ("through_callee", (2,), "// in callee", heap_ir.DOUBLE_MESSAGE, "callee"),
]


@pytest.mark.parametrize(("name", "args", "marker", "message", "function"), CASES)
def test_bad_dealloc_is_a_report_and_the_process_lives(
    module: CompiledModule, name: str, args: tuple, marker: str, message: str, function: str
) -> None:
    where = f"heap.mlir:{_line(marker)}:3"
    for _ in range(3):  # again and again: nothing is left broken
        assert _report(module, name, *args) == ("invalid-free", None, where, message, function)
        assert module.churn(100) == sum(range(100))
    assert message.startswith("memref.dealloc")


def test_good_deallocs_still_free(module: CompiledModule) -> None:
    assert module.aligned() == 5  # the allocated pointer is freed, not the aligned one
    assert module.churn(200_000) == sum(range(200_000))
    # 100,000 live allocations at once (the table grows), then the call ends.
    assert module.hold(100_000) == sum(range(100_000))
    assert module.churn(10) == 45


def test_a_returned_buffer_belongs_to_python(module: CompiledModule) -> None:
    """A buffer the program returned is numpy's: a later call freeing it is refused (numpy
    frees it when the array dies, so letting the program free it would be a double free)."""
    arr = module.make(5)
    arr[:] = 7
    assert _report(module, "arg", arr)[3] == heap_ir.FOREIGN_MESSAGE
    assert arr.sum() == 35
    del arr


def test_timeouts_inside_the_heap_leave_it_usable(module: CompiledModule) -> None:
    """The watchdog longjmps out of JIT code, which includes the heap's own table code."""
    for _ in range(15):
        assert _report(module, "spin")[0] == "timeout"
        assert module.churn(1000) == sum(range(1000))
        assert _report(module, "twice", 2)[0] == "invalid-free"


def test_threads_have_their_own_heap_records(module: CompiledModule) -> None:
    errors: list[str] = []

    def work() -> None:
        try:
            for _ in range(100):
                assert module.churn(300) == sum(range(300))
                assert _report(module, "twice", 2)[0] == "invalid-free"
        except BaseException as err:  # noqa: BLE001 - reported below
            errors.append(repr(err))

    threads = [threading.Thread(target=work) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


@pytest.mark.parametrize("frontend", FRONTENDS)
def test_only_checked_code_uses_the_checked_heap(frontend: str) -> None:
    checked = compiler.compile_text(PROGRAM, "h.mlir", frontend=frontend).llvm_ir
    unchecked = compiler.compile_text(PROGRAM, "h.mlir", checks=False, frontend=frontend).llvm_ir
    calls = re.compile(r'call (?:ccc )?\w+ @"?(nj_dealloc|nj_malloc|free|malloc)"?\(')
    assert set(calls.findall(checked)) == {"nj_dealloc", "nj_malloc"}
    assert set(calls.findall(unchecked)) == {"free", "malloc"}


_CONTROL = """
import sys
from neurojit.runtime.module import compile_module
m = compile_module(open(sys.argv[1]).read(), frontend=sys.argv[2], checks=sys.argv[3] == "1")
try:
    m.through_callee(3)
except Exception as err:
    print(type(err).__name__)
print("alive")
"""


@pytest.mark.parametrize("frontend", FRONTENDS)
def test_control_without_checks_libc_aborts(frontend: str, tmp_path: Path) -> None:
    """The same double free without the checked heap kills the process (SIGABRT). (In @twice
    LLVM deletes the unused allocation and both frees when they are plain libc calls.)"""
    path = tmp_path / "h.mlir"
    path.write_text(PROGRAM)
    run = [sys.executable, "-c", _CONTROL, str(path), frontend]
    checked = subprocess.run([*run, "1"], capture_output=True, text=True, timeout=120)
    assert checked.returncode == 0 and checked.stdout.split() == ["JITFault", "alive"]
    unchecked = subprocess.run([*run, "0"], capture_output=True, text=True, timeout=120)
    assert unchecked.returncode != 0 and "alive" not in unchecked.stdout
    assert "double free" in unchecked.stderr
