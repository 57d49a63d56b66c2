"""The two compiler front ends (neurojit/compiler): same results, same fault reports.

Every fault class is triggered through both `native` (upstream MLIR 22 in-process) and
`xdsl`, and the reports must agree field by field; the expected kind, operand values and
source line are also written down here independently of either front end.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from neurojit import compiler
from neurojit.errors import NeuroJITError, UsageError
from neurojit.fault_report import JITFault
from neurojit.runtime.engine import JITEngine
from neurojit.runtime.module import CompiledModule, compile_module

pytestmark = pytest.mark.skipif(
    not compiler.native_installed(), reason="the native front end's wheels are not installed"
)

FRONTENDS = ("native", "xdsl")

PROGRAM = """\
memref.global "private" constant @table : memref<4xi64> = dense<[10, 20, 30, 40]>
func.func @sdiv(%a: i64, %b: i64) -> i64 {
  %q = arith.divsi %a, %b : i64
  return %q : i64
}
func.func @urem(%a: i32, %b: i32) -> i32 {
  %r = arith.remui %a, %b : i32
  return %r : i32
}
func.func @load(%m: memref<?xf64>, %i: index) -> f64 {
  %v = memref.load %m[%i] : memref<?xf64>
  return %v : f64
}
func.func @store(%i: index, %j: index) -> i64 {
  %m = memref.alloca() : memref<3x5xi64>
  %c = arith.constant 7 : i64
  memref.store %c, %m[%i, %j] : memref<3x5xi64>
  %v = memref.load %m[%i, %j] : memref<3x5xi64>
  return %v : i64
}
func.func @lookup(%i: index) -> i64 {
  %t = memref.get_global @table : memref<4xi64>
  %v = memref.load %t[%i] : memref<4xi64>
  return %v : i64
}
func.func @const_oob() -> i64 {
  %t = memref.get_global @table : memref<4xi64>
  %c9 = arith.constant 9 : index
  %v = memref.load %t[%c9] : memref<4xi64>
  return %v : i64
}
func.func @asserts(%a: i64) -> i64 {
  %zero = arith.constant 0 : i64
  %ok = arith.cmpi sge, %a, %zero : i64
  cf.assert %ok, "a must not be negative"
  return %a : i64
}
func.func @spin(%n: i64) -> i64 {
  %r = scf.while (%x = %n) : (i64) -> i64 {
    %go = arith.cmpi sgt, %x, %n : i64
    %true = arith.constant true
    scf.condition(%true) %x : i64
  } do {
  ^bb0(%x: i64):
    scf.yield %x : i64
  }
  return %r : i64
}
func.func @sum(%m: memref<?xi64>) -> i64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = memref.dim %m, %c0 : memref<?xi64>
  %z = arith.constant 0 : i64
  %s = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %z) -> (i64) {
    %v = memref.load %m[%i] : memref<?xi64>
    %a = arith.addi %acc, %v : i64
    scf.yield %a : i64
  }
  return %s : i64
}
"""


@pytest.fixture(scope="module")
def modules(tmp_path_factory: pytest.TempPathFactory) -> dict[str, CompiledModule]:
    path = tmp_path_factory.mktemp("fe") / "faults.mlir"
    path.write_text(PROGRAM)
    engine = JITEngine(use_cache=False)
    return {fe: compile_module(path, frontend=fe, engine=engine, timeout=0.5) for fe in FRONTENDS}


ASSERT_MESSAGE = "a must not be negative"


def _line(snippet: str) -> int:
    return next(i for i, text in enumerate(PROGRAM.splitlines(), 1) if snippet in text)


def _fault(module: CompiledModule, name: str, *args: object) -> dict:
    with pytest.raises(JITFault) as info:
        module.call(name, *args)
    r = info.value.report
    loc = r.location and r.location.rsplit("/", 1)[-1]
    return {
        "kind": r.kind,
        "signal": r.signal,
        "location": loc,
        "message": r.message,
        "operands": r.operands,
        "function": r.function,
    }


CASES = [
    # name, args, kind, operands, snippet of the faulting line (None: a signal, no location)
    ("sdiv", (7, 0), "division-by-zero", [7, 0], "arith.divsi"),
    ("sdiv", (-(2**63), -1), "signed-overflow", [-(2**63), -1], "arith.divsi"),
    ("urem", (5, 0), "division-by-zero", [5, 0], "arith.remui"),
    ("load", (np.zeros(3), 3), "out-of-bounds", [3, 3], "memref.load %m[%i]"),
    ("load", (np.zeros(3), -1), "out-of-bounds", [-1, 3], "memref.load %m[%i]"),
    ("store", (1, 5), "out-of-bounds", [5, 5], "memref.store %c"),
    ("store", (3, 0), "out-of-bounds", [3, 3], "memref.store %c"),
    ("lookup", (4,), "out-of-bounds", [4, 4], "memref.load %t[%i]"),
    ("const_oob", (), "out-of-bounds", [9, 4], "memref.load %t[%c9]"),
]


@pytest.mark.parametrize(("name", "args", "kind", "operands", "snippet"), CASES)
def test_check_faults_match(
    modules: dict[str, CompiledModule],
    name: str,
    args: tuple,
    kind: str,
    operands: list,
    snippet: str,
) -> None:
    reports = {fe: _fault(m, name, *args) for fe, m in modules.items()}
    assert reports["native"] == reports["xdsl"]
    r = reports["native"]
    assert (r["kind"], r["operands"], r["function"], r["signal"]) == (kind, operands, name, None)
    assert r["location"] == f"faults.mlir:{_line(snippet)}:3"


def test_signal_faults_match(modules: dict[str, CompiledModule]) -> None:
    """A hang times out on both front ends."""
    reports = {fe: _fault(m, "spin", 1) for fe, m in modules.items()}
    strip = {k: v for k, v in reports["native"].items() if k != "message"}
    assert strip == {k: v for k, v in reports["xdsl"].items() if k != "message"}
    assert reports["native"]["kind"] == "timeout"


def test_failed_assert_is_a_trap_fault(modules: dict[str, CompiledModule]) -> None:
    """A failed cf.assert is a `trap` fault in the function on both front ends (upstream would
    abort the host). The native one carries the assert's message and location, as upstream
    prints the message; the xdsl one is the SIGILL of `llvm.trap`."""
    reports = {fe: _fault(m, "asserts", -1) for fe, m in modules.items()}
    for r in reports.values():
        assert (r["kind"], r["function"]) == ("trap", "asserts")
    native = reports["native"]
    assert native["signal"] is None
    assert native["message"] == ASSERT_MESSAGE
    assert native["location"] == f"faults.mlir:{_line('cf.assert')}:3"
    assert reports["xdsl"]["signal"] is not None


def test_results_match(modules: dict[str, CompiledModule]) -> None:
    for m in modules.values():
        assert m.sdiv(-7, 2) == -3
        assert m.urem(7, 4) == 3
        assert m.store(2, 4) == 7
        assert m.lookup(3) == 40
        assert m.asserts(5) == 5
        assert m.sum(np.arange(10, dtype=np.int64)) == 45
    assert {fe: m.frontend for fe, m in modules.items()} == {"native": "native", "xdsl": "xdsl"}


def _native_ir(text: str, checks: bool = True) -> str:
    return compiler.compile_text(text, "t.mlir", checks=checks, frontend="native").llvm_ir


def test_static_checks_fold() -> None:
    """The contiguous loop over dim(A, 0) needs no check; a constant index in range neither."""
    sum_only = PROGRAM[PROGRAM.index("func.func @sum") :]
    assert "nj_fail" not in _native_ir(sum_only)
    in_range = """func.func @f() -> i64 {
      %m = memref.alloca() : memref<4xi64>
      %c3 = arith.constant 3 : index
      %c = arith.constant 2 : i64
      %d = arith.divsi %c, %c : i64
      memref.store %d, %m[%c3] : memref<4xi64>
      %v = memref.load %m[%c3] : memref<4xi64>
      return %v : i64
    }"""
    assert "nj_fail" not in _native_ir(in_range)
    assert "nj_fail" in _native_ir(
        in_range.replace("%c3 = arith.constant 3", "%c3 = arith.constant 4")
    )
    without_assert = PROGRAM.replace(f'  cf.assert %ok, "{ASSERT_MESSAGE}"\n', "")
    assert without_assert != PROGRAM
    assert "nj_fail" not in _native_ir(without_assert, checks=False)
    # A cf.assert is the program's own check: it reports through nj_fail even without ours.
    assert "nj_fail" in _native_ir(PROGRAM, checks=False)


@pytest.mark.parametrize("frontend", FRONTENDS)
def test_swap_on_both_front_ends(frontend: str) -> None:
    """A swapped-in version calls the module's other functions and reads its globals; the
    old callers see it; a signature change is refused; its faults report too."""
    m = compile_module(PROGRAM, frontend=frontend, engine=JITEngine(use_cache=False))
    new = """func.func @sdiv(%a: i64, %b: i64) -> i64 {
      %t = memref.get_global @table : memref<4xi64>
      %c1 = arith.constant 1 : index
      %v = memref.load %t[%c1] : memref<4xi64>
      %i = arith.index_cast %b : i64 to index
      %w = func.call @lookup(%i) : (index) -> i64
      %s = arith.addi %v, %w : i64
      %q = arith.divsi %s, %b : i64
      return %q : i64
    }"""
    assert m.swap("sdiv", new) == 2
    assert m.sdiv(0, 2) == (20 + 30) // 2
    with pytest.raises(JITFault) as info:
        m.sdiv(0, 7)  # lookup(7) is out of bounds, inside the old function
    assert (info.value.report.kind, info.value.report.function) == ("out-of-bounds", "lookup")
    with pytest.raises(NeuroJITError, match="signature changed"):
        m.swap("sdiv", "func.func @sdiv(%a: i32) -> i32 {\n return %a : i32\n}")


@pytest.mark.parametrize("frontend", FRONTENDS)
def test_a_fault_in_swapped_code_names_its_line_in_the_swapped_text(frontend: str) -> None:
    """The location is what the healing loop looks the faulting op up by in that text: a
    line off (the module wrapper the swap adds) put a later repair's hole on the next op."""
    m = compile_module(PROGRAM, frontend=frontend, engine=JITEngine(use_cache=False))
    new = "func.func @sdiv(%a: i64, %b: i64) -> i64 {\n"
    new += "  %one = arith.constant 1 : i64\n  %c = arith.addi %a, %one : i64\n"
    new += "  %q = arith.divsi %c, %b : i64\n  return %q : i64\n}"
    m.swap("sdiv", new)
    with pytest.raises(JITFault) as info:
        m.sdiv(5, 0)
    report = info.value.report
    assert report.kind == "division-by-zero"
    assert report.location is not None and report.location.endswith(":4:3"), report.location


