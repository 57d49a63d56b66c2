"""The crash guard on hand-written LLVM IR: each fault class comes back as the right kind.

No MLIR lowering is involved (guard_ir_helpers compiles LLVM IR directly), so these tests
pin the guard itself: trampoline, signal handler, watchdog, nj_fail, nesting.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from guard_ir_helpers import Slots, kernels

from neurojit.runtime.guard import Guard

INT64_MIN = -(1 << 63)


@pytest.fixture(scope="module")
def guard() -> Guard:
    return Guard.get()


def test_a_normal_call_returns_its_result(guard: Guard) -> None:
    s = Slots(40, 2)
    assert guard.call(kernels()["ok"], s.address) is None
    assert s.r.value == 42


@pytest.mark.parametrize(
    ("kernel", "a", "b", "kind", "signal"),
    [
        ("div", 7, 0, "division-by-zero", 8),
        ("div", INT64_MIN, -1, "signed-overflow", 8),
        ("load", 1 << 45, 0, "segfault", 11),  # far outside anything mapped
        ("load", 8, 0, "segfault", 11),  # near null
        ("trap", 0, 0, "trap", 4),
        ("recurse", 0, 0, "stack-overflow", 11),
    ],
)
def test_signal_faults_are_recovered_with_their_kind(
    guard: Guard, kernel: str, a: int, b: int, kind: str, signal: int
) -> None:
    s = Slots(a, b)
    fault = guard.call(kernels()[kernel], s.address)
    assert fault is not None
    assert (fault.kind, fault.signal) == (kind, signal)
    # The thread and the guard are fine afterwards.
    ok = Slots(1, 2)
    assert guard.call(kernels()["ok"], ok.address) is None and ok.r.value == 3


def test_segfault_reports_the_faulting_address(guard: Guard) -> None:
    s = Slots(1 << 45)  # held: the slots must outlive the call
    fault = guard.call(kernels()["load"], s.address)
    assert fault is not None and fault.address == 1 << 45


def test_nj_fail_reports_site_values_and_location(guard: Guard) -> None:
    s = Slots(100_000_000_000)
    fault = guard.call(kernels()["checked"], s.address)
    assert fault is not None and fault.signal is None
    report = fault.report("entry", inputs=[100_000_000_000])
    assert report.diagnosis() == (
        "out-of-bounds: index 100000000000 not in [0, 4) at oob.mlir:6:8 in @lookup"
    )
    assert report.operands == [100_000_000_000, 4]
    assert report.to_json()["signal"] is None
    s = Slots(3)
    assert guard.call(kernels()["checked"], s.address) is None and s.r.value == 3


def test_an_infinite_loop_times_out_near_the_deadline(guard: Guard) -> None:
    s = Slots()
    start = time.monotonic()
    fault = guard.call(kernels()["spin"], s.address, timeout_s=0.2)
    elapsed = time.monotonic() - start
    assert fault is not None and fault.kind == "timeout"
    assert 0.2 <= elapsed < 1.0
    assert "deadline" in fault.report("spin", timeout_s=0.2).message


def test_a_loop_living_in_malloc_still_times_out(guard: Guard) -> None:
    """Ticks landing in libc are deferred, never longjmp'd out of; a retry catches JIT code."""
    s = Slots()
    start = time.monotonic()
    fault = guard.call(kernels()["spin_malloc"], s.address, timeout_s=0.2)
    assert fault is not None and fault.kind == "timeout"
    assert time.monotonic() - start < 2.0
    # malloc still works (its lock was not left held).
    s = Slots(5, 6)
    assert guard.call(kernels()["ok"], s.address) is None and s.r.value == 11


def test_watchdog_stops_ticking_when_idle(guard: Guard) -> None:
    s = Slots()
    guard.call(kernels()["ok"], s.address, timeout_s=0.2)
    time.sleep(0.3)  # > 3 tick periods (50 ms)
    assert guard.thread_counters()["timer_state"] == 1  # created, stopped


def test_nested_guard_catches_the_inner_fault(guard: Guard) -> None:
    s = Slots(5, 0, fn=kernels()["div"])
    assert guard.call(kernels()["nested"], s.address) is None  # the outer call completes
    assert s.r.value == 8  # what the inner nj_guard_call returned: SIGFPE
    assert guard.thread_counters()["depth"] == 0


