"""The crash guard's Python side: compile the guard IR once, install its handler, run calls.

Every Python → native call goes through `nj_guard_call(fn, slots)` (see guard_ir.py for the
native side and why it is LLVM IR). This module:
- compiles the guard in its own LLJIT, once per process, and keeps it loaded forever (a
  handler or a pending watchdog tick may run at any time);
- installs the handler for SIGFPE, SIGSEGV, SIGBUS, SIGILL and the watchdog signal, once,
  remembering the previous handlers so unguarded faults reach them (faulthandler);
- uninstalls by restoring the previous handlers, but only where ours is still the current
  one; re-installs when `faulthandler.enable()` ran after us (it is wrapped to tell us);
- turns the raw fault record of the thread into a `RawFault`, and that into a `FaultReport`.

For the engine: `Guard.get().symbols` are the addresses to import when linking JIT code
(`nj_fail` for checked code, `nj_guard_call` for native callers that want a guard).
"""

from __future__ import annotations

import ctypes
import math
import signal as _signal
import threading
from dataclasses import dataclass, field
from typing import Any

import llvmlite.binding as llvm

from neurojit.fault_report import FaultReport, signal_name
from neurojit.runtime import guard_ir as g
from neurojit.runtime import heap_ir
from neurojit.runtime.sites import Site

FAULT_SIGNALS: tuple[int, ...] = (
    int(_signal.SIGFPE),
    int(_signal.SIGSEGV),
    int(_signal.SIGBUS),
    int(_signal.SIGILL),
)
# SIGRTMIN+k for the watchdog: glibc keeps the first real-time signals for itself (its SIGRTMIN
# is already past them); nothing in CPython uses real-time signals.
WATCHDOG_SIGNAL_OFFSET = 5
DEFAULT_TIMEOUT_S = 10.0
_MAX_PERIOD_S = 0.05  # tick at least every 50 ms, so a short timeout is not overshot by much
_MIN_PERIOD_S = 0.001

# x86-64 si_code values (asm-generic/siginfo.h).
_FPE_INTDIV = 1
_FPE_INTOVF = 2
_STACK_WINDOW = 256 * 1024  # a SIGSEGV this close to the stack pointer is the stack running out


class _SigAction(ctypes.Structure):
    """glibc x86-64 `struct sigaction`: 152 bytes."""

    _fields_ = [
        ("handler", ctypes.c_void_p),
        ("mask", ctypes.c_ubyte * 128),
        ("flags", ctypes.c_int),
        ("_pad", ctypes.c_int),
        ("restorer", ctypes.c_void_p),
    ]


assert ctypes.sizeof(_SigAction) == g.SIGACTION_BYTES

_libc = ctypes.CDLL(None, use_errno=True)
_sigaction = _libc.sigaction
_sigaction.argtypes = [ctypes.c_int, ctypes.POINTER(_SigAction), ctypes.POINTER(_SigAction)]
_sigaction.restype = ctypes.c_int


def current_handler(signum: int) -> int:
    """The address of the handler installed for `signum` right now (0 = SIG_DFL, 1 = SIG_IGN)."""
    cur = _SigAction()
    if _sigaction(signum, None, ctypes.byref(cur)) != 0:
        raise OSError(ctypes.get_errno(), f"sigaction({signum})")
    return cur.handler or 0


@dataclass
class RawFault:
    """The raw record of one recovered fault, read from the faulting thread's guard state."""

    code: int  # what nj_guard_call returned: a signal number, or NJ_FAIL_CODE
    kind: str
    signal: int | None
    si_code: int = 0
    address: int | None = None
    pc: int = 0
    sp: int = 0
    site: Site | None = None
    operands: list[int | float] = field(default_factory=list)

    def message(self, timeout_s: float | None = None) -> str:
        if self.site is not None:
            return self.site.render(self.operands)
        sig = signal_name(self.signal)
        addr = f"0x{self.address:x}" if self.address is not None else "?"
        if self.kind == "timeout":
            limit = f" the {timeout_s:g} s" if timeout_s else " its"
            return f"the call ran past{limit} watchdog deadline"
        if self.kind == "stack-overflow":
            return f"stack overflow ({sig} at {addr})"
        if self.kind in ("segfault", "bus-error"):
            return f"invalid memory access at address {addr} ({sig})"
        if self.kind == "trap":
            return f"trap or illegal instruction at pc 0x{self.pc:x} ({sig})"
        if self.kind == "division-by-zero":
            return f"integer division by zero at pc 0x{self.pc:x} ({sig})"
        if self.kind == "signed-overflow":
            return f"signed division overflow (INT_MIN / -1) at pc 0x{self.pc:x} ({sig})"
        return f"{sig} at pc 0x{self.pc:x}"

    def report(
        self,
        function: str,
        inputs: list[Any] | None = None,
        timeout_s: float | None = None,
        functions: dict[str, int] | None = None,
    ) -> FaultReport:
        """The FaultReport of a call of `function` with `inputs`.

        The fault may sit in a callee of the called function: a check names its own function,
        and for a signal `functions` (name → current code address, e.g. read from the dispatch
        slots) lets the faulting pc name it.
        """
        location = self.site.location if self.site else None
        if self.site is not None and self.site.function:
            name = self.site.function
        else:
            name = function_at(self.pc, functions or {}) or function
        return FaultReport(
            function=name,
            kind=self.kind,
            signal=self.signal,
            address=self.address,
            location=location,
            message=self.message(timeout_s),
            operands=list(self.operands),
            inputs=list(inputs or []),
        )


