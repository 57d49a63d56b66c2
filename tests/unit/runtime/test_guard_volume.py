"""10,000 faults in a row leave no trace: no RSS growth beyond 1 MB, the guard still works."""

from __future__ import annotations

from pathlib import Path

from guard_ir_helpers import Slots, kernels

from neurojit.runtime.guard import Guard


def _rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096


def _fault_many(kernel: str, slots: Slots, kind: str, n: int) -> None:
    guard = Guard.get()
    address = kernels()[kernel]
    for _ in range(n):
        fault = guard.call(address, slots.address)
        assert fault is not None and fault.kind == kind


def test_ten_thousand_signal_faults_do_not_grow_rss() -> None:
    slots = Slots(1, 0)
    _fault_many("div", slots, "division-by-zero", 500)  # warm-up: caches, allocator arenas
    before = _rss_bytes()
    _fault_many("div", slots, "division-by-zero", 10_000)
    assert _rss_bytes() - before < 1 << 20
    ok = Slots(2, 2)
    assert Guard.get().call(kernels()["ok"], ok.address) is None and ok.r.value == 4


def test_ten_thousand_check_failures_do_not_grow_rss() -> None:
    slots = Slots(100, 0)
    _fault_many("checked", slots, "out-of-bounds", 500)
    before = _rss_bytes()
    _fault_many("checked", slots, "out-of-bounds", 10_000)
    assert _rss_bytes() - before < 1 << 20


def test_ten_thousand_jitfaults_from_a_compiled_module(tmp_path: Path) -> None:
    """The user-level path too: FaultReport, JITFault, traceback objects all go away."""
    from neurojit.fault_report import JITFault
    from neurojit.runtime.engine import JITEngine
    from neurojit.runtime.module import compile_module

    source = """
    func.func @div(%a: i64, %b: i64) -> i64 {
      %q = arith.divsi %a, %b : i64
      return %q : i64
    }
    """
    engine = JITEngine(cache_dir=tmp_path)
    for checks in (True, False):
        m = compile_module(source, name=f"volume_{checks}", checks=checks, engine=engine)

        def fault_many(n: int, m: object = m) -> None:
            for _ in range(n):
                try:
                    m.div(1, 0)  # type: ignore[attr-defined]
                except JITFault as err:
                    assert err.report.kind == "division-by-zero"

        fault_many(500)
        before = _rss_bytes()
        fault_many(10_000)
        assert _rss_bytes() - before < 1 << 20
        assert m.div(9, 3) == 3
