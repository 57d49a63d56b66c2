"""The crash guard as LLVM IR text: trampoline, signal handler, watchdog, `nj_fail`.

Why LLVM IR and not Python: a Python/ctypes signal handler that longjmps corrupts the
interpreter, and so does a longjmp across Python frames. Here the handler, the `__sigsetjmp`
and the `siglongjmp` all live in JIT-compiled native code, and the jump only ever crosses
JIT frames (the trampoline's callee and what it called), never a Python frame.

Per-thread state is a heap block behind a pthread key (MCJIT aborts on `thread_local` and
emutls allocates). It is an array of i64 fields; the indices below are the layout that
`guard.py` reads back through ctypes. Fields the handler and the trampoline share are
accessed with `volatile` so the compiler neither caches nor reorders them: the handler runs
on the same thread, between any two instructions.

The watchdog (why not arm/disarm per call): two `timer_settime` syscalls per call would cost
more than the whole Python→native call. Instead each thread has one periodic CLOCK_MONOTONIC
timer (SIGEV_THREAD_ID, so the tick lands on that thread). The trampoline only bumps a call
sequence number; each tick compares it with what the previous tick saw. The same call seen
for more than `ticks` ticks is a timeout. The timer is started by the first call after an idle
period (one syscall) and stops itself after two ticks with no call in progress.

A timeout is asynchronous: the tick can land inside libc (malloc holding its lock), where a
longjmp would leave libc broken. The handler therefore longjmps only when the interrupted PC
is outside every file-backed executable mapping (`nj_ranges`, filled by guard.py from
/proc/self/maps), i.e. in JIT code. Otherwise it returns and the next tick (the timer is
periodic) tries again; a loop that keeps calling libc still spends its time in JIT code
between calls. No back-edge polling is compiled into user code.
"""

from __future__ import annotations

import importlib.resources
import platform
from functools import cache
from string import Template

from neurojit.errors import NeuroJITError


def _check_platform() -> None:
    """Every layout below (jmp_buf, ucontext gregs, sigaction, sigevent) is x86-64 glibc's;
    on anything else the guard would corrupt memory instead of failing, so refuse up front."""
    machine, system = platform.machine(), platform.system()
    libc, _ = platform.libc_ver()
    if (machine, system, libc) != ("x86_64", "Linux", "glibc"):
        raise NeuroJITError(
            "the crash guard supports x86-64 Linux with glibc only; this is "
            f"{machine or '?'} {system or '?'} with {libc or 'an unknown libc'}"
        )


_check_platform()

# Per-thread state: field indices (each an i64 slot).
F_JMP = 0  # ptr: innermost active jmp_buf, null outside guarded calls
F_DEPTH = 1  # nesting depth of guarded calls on this thread
F_SEQ = 2  # count of outermost guarded calls started (watchdog identity of "this call")
F_TIMER = 3  # timer_t
F_TIMER_STATE = 4  # 0 no timer, 1 created and stopped, 2 running
F_TICKS = 5  # ticks a call may run before it times out; 0 = no watchdog
F_PERIOD = 6  # tick period, ns
F_WATCH_SEQ = 7  # the call the last tick saw
F_WATCH_TICKS = 8  # how many ticks have seen it
F_IDLE_TICKS = 9  # ticks in a row with no call in progress
F_SIG = 10  # fault: signal number (0 for nj_fail)
F_CODE = 11  # fault: si_code
F_ADDR = 12  # fault: si_addr
F_SITE = 13  # nj_fail: site descriptor address
F_A = 14  # nj_fail: first operand value
F_B = 15  # nj_fail: second operand value
F_ALTSTACK = 16  # this thread's sigaltstack memory
F_FAULTS = 17  # faults recovered on this thread
F_DEFERRED = 18  # timeout ticks that landed in libc and were deferred
F_HEAP = 19  # ptr: this thread's checked-heap table (heap_ir.py), null until first used
F_GREGS = 24  # 23 general registers copied from the ucontext (x86-64 glibc order)
N_GREGS = 23
STATE_BYTES = 512

# x86-64 glibc gregs indices (sys/ucontext.h).
REG_RDX = 12
REG_RAX = 13
REG_RSP = 15
REG_RIP = 16

ALTSTACK_BYTES = 256 * 1024  # the handler plus a chained faulthandler dump must fit
JMPBUF_BYTES = 256  # struct __jmp_buf_tag is 200 bytes on x86-64 glibc
MAX_RANGES = 512  # file-backed executable mappings (lo, hi pairs)
NJ_FAIL_CODE = 256  # trampoline result for an nj_fail longjmp (signals are < 65)

# glibc x86-64 constants.
SA_SIGINFO = 4
SA_ONSTACK = 0x08000000
SA_RESTART = 0x10000000
SA_NODEFER = 0x40000000
CLOCK_MONOTONIC = 1
SIGEV_THREAD_ID = 4
SIGACTION_BYTES = 152
SS_DISABLE = 2


@cache
def _template() -> Template:
    # Package data, so an installed wheel has it as well as a checkout.
    return Template((importlib.resources.files("neurojit.runtime") / "guard.ll").read_text())


def guard_ir() -> str:
    """The guard module. Exported: nj_guard_init, nj_guard_call, nj_guard_call_cell,
    nj_guard_call_with, nj_guard_state,
    nj_guard_set_watchdog, nj_fail, nj_signal, nj_prev_actions, nj_ranges, nj_nranges,
    nj_timer_sig. (The checked heap, heap_ir.py, is a module of its own linked next to it.)"""
    return _template().substitute(
        F_JMP=F_JMP,
        F_DEPTH=F_DEPTH,
        F_SEQ=F_SEQ,
        F_TIMER=F_TIMER,
        F_TIMER_STATE=F_TIMER_STATE,
        F_TICKS=F_TICKS,
        F_PERIOD=F_PERIOD,
        F_WATCH_SEQ=F_WATCH_SEQ,
        F_WATCH_TICKS=F_WATCH_TICKS,
        F_IDLE_TICKS=F_IDLE_TICKS,
        F_SIG=F_SIG,
        F_CODE=F_CODE,
        F_ADDR=F_ADDR,
        F_SITE=F_SITE,
        F_A=F_A,
        F_B=F_B,
        F_ALTSTACK=F_ALTSTACK,
        F_FAULTS=F_FAULTS,
        F_DEFERRED=F_DEFERRED,
        F_HEAP=F_HEAP,
        F_GREGS=F_GREGS,
        GREGS_BYTES=N_GREGS * 8,
        RIP_OFFSET=40 + REG_RIP * 8,
        STATE_BYTES=STATE_BYTES,
        ALTSTACK_BYTES=ALTSTACK_BYTES,
        JMPBUF_BYTES=JMPBUF_BYTES,
        MAX_RANGES=MAX_RANGES,
        NJ_FAIL_CODE=NJ_FAIL_CODE,
        SIGACTION_BYTES=SIGACTION_BYTES,
        SA_SIGINFO=SA_SIGINFO,
        CLOCK_MONOTONIC=CLOCK_MONOTONIC,
        SIGEV_THREAD_ID=SIGEV_THREAD_ID,
        SS_DISABLE=SS_DISABLE,
        MSG=_UNGUARDED_MSG.replace("\n", "\\0A"),
        MSG_LEN=len(_UNGUARDED_MSG),
    )


_UNGUARDED_MSG = "neurojit: a checked operation failed outside a guarded call; aborting\n"