_MAX_FUNCTION_BYTES = 1 << 20  # a pc this far past a function's start is not in it


def function_at(pc: int, functions: dict[str, int]) -> str | None:
    """The function whose code starts closest below `pc` (None if none is near).

    JITLink lays a module's functions out one after another, so the nearest start at or
    below the pc is the function containing it, provided every function of the module is in
    `functions`.
    """
    best_name, best_start = None, -1
    for name, start in functions.items():
        if best_start < start <= pc and pc - start < _MAX_FUNCTION_BYTES:
            best_name, best_start = name, start
    return best_name


# x86 register number (ModRM encoding) → index in glibc's gregs array.
_X86_TO_GREG = (13, 14, 12, 11, 15, 10, 9, 8, 0, 1, 2, 3, 4, 5, 6, 7)


def _idiv_divisor(pc: int, gregs: list[int]) -> int | None:
    """Decode `idiv reg` at pc and return the divisor register's value; None if not decodable.

    x86 raises the same #DE (si_code FPE_INTDIV) for a zero divisor and for INT_MIN / -1, so
    the kernel cannot tell them apart; the instruction's operand can.
    """
    try:
        code = ctypes.string_at(pc, 4)
    except (OSError, ValueError):
        return None
    i, rex = 0, 0
    if code[0] == 0x66:  # 16-bit operand size: not produced for i32/i64 division
        return None
    if 0x40 <= code[i] <= 0x4F:
        rex = code[i]
        i += 1
    if code[i] != 0xF7:
        return None
    modrm = code[i + 1]
    if modrm >> 6 != 3 or (modrm >> 3) & 7 not in (6, 7):
        return None  # a memory operand: not decoded
    reg = (modrm & 7) | ((rex & 1) << 3)
    value = gregs[_X86_TO_GREG[reg]]
    if not rex & 8:  # 32-bit operand
        value &= 0xFFFFFFFF
        return value - (1 << 32) if value >= 1 << 31 else value
    return value - (1 << 64) if value >= 1 << 63 else value


def classify(
    signum: int, si_code: int, address: int, pc: int, sp: int, gregs: list[int], timer_signal: int
) -> str:
    """The `#neurojit.fault` kind of a signal."""
    if signum == timer_signal:
        return "timeout"
    if signum == _signal.SIGFPE:
        if si_code == _FPE_INTOVF:
            return "signed-overflow"
        divisor = _idiv_divisor(pc, gregs)
        if divisor == -1:
            return "signed-overflow"
        if divisor is None and si_code == _FPE_INTDIV:
            rax = gregs[g.REG_RAX] & ((1 << 64) - 1)
            rdx = gregs[g.REG_RDX] & ((1 << 64) - 1)
            # The only quotient that overflows after cqo/cdq is INT_MIN / -1.
            if (rax, rdx) == (1 << 63, (1 << 64) - 1):
                return "signed-overflow"
        return "division-by-zero"
    if signum == _signal.SIGSEGV:
        if sp and abs(address - sp) < _STACK_WINDOW:
            return "stack-overflow"
        return "segfault"
    if signum == _signal.SIGBUS:
        return "bus-error"
    if signum == _signal.SIGILL:
        return "trap"
    return "segfault"