def test_diagnostics_name_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.mlir"
    bad.write_text("func.func @f(%a: i64) -> i32 {\n  return %a : i64\n}\n")
    with pytest.raises(NeuroJITError) as info:
        compile_module(bad, frontend="native", engine=JITEngine(use_cache=False))
    assert str(info.value).startswith(f"{bad}:2:3: error: 'func.return' op ")
    with pytest.raises(
        NeuroJITError, match=r"^x\.mlir:2:3: error: unregistered operation 'foo\.bar'"
    ):
        compiler.compile_text('func.func @f() {\n  "foo.bar"() : () -> ()\n  return\n}', "x.mlir")


def test_native_verifier_catches_what_xdsl_misses() -> None:
    """An scf.if declared to yield i64 whose branches yield i32: upstream rejects it."""
    text = """func.func @f(%c: i1) -> i64 {
  %r = scf.if %c -> (i64) {
    %a = arith.constant 1 : i32
    scf.yield %a : i32
  } else {
    %b = arith.constant 2 : i32
    scf.yield %b : i32
  }
  return %r : i64
}"""
    with pytest.raises(NeuroJITError, match=r"^y\.mlir:\d+:\d+: error: "):
        compiler.compile_text(text, "y.mlir", frontend="native")


SUB_BYTE = """memref.global "private" constant @flags : memref<2x3xi1> =
    dense<[[true, false, true], [false, false, true]]>
func.func @count(%m: memref<?xi1>) -> i64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = memref.dim %m, %c0 : memref<?xi1>
  %z = arith.constant 0 : i64
  %s = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %z) -> (i64) {
    %b = memref.load %m[%i] : memref<?xi1>
    %e = arith.extui %b : i1 to i64
    %a = arith.addi %acc, %e : i64
    scf.yield %a : i64
  }
  return %s : i64
}
func.func @invert(%m: memref<?xi1>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = memref.dim %m, %c0 : memref<?xi1>
  %t = arith.constant true
  scf.for %i = %c0 to %n step %c1 {
    %b = memref.load %m[%i] : memref<?xi1>
    %x = arith.xori %b, %t : i1
    memref.store %x, %m[%i] : memref<?xi1>
  }
  return
}
func.func @flag(%i: index, %j: index) -> i1 {
  %g = memref.get_global @flags : memref<2x3xi1>
  %v = memref.load %g[%i, %j] : memref<2x3xi1>
  return %v : i1
}
func.func @nibble(%v: i4) -> i4 {
  %m = memref.alloca() : memref<2xi4>
  %c1 = arith.constant 1 : index
  memref.store %v, %m[%c1] : memref<2xi4>
  %r = memref.load %m[%c1] : memref<2xi4>
  return %r : i4
}
"""


