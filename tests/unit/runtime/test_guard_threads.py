"""Faults in 4 threads at once: each thread gets its own fault back, and correct results."""

from __future__ import annotations

import threading

from guard_ir_helpers import Slots, kernels

from neurojit.runtime.guard import Guard

INT64_MIN = -(1 << 63)
# (kernel, a, b, expected kind or None for a normal call)
PLAN = [
    ("div", 7, 0, "division-by-zero"),
    ("ok", 20, 22, None),
    ("div", INT64_MIN, -1, "signed-overflow"),
    ("load", 1 << 45, 0, "segfault"),
    ("trap", 0, 0, "trap"),
    ("checked", 9, 0, "out-of-bounds"),
    ("recurse", 0, 0, "stack-overflow"),
]


def _worker(tid: int, rounds: int, errors: list[str], barrier: threading.Barrier) -> None:
    guard = Guard.get()
    k = kernels()
    barrier.wait()
    try:
        for r in range(rounds):
            kernel, a, b, kind = PLAN[(tid + r) % len(PLAN)]
            s = Slots(a, b + tid)  # per-thread operands: a mixed-up result would show
            if kernel == "div" and kind == "division-by-zero":
                s.b.value = 0
            if kernel == "div" and kind == "signed-overflow":
                s.b.value = -1
            fault = guard.call(k[kernel], s.address)
            got = fault.kind if fault else None
            if got != kind:
                errors.append(f"thread {tid} round {r}: {kernel} gave {got}, expected {kind}")
            if kind is None and s.r.value != a + b + tid:
                errors.append(f"thread {tid}: wrong result {s.r.value}")
        s = Slots()
        fault = guard.call(k["spin"], s.address, timeout_s=0.2)
        if fault is None or fault.kind != "timeout":
            errors.append(f"thread {tid}: spin gave {fault}")
    except Exception as err:  # reported, not lost in the thread
        errors.append(f"thread {tid}: {err!r}")


def test_faults_in_four_threads_at_once() -> None:
    kernels()
    errors: list[str] = []
    barrier = threading.Barrier(4)
    threads = [threading.Thread(target=_worker, args=(t, 300, errors, barrier)) for t in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads)
    assert errors == []


def test_thread_exit_releases_guard_state() -> None:
    """Threads come and go (their key destructor frees state, altstack and timer)."""

    def run() -> None:
        s = Slots(1, 0)
        fault = Guard.get().call(kernels()["div"], s.address)
        assert fault is not None

    for _ in range(50):
        t = threading.Thread(target=run)
        t.start()
        t.join()
    s = Slots(1, 1)
    assert Guard.get().call(kernels()["ok"], s.address) is None and s.r.value == 2