def _executable_file_mappings() -> list[tuple[int, int]]:
    """[lo, hi) of every executable mapping backed by a file (or the vdso): not JIT code."""
    ranges: list[tuple[int, int]] = []
    with open("/proc/self/maps") as maps:
        for line in maps:
            parts = line.split()
            if len(parts) < 6 or "x" not in parts[1]:
                continue
            path = parts[5]
            if not (path.startswith("/") or path in ("[vdso]", "[vsyscall]")):
                continue
            lo, hi = (int(x, 16) for x in parts[0].split("-"))
            ranges.append((lo, hi))
    # Merge touching mappings so the table stays small and the handler's scan short.
    merged: list[tuple[int, int]] = []
    for lo, hi in sorted(ranges):
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
        else:
            merged.append((lo, hi))
    return merged


# How the guard is code-generated; part of its object-cache key, so a change here recompiles.
_GUARD_MACHINE: dict[str, Any] = {"opt": 2, "reloc": "pic", "codemodel": "small"}


def _guard_object(machine: llvm.TargetMachine, heap: bool = False) -> bytes:
    """The guard's object code (or with `heap`, the checked heap's, heap_ir.py), from the
    engine's object cache when it is there.

    The guard: code generation only, no IR pass pipeline: the same as LLJIT's IR layer did
    for `add_ir`, so the setjmp/longjmp code is exactly what the guard tests exercise. The
    heap (no setjmp, on every allocation) is optimised at O2 first. The key covers the IR
    text and everything that changes the machine code.
    """
    import hashlib

    import llvmlite

    from neurojit.runtime.engine import ObjectCache, default_cache_dir

    ir = heap_ir.heap_ir(g.F_HEAP, g.F_SEQ) if heap else g.guard_ir()
    h = hashlib.sha256()
    for part in (
        "guard-object-1" if not heap else "heap-object-O2-1",
        repr(sorted(_GUARD_MACHINE.items())),
        llvmlite.__version__,
        str(llvm.llvm_version_info),
        machine.triple,
        str(machine.target_data),
        ir,
    ):
        h.update(part.encode())
        h.update(b"\0")
    key = h.hexdigest()
    cache = ObjectCache(default_cache_dir())
    obj = cache.get(key)
    if obj is None:
        module = llvm.parse_assembly(ir)
        module.triple = machine.triple
        module.data_layout = str(machine.target_data)
        module.verify()
        if heap:
            tuning = llvm.create_pipeline_tuning_options(speed_level=2)
            passes = llvm.create_pass_builder(machine, tuning)
            passes.getModulePassManager().run(module, passes)
        obj = machine.emit_object(module)
        cache.put(key, obj)
    return obj