@pytest.mark.parametrize("frontend", FRONTENDS)
def test_sub_byte_memrefs(frontend: str) -> None:
    """i1..i7 memrefs: the native front end widens them to i8 (this LLVM asserts on them);
    numpy bool arrays pass both ways; globals keep their values; i4 round-trips."""
    m = compile_module(SUB_BYTE, frontend=frontend, engine=JITEngine(use_cache=False))
    assert m.frontend == frontend and m.frontend_note is None
    flags = np.array([True, False, True, True, False])
    assert m.count(flags) == 3
    m.invert(flags)
    assert flags.tolist() == [False, True, False, False, True]
    assert [int(m.flag(i, j)) for i in range(2) for j in range(3)] == [1, 0, 1, 0, 0, 1]
    with pytest.raises(JITFault) as info:
        m.flag(2, 0)
    assert info.value.report.kind == "out-of-bounds"


def test_widening_refuses_what_it_does_not_rewrite() -> None:
    """An access it does not rewrite (affine.load) sends the module to xdsl, with a note."""
    from neurojit.compiler import native
    from neurojit.compiler.native_legalise import widen

    native.preload()
    text = """func.func @f(%m: memref<4xi1>) -> i1 {
  %v = affine.load %m[2] : memref<4xi1>
  return %v : i1
}"""
    with native._context():
        assert widen(native.parse(text, "w.mlir")) == "'affine.load' on a sub-byte integer memref"