def test_no_timeout_means_no_watchdog(guard: Guard) -> None:
    s = Slots(2, 3)
    assert guard.call(kernels()["ok"], s.address, timeout_s=None) is None and s.r.value == 5


def test_cell_trampoline_runs_under_the_cells_deadline_and_restores_the_threads(
    guard: Guard,
) -> None:
    import ctypes

    guard.set_timeout(5.0)
    before = guard.thread_counters()
    s = Slots(20, 22)
    cell = guard.make_cell(kernels()["ok"], s.address, 0.2)
    assert guard.cell_trampoline(ctypes.addressof(cell)) == 0 and s.r.value == 42
    spin = Slots()
    cell[0], cell[1] = kernels()["spin"], spin.address
    start = time.monotonic()
    code = guard.cell_trampoline(ctypes.addressof(cell))
    assert code != 0 and guard.last_fault(code).kind == "timeout"
    assert time.monotonic() - start < 1.0  # the cell's 0.2 s, not the thread's 5 s
    after = guard.thread_counters()
    assert (after["ticks"], after["period_ns"]) == (before["ticks"], before["period_ns"])
    # A cell with another tick period takes the slow path (re-arms) and restores too.
    cell2 = guard.make_cell(kernels()["ok"], s.address, 0.02)
    assert guard.cell_trampoline(ctypes.addressof(cell2)) == 0
    after = guard.thread_counters()
    assert (after["ticks"], after["period_ns"]) == (before["ticks"], before["period_ns"])


def test_watchdog_works_in_a_forked_child(guard: Guard) -> None:
    import os

    s = Slots()
    guard.call(kernels()["ok"], s.address, timeout_s=0.2)  # this thread has a timer now
    pid = os.fork()
    if pid == 0:  # the child: its timer must be a new one, or the spin would never end
        try:
            fault = guard.call(kernels()["spin"], s.address, timeout_s=0.2)
            os._exit(0 if fault is not None and fault.kind == "timeout" else 1)
        finally:
            os._exit(2)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            assert os.waitstatus_to_exitcode(status) == 0
            return
        time.sleep(0.05)
    os.kill(pid, 9)
    os.waitpid(pid, 0)
    pytest.fail("the forked child's watchdog never fired")


def test_a_signal_names_the_function_containing_the_faulting_pc(guard: Guard) -> None:
    k = kernels()
    s = Slots(1, 0)
    fault = guard.call(k["div"], s.address)
    assert fault is not None
    every = dict(k.addresses)
    assert fault.report("entry", functions=every).function == "div"
    assert fault.report("entry").function == "entry"  # without addresses: the called one
    # A pc before every known function start names none of them.
    assert fault.report("entry", functions={"later": fault.pc + 1}).function == "entry"


def test_a_thread_without_a_setting_adopts_the_cells() -> None:
    import ctypes
    import threading

    guard = Guard.get()
    seen: list[dict[str, int]] = []

    def run() -> None:
        s = Slots(1, 2)
        cell = guard.make_cell(kernels()["ok"], s.address, 0.4)
        assert guard.cell_trampoline(ctypes.addressof(cell)) == 0
        seen.append(guard.thread_counters())

    t = threading.Thread(target=run)
    t.start()
    t.join()
    assert (seen[0]["ticks"], seen[0]["period_ns"]) == Guard.watchdog_settings(0.4)


def test_sigbus_is_a_bus_error(guard: Guard, tmp_path: Path) -> None:
    import ctypes
    import mmap
    import os

    path = tmp_path / "page"
    path.write_bytes(b"\1" * mmap.PAGESIZE)
    with open(path, "r+b") as f:
        mapping = mmap.mmap(f.fileno(), mmap.PAGESIZE)
        buf = ctypes.c_char.from_buffer(mapping)
        address = ctypes.addressof(buf)
        os.ftruncate(f.fileno(), 0)  # the page now lies past the end of the file
        s = Slots(address)
        fault = guard.call(kernels()["load"], s.address)
        del buf
        mapping.close()
    assert fault is not None and (fault.kind, fault.signal) == ("bus-error", 7)
    assert fault.address == address
