"""Coexisting with faulthandler (pytest enables it): chain, restore, re-install."""

from __future__ import annotations

import ctypes
import faulthandler
import subprocess
import sys
import textwrap
from pathlib import Path

from guard_ir_helpers import Slots, kernels

from neurojit.runtime.guard import FAULT_SIGNALS, Guard, current_handler

HELPERS = str(Path(__file__).parent)


def _handlers() -> dict[int, int]:
    return {s: current_handler(s) for s in FAULT_SIGNALS}


def test_uninstall_gives_faulthandler_its_handlers_back() -> None:
    guard = Guard.get()
    try:
        guard.uninstall()
        faulthandler.enable(file=sys.__stderr__)  # pytest's own state, re-asserted
        before = _handlers()
        assert all(h not in (0, guard.addresses["nj_signal"]) for h in before.values())
        guard.install()
        assert guard.is_installed()
        guard.uninstall()
        assert _handlers() == before
    finally:
        guard.install()  # later tests fault on purpose


def test_faulthandler_enable_after_us_reinstalls_the_guard() -> None:
    guard = Guard.get()
    faulthandler.enable(file=sys.__stderr__)
    assert guard.is_installed()
    # ... and faulthandler is what unguarded faults are chained to.
    s = Slots(1, 0)
    fault = guard.call(kernels()["div"], s.address)
    assert fault is not None and fault.kind == "division-by-zero"


def test_uninstall_leaves_a_later_handler_alone() -> None:
    from neurojit.runtime.guard import _SigAction, _sigaction

    guard = Guard.get()
    guard.install()
    sigbus = 7
    ignore, saved = _SigAction(), _SigAction()
    ignore.handler = 1  # SIG_IGN, installed on top of ours
    assert _sigaction(sigbus, ctypes.byref(ignore), ctypes.byref(saved)) == 0
    try:
        guard.uninstall()
        assert current_handler(sigbus) == 1
    finally:
        _sigaction(sigbus, ctypes.byref(saved), None)
        guard.install()


def _run(code: str) -> subprocess.CompletedProcess[str]:
    prog = f"import sys; sys.path.insert(0, {HELPERS!r})\n" + textwrap.dedent(code)
    return subprocess.run([sys.executable, "-c", prog], capture_output=True, text=True, timeout=60)


def test_an_unguarded_fault_reaches_faulthandler() -> None:
    proc = _run(
        """
        import ctypes, faulthandler
        faulthandler.enable()
        from guard_ir_helpers import Slots, kernels
        from neurojit.runtime.guard import Guard
        g = Guard.get()
        s = Slots(1, 0)
        assert g.call(kernels()["div"], s.address).kind == "division-by-zero"
        print("recovered", flush=True)
        ctypes.string_at(1)  # a segfault outside any guarded call
        """
    )
    assert "recovered" in proc.stdout
    assert "Fatal Python error: Segmentation fault" in proc.stderr
    assert proc.returncode == -11


def test_an_unguarded_fault_without_faulthandler_dies_by_the_signal() -> None:
    proc = _run(
        """
        import ctypes
        from neurojit.runtime.guard import Guard
        Guard.get()
        ctypes.string_at(1)
        """
    )
    assert proc.returncode == -11


def test_a_check_failing_outside_a_guard_aborts_with_a_message() -> None:
    proc = _run(
        """
        import ctypes
        from guard_ir_helpers import Slots, kernels
        s = Slots(100)
        ctypes.CFUNCTYPE(None, ctypes.c_void_p)(kernels()["checked"])(s.address)
        """
    )
    assert "outside a guarded call" in proc.stderr
    assert proc.returncode == -6


def test_faulthandler_disable_keeps_the_guard() -> None:
    guard = Guard.get()
    was_enabled = faulthandler.is_enabled()
    faulthandler.disable()
    try:
        assert guard.is_installed()
        s = Slots(1, 0)
        fault = guard.call(kernels()["div"], s.address)
        assert fault is not None and fault.kind == "division-by-zero"
    finally:
        if was_enabled:
            faulthandler.enable(file=sys.__stderr__)
    assert guard.is_installed()