def test_a_native_abort_is_an_error_not_a_dead_host() -> None:
    """Without the widening, the wheel's LLVM asserts on an i1 memref: the forked child dies."""
    from neurojit.compiler import native
    from neurojit.compiler.isolate import run_forked

    native.preload()
    text = """func.func @main(%m: memref<2xi1>) -> i1 {
  %c0 = arith.constant 0 : index
  %v = memref.load %m[%c0] : memref<2xi1>
  return %v : i1
}"""

    def unwidened(text: str) -> str:
        with native._context():
            return native.lower(native.parse(text, "i1.mlir"), "i1.mlir", False, False, text)

    with pytest.raises(NeuroJITError, match=r"crashed \(SIGABRT\).*assertion `.*MemRefToLLVM"):
        run_forked(unwidened, (text,), "i1.mlir")
    assert os.getpid() > 0  # still here


def test_a_hanging_compile_is_stopped() -> None:
    import time

    from neurojit.compiler.isolate import run_forked

    started = time.monotonic()
    with pytest.raises(NeuroJITError, match="did not finish within 0.3 s"):
        run_forked(time.sleep, (30,), "slow.mlir", timeout=0.3)
    assert time.monotonic() - started < 5


def test_front_end_choice() -> None:
    with pytest.raises(UsageError):
        compiler.set_default_frontend("llvm")
    compiler.set_default_frontend("xdsl")
    try:
        assert compiler.default_frontend() == "xdsl"
    finally:
        compiler.set_default_frontend(None)
    assert compiler.default_frontend() in FRONTENDS


