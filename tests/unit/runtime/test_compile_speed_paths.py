"""What makes cold compiles cheaper: the guard's cached object and the GC pause."""

from __future__ import annotations

import gc
from pathlib import Path

import llvmlite.binding as llvm
import pytest

from neurojit.errors import NeuroJITError
from neurojit.runtime import guard
from neurojit.runtime.engine import JITEngine
from neurojit.runtime.module import compile_module, paused_gc


def _machine() -> llvm.TargetMachine:
    llvm.initialize_native_target()
    llvm.initialize_native_asmprinter()
    llvm.initialize_native_asmparser()
    target = llvm.Target.from_triple(llvm.get_process_triple())
    return target.create_target_machine(**guard._GUARD_MACHINE)


def test_guard_object_is_compiled_once_then_read_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEUROJIT_HOME", str(tmp_path))
    machine = _machine()
    first = guard._guard_object(machine)
    stored = list((tmp_path / "objcache").rglob("*.o"))
    assert len(stored) == 1
    assert first[:4] == b"\x7fELF"

    def no_compiling(*args: object, **kwargs: object) -> None:
        raise AssertionError("the guard was compiled again")

    monkeypatch.setattr(guard.llvm, "parse_assembly", no_compiling)
    assert guard._guard_object(machine) == first


def test_guard_object_key_covers_codegen_options(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEUROJIT_HOME", str(tmp_path))
    machine = _machine()
    guard._guard_object(machine)
    monkeypatch.setitem(guard._GUARD_MACHINE, "opt", 1)
    guard._guard_object(machine)
    assert len(list((tmp_path / "objcache").rglob("*.o"))) == 2


def test_paused_gc_restores_what_it_found() -> None:
    was = gc.isenabled()
    try:
        gc.enable()
        with paused_gc():
            assert not gc.isenabled()
        assert gc.isenabled()
        with pytest.raises(ValueError), paused_gc():
            raise ValueError
        assert gc.isenabled()
        gc.disable()  # a caller's choice is kept
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        (gc.enable if was else gc.disable)()


SOURCE = """
func.func @add(%a: i64, %b: i64) -> i64 {
  %c = arith.addi %a, %b : i64
  return %c : i64
}
"""


def test_compile_module_leaves_the_gc_as_it_was(tmp_path: Path) -> None:
    engine = JITEngine(cache_dir=tmp_path / "objcache")
    assert gc.isenabled()
    assert compile_module(SOURCE, engine=engine, guard=False).add(2, 3) == 5
    assert gc.isenabled()
    with pytest.raises(NeuroJITError):
        compile_module("func.func @bad(", engine=engine, guard=False)
    assert gc.isenabled()