class Guard:
    """The process-wide crash guard. `Guard.get()` compiles and installs it on first use."""

    _instance: Guard | None = None
    _lock = threading.Lock()

    @classmethod
    def get(cls) -> Guard:
        inst = cls._instance
        if inst is None:
            with cls._lock:
                if cls._instance is None:
                    cls._instance = Guard()
                inst = cls._instance
        if not inst._installed:
            inst.install()
        return inst

    def __init__(self) -> None:
        llvm.initialize_native_target()
        llvm.initialize_native_asmprinter()
        llvm.initialize_native_asmparser()
        target = llvm.Target.from_triple(llvm.get_process_triple())
        machine = target.create_target_machine(**_GUARD_MACHINE)
        # Its own LLJIT: the guard must outlive every module and never be unloaded.
        self._jit = llvm.create_lljit_compiler(machine, use_jit_link=True)
        exports = [
            "nj_guard_init",
            "nj_guard_call",
            "nj_guard_call_cell",
            "nj_guard_call_with",
            "nj_guard_state",
            "nj_guard_set_watchdog",
            "nj_fail",
            "nj_signal",
            "nj_prev_actions",
            "nj_ranges",
            "nj_nranges",
            "nj_timer_sig",
            *heap_ir.EXPORTS,
        ]
        # Through an object (cached on disk like the engine's): compiling the guard IR costs
        # 25-60 ms, paid by every process's first guarded call or checked module.
        builder = llvm.JITLibraryBuilder().add_object_img(_guard_object(machine))
        builder.add_object_img(_guard_object(machine, heap=True))
        builder.add_current_process()
        for name in exports:
            builder.export_symbol(name)
        self._tracker = builder.link(self._jit, "neurojit-guard")
        self.addresses: dict[str, int] = {name: self._tracker[name] for name in exports}
        self.symbols: dict[str, int] = {
            "nj_fail": self.addresses["nj_fail"],
            "nj_guard_call": self.addresses["nj_guard_call"],
            "nj_guard_call_with": self.addresses["nj_guard_call_with"],
            # The checked heap (heap_ir.py): checked code allocates and frees through these.
            **{name: self.addresses[name] for name in heap_ir.EXPORTS},
        }
        self.timer_signal = int(_signal.SIGRTMIN) + WATCHDOG_SIGNAL_OFFSET
        ctypes.c_int32.from_address(self.addresses["nj_timer_sig"]).value = self.timer_signal
        init = ctypes.CFUNCTYPE(ctypes.c_int32)(self.addresses["nj_guard_init"])
        if init() != 0:
            raise OSError("pthread_key_create failed for the crash guard")
        self.trampoline = ctypes.CFUNCTYPE(ctypes.c_int32, ctypes.c_void_p, ctypes.c_void_p)(
            self.addresses["nj_guard_call"]
        )
        # One pointer argument: what a generated caller should use (see make_cell).
        self.cell_trampoline = ctypes.CFUNCTYPE(ctypes.c_int32, ctypes.c_void_p)(
            self.addresses["nj_guard_call_cell"]
        )
        self._state = ctypes.CFUNCTYPE(ctypes.c_void_p)(self.addresses["nj_guard_state"])
        self._set_watchdog = ctypes.CFUNCTYPE(None, ctypes.c_int64, ctypes.c_int64)(
            self.addresses["nj_guard_set_watchdog"]
        )
        self._prev = (_SigAction * 65).from_address(self.addresses["nj_prev_actions"])
        self._handler = self.addresses["nj_signal"]
        self._tls = threading.local()
        self._install_lock = threading.Lock()
        self._installed = False
        _wrap_faulthandler()

    # ---- installation -------------------------------------------------------------------

    def _refresh_ranges(self) -> None:
        ranges = _executable_file_mappings()
        if len(ranges) > g.MAX_RANGES:
            # Never treat a library as JIT code: cover the overflow with one wide last range.
            ranges = ranges[: g.MAX_RANGES - 1] + [(ranges[g.MAX_RANGES - 1][0], ranges[-1][1])]
        table = (ctypes.c_uint64 * (2 * g.MAX_RANGES)).from_address(self.addresses["nj_ranges"])
        count = ctypes.c_uint64.from_address(self.addresses["nj_nranges"])
        # Shrink the count first so the handler never reads a half-written pair.
        count.value = 0
        for i, (lo, hi) in enumerate(ranges):
            table[2 * i] = lo
            table[2 * i + 1] = hi
        count.value = len(ranges)

    def _our_action(self, signum: int) -> _SigAction:
        act = _SigAction()
        act.handler = self._handler
        flags = g.SA_SIGINFO | g.SA_ONSTACK | g.SA_NODEFER
        if signum == self.timer_signal:
            # A tick may land while Python sits in a syscall: restart it rather than EINTR.
            flags |= g.SA_RESTART
        act.flags = flags
        return act

    def _install_one(self, signum: int) -> None:
        old = _SigAction()
        if _sigaction(signum, None, ctypes.byref(old)) != 0:
            raise OSError(ctypes.get_errno(), f"sigaction({signum})")
        if (old.handler or 0) == self._handler:
            return  # already ours: keep the remembered previous handler
        ctypes.memmove(ctypes.byref(self._prev[signum]), ctypes.byref(old), g.SIGACTION_BYTES)
        act = self._our_action(signum)
        if _sigaction(signum, ctypes.byref(act), None) != 0:
            raise OSError(ctypes.get_errno(), f"sigaction({signum})")

    def install(self) -> None:
        """Install the handler for the fault signals and the watchdog signal. Idempotent."""
        with self._install_lock:
            self._refresh_ranges()
            for signum in (*FAULT_SIGNALS, self.timer_signal):
                self._install_one(signum)
            self._installed = True

    def uninstall(self) -> None:
        """Give the fault signals back to the previous handlers, where ours is still current.

        The watchdog signal keeps our handler: a thread's timer may still tick once or twice,
        and its default action would kill the process.
        """
        with self._install_lock:
            for signum in FAULT_SIGNALS:
                if current_handler(signum) == self._handler:
                    prev = _SigAction()
                    ctypes.memmove(
                        ctypes.byref(prev), ctypes.byref(self._prev[signum]), g.SIGACTION_BYTES
                    )
                    _sigaction(signum, ctypes.byref(prev), None)
            self._installed = False

    def is_installed(self) -> bool:
        """True when our handler is the current one for every fault signal."""
        return all(current_handler(s) == self._handler for s in FAULT_SIGNALS)

    def ensure_installed(self) -> None:
        """Re-install if someone (faulthandler.enable(), a test) took a signal from us."""
        if not self._installed or not self.is_installed():
            self.install()

    # ---- calls --------------------------------------------------------------------------

    def set_timeout(self, timeout_s: float | None) -> None:
        """Watchdog deadline for guarded calls made by this thread (None or <= 0: none)."""
        if getattr(self._tls, "timeout", -1.0) == timeout_s:
            return
        ticks, period = self.watchdog_settings(timeout_s)
        self._set_watchdog(ticks, period)
        self._tls.timeout = timeout_s

    @staticmethod
    def watchdog_settings(timeout_s: float | None) -> tuple[int, int]:
        """(ticks, period_ns) of the watchdog for a deadline (None or <= 0: no watchdog).

        "No watchdog" is (0, 1), not (0, 0): a zero period marks a thread that never chose a
        setting (nj_guard_call_with lets such a thread adopt the call's setting).
        """
        if not timeout_s or timeout_s <= 0:
            return 0, 1
        period_s = min(max(timeout_s / 4, _MIN_PERIOD_S), _MAX_PERIOD_S)
        return max(1, math.ceil(timeout_s / period_s)), int(period_s * 1e9)

    def make_cell(self, fn_addr: int, slots: int, timeout_s: float | None) -> ctypes.Array:
        """A call cell for `cell_trampoline(addressof(cell))`: fn, slots, watchdog settings.

        The fast path for generated callers: one pointer crosses ctypes instead of two and no
        per-call timeout bookkeeping happens in Python. Keep the cell alive while in use; its
        fields may be rewritten between calls (`cell[0]` = fn, `cell[1]` = slots).
        """
        ticks, period = self.watchdog_settings(timeout_s)
        return (ctypes.c_uint64 * 4)(fn_addr, slots, ticks, period)

    def call(
        self, fn_addr: int, slots: int, timeout_s: float | None = DEFAULT_TIMEOUT_S
    ) -> RawFault | None:
        """Run `fn(slots)` under the guard; None if it returned, else what went wrong."""
        self.set_timeout(timeout_s)
        code = self.trampoline(fn_addr, slots)
        if code == 0:
            return None
        return self.last_fault(code)

    def last_fault(self, code: int) -> RawFault:
        """The fault this thread's last guarded call ended with (`code` as returned)."""
        state = (ctypes.c_int64 * (g.STATE_BYTES // 8)).from_address(self._state())
        if code == g.NJ_FAIL_CODE:
            site = Site.at(state[g.F_SITE])
            operands = site.operand_values((state[g.F_A], state[g.F_B]))
            return RawFault(code, site.kind, None, site=site, operands=operands)
        gregs = [state[g.F_GREGS + i] for i in range(g.N_GREGS)]
        u64 = (1 << 64) - 1
        pc, sp = gregs[g.REG_RIP] & u64, gregs[g.REG_RSP] & u64
        address = state[g.F_ADDR] & u64
        si_code = state[g.F_CODE]
        kind = classify(code, si_code, address, pc, sp, gregs, self.timer_signal)
        return RawFault(
            code,
            kind,
            code,
            si_code=si_code,
            address=None if kind == "timeout" else address,
            pc=pc,
            sp=sp,
        )

    def thread_counters(self) -> dict[str, int]:
        """This thread's guard counters (tests and benchmarks)."""
        state = (ctypes.c_int64 * (g.STATE_BYTES // 8)).from_address(self._state())
        return {
            "faults": state[g.F_FAULTS],
            "deferred_ticks": state[g.F_DEFERRED],
            "timer_state": state[g.F_TIMER_STATE],
            "depth": state[g.F_DEPTH],
            "ticks": state[g.F_TICKS],
            "period_ns": state[g.F_PERIOD],
        }


_faulthandler_wrapped = False


def _wrap_faulthandler() -> None:
    """Make `faulthandler.enable()` and `.disable()` re-install the guard afterwards.

    enable() installs faulthandler's handler on top of ours (a fault in a guarded call would
    dump a "Fatal Python error" before reaching us); disable() puts back what faulthandler saw
    when it was enabled, which may be the default action. Wrapping the two functions is the
    one way to notice without a syscall on every call.
    """
    global _faulthandler_wrapped
    if _faulthandler_wrapped:
        return
    import faulthandler

    def reinstalling(original: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            result = original(*args, **kwargs)
            inst = Guard._instance
            if inst is not None and inst._installed:
                inst.install()
            return result

        wrapper.__doc__ = original.__doc__
        wrapper.__name__ = original.__name__
        wrapper.__wrapped__ = original  # type: ignore[attr-defined]
        return wrapper

    faulthandler.enable = reinstalling(faulthandler.enable)  # type: ignore[assignment]
    faulthandler.disable = reinstalling(faulthandler.disable)  # type: ignore[assignment]
    _faulthandler_wrapped = True