def test_pipeline_defined_once() -> None:
    from neurojit.compiler import pipeline
    from neurojit.lowering import PIPELINE
    from neurojit.runtime.upstream import UPSTREAM_PIPELINE

    assert PIPELINE == pipeline.xdsl_pipeline()
    assert [p.removeprefix("--") for p in UPSTREAM_PIPELINE] == list(pipeline.LOWERING)
    native = pipeline.native_passes()
    # Upstream's conversions keep their relative order in the native pipeline.
    assert [p for p in native if p in pipeline.LOWERING] == list(pipeline.LOWERING)


def test_the_compile_worker_survives_a_crash_and_a_hang() -> None:
    """The shared worker dies with the input that killed it; the next compile gets a new one."""
    import time

    from neurojit.compiler.isolate import run_isolated

    ok = "func.func @main() -> i64 {\n  %c = arith.constant 5 : i64\n  return %c : i64\n}"
    assert compiler.compile_text(ok, "a.mlir", frontend="native").frontend == "native"
    with pytest.raises(NeuroJITError, match=r"crashed \(SIGABRT\)"):
        run_isolated(os.abort, (), "boom.mlir")
    assert "@main" in compiler.compile_text(ok, "b.mlir", frontend="native").llvm_ir
    started = time.monotonic()
    with pytest.raises(NeuroJITError, match="did not finish within 0.5 s"):
        run_isolated(time.sleep, (30,), "slow.mlir", timeout=0.5)
    assert time.monotonic() - started < 5
    assert "@main" in compiler.compile_text(ok, "c.mlir", frontend="native").llvm_ir


def test_a_forked_process_gets_its_own_compile_worker() -> None:
    """A fork of the worker's owner (multiprocessing, ...) must not share its pipes."""
    ok = "func.func @main() -> i64 {\n  %c = arith.constant 5 : i64\n  return %c : i64\n}"
    compiler.compile_text(ok, "a.mlir", frontend="native")
    pid = os.fork()
    if pid == 0:
        try:
            lowered = compiler.compile_text(ok, "child.mlir", frontend="native")
            os._exit(0 if "@main" in lowered.llvm_ir else 1)
        except BaseException:
            os._exit(2)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert "@main" in compiler.compile_text(ok, "b.mlir", frontend="native").llvm_ir


def test_widening_is_skipped_only_when_no_sub_byte_memref_can_be_there() -> None:
    from neurojit.compiler.native_legalise import may_need_widening

    for text in ("memref<6x9xi1>", "memref<i1>", "memref<?x*xi3>", "!t = memref<4 x i7>"):
        assert may_need_widening(text), text
    for text in ("memref<4xi16>", "memref<4xi8>", "vector<4xi1>", "memref<4xf32>"):
        assert not may_need_widening(text), text
    assert may_need_widening(SUB_BYTE)
