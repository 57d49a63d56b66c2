"""The checked heap as LLVM IR text, linked into the crash guard: `nj_malloc`,
`nj_aligned_alloc` and `nj_dealloc`.

Why: a program that frees a buffer twice, or frees memory it never allocated (an argument, a
`memref.global`, an `alloca`), makes glibc abort the process inside `free` (`free(): double
free detected`, SIGABRT with the heap lock held); the guard cannot recover from that safely.
So with checks on, both front ends lower `memref.alloc` to `nj_malloc`/`nj_aligned_alloc`
and `memref.dealloc` to `nj_dealloc(ptr, site_foreign, site_double)`, which calls libc `free`
only for a pointer the running call allocated and has not freed yet; anything else fails
like a `neurojit.check` (`nj_fail`, kind `invalid-free`, the dealloc's location), before
libc sees the pointer.

The record of what is live is a per-thread hash set of allocated pointers, the `F_HEAP`
field of the guard's per-thread state:

- Per thread, so no lock: a pointer the JIT code can still free never crosses threads (a
  memref cannot be stored in memory; a result crosses into Python, see below).
- Scoped to one outermost guarded call: the set is emptied lazily, by the first heap
  operation of a call whose sequence number (`F_SEQ`) differs from the set's. So a buffer
  returned to Python (owned by numpy from then on, freed by libc there) can never be freed
  again by a later call: it is "memory this call did not allocate". Allocations a call
  leaked are forgotten with it; the set does not grow across calls.
- Open addressing, linear probing, capacity a power of two (at least 64), at most 3/4 full.
  Slot values: 0 empty, a pointer (16-byte aligned, so even) live, `pointer | 1` the
  tombstone of a pointer freed in this call (so a second free is reported as a double free).
  A full table is rebuilt (twice the size if more than half of it is live).

A watchdog timeout can longjmp out of this code (it is JIT code, not libc), at any
instruction. Every update is therefore ordered so that an interrupted one leaves the set
consistent or merely leaks memory: a rebuilt table is filled before it is published and the
old one freed after; a slot is written before its counts; a pointer leaves the set before
it is passed to `free`. The set's counts only size the table, and every probe loop is
bounded by the capacity.

Not covered: unguarded calls (`compile_module(guard=False)`) never start a new scope, so
a buffer such a call returned to Python stays "live" for later unguarded calls on that
thread (unguarded code is not contained anyway: a fault there kills the process); a pointer
the program passes to `free` through raw `llvm.call` ops of its own
(llvm-dialect code is native code: nothing contains it), and a buffer freed and then
allocated again at the same address within one call, freed through a stale memref (any
allocator would take that for the new buffer).
"""

from __future__ import annotations

import importlib.resources
from functools import cache
from string import Template

MIN_CAPACITY = 64  # slots of a new table
SHRINK_ABOVE = 4096  # a table larger than this is dropped (not wiped) when a call starts
HEADER_WORDS = 4  # capacity, used slots (live + tombstones), live slots, call sequence

NJ_DEALLOC = "nj_dealloc"
NJ_MALLOC = "nj_malloc"
NJ_ALIGNED_ALLOC = "nj_aligned_alloc"
# libc allocation function → the checked one (same signature).
ALLOCATORS = {"malloc": NJ_MALLOC, "aligned_alloc": NJ_ALIGNED_ALLOC}
EXPORTS = (NJ_MALLOC, NJ_ALIGNED_ALLOC, NJ_DEALLOC)

# The two ways a dealloc can be wrong; each dealloc op gets one site of each.
FOREIGN_MESSAGE = (
    "memref.dealloc of memory this call did not allocate "
    "(an argument, a global, a stack buffer or a buffer from an earlier call)"
)
DOUBLE_MESSAGE = "memref.dealloc of a buffer this call already freed (double free)"
KIND = "invalid-free"


@cache
def _template() -> Template:
    # Package data, so an installed wheel has it as well as a checkout.
    return Template((importlib.resources.files("neurojit.runtime") / "heap.ll").read_text())


def heap_ir(f_heap: int, f_seq: int) -> str:
    """A module of its own, linked next to the guard's (nj_guard_state and nj_fail come from
    there); `f_heap`/`f_seq` are the guard state's field indices. Unlike the guard it is
    optimised (O2) before code generation: it runs on every allocation and free."""
    return _template().substitute(
        F_HEAP=f_heap,
        F_SEQ=f_seq,
        MIN=MIN_CAPACITY,
        MIN_WORDS=MIN_CAPACITY + HEADER_WORDS,
        SHRINK=SHRINK_ABOVE,
        H=HEADER_WORDS,
    )
