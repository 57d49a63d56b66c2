"""Fault → back in Python: the signal path against the `nj_fail` path.

    .venv/bin/python tools/bench/guard_fault.py [--markdown]

Same function, `div(a, b)`, compiled without checks (the fault is SIGFPE: kernel → handler →
siglongjmp) and with checks (a compare, then nj_fail → siglongjmp, no signal). Measured at two
levels: the raw guard (`Guard.call` → RawFault) and the user-level call that raises JITFault
with a full FaultReport. Mean of n faults in a row, best of 5 rounds.
"""

from __future__ import annotations

import argparse
import ctypes
import time

import llvmlite.binding as llvm

from neurojit.fault_report import JITFault
from neurojit.runtime.guard import Guard
from neurojit.runtime.module import compile_module

DIV = """
func.func @div(%a: i64, %b: i64) -> i64 {
  %q = arith.divsi %a, %b : i64
  return %q : i64
}
"""


NATIVE = r"""
declare i32 @nj_guard_call(ptr, ptr)
declare void @nj_fail(i64, i64, i64)
define void @by_signal(ptr %cell) noinline {
  %b = load volatile i64, ptr %cell
  %q = sdiv i64 7, %b
  store volatile i64 %q, ptr %cell
  ret void
}
define void @by_check(ptr %cell) noinline {
  %b = load volatile i64, ptr %cell
  %ok = icmp ne i64 %b, 0
  br i1 %ok, label %div, label %fail
div:
  %q = sdiv i64 7, %b
  store volatile i64 %q, ptr %cell
  ret void
fail:
  call void @nj_fail(i64 0, i64 7, i64 %b)
  unreachable
}
define i64 @loop(i64 %n, ptr %fn, ptr %cell) {
entry:
  br label %l
l:
  %i = phi i64 [ 0, %entry ], [ %j, %l ]
  %r = call i32 @nj_guard_call(ptr %fn, ptr %cell)
  %j = add i64 %i, 1
  %c = icmp ult i64 %j, %n
  br i1 %c, label %l, label %done
done:
  ret i64 %j
}
"""


def native(n: int) -> tuple[float, float]:
    """Per-fault cost with no Python in the loop: fault and recovery only."""
    guard = Guard.get()
    target = llvm.Target.from_triple(llvm.get_process_triple())
    machine = target.create_target_machine(opt=2, reloc="pic", codemodel="small")
    jit = llvm.create_lljit_compiler(machine, use_jit_link=True)
    lib = llvm.JITLibraryBuilder().add_object_img(machine.emit_object(llvm.parse_assembly(NATIVE)))
    lib.add_current_process()
    for name, address in guard.symbols.items():
        lib.import_symbol(name, address)
    for name in ("loop", "by_signal", "by_check"):
        lib.export_symbol(name)
    tracker = lib.link(jit, "bench-native-faults")
    loop = ctypes.CFUNCTYPE(ctypes.c_int64, ctypes.c_int64, ctypes.c_void_p, ctypes.c_void_p)(
        tracker["loop"]
    )
    cell = ctypes.c_int64(0)
    guard.set_timeout(10.0)
    out = []
    for fn in ("by_signal", "by_check"):
        out.append(best(lambda fn=fn: loop(n, tracker[fn], ctypes.addressof(cell))) / n)
    assert guard.thread_counters()["faults"] >= 10 * n
    return out[0], out[1]


def best(fn, rounds: int = 5) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def measure(checks: bool, n: int) -> tuple[float, float, str]:
    m = compile_module(DIV, name=f"bench_fault_{checks}", checks=checks)
    guard = Guard.get()
    a, b, r = ctypes.c_int64(1), ctypes.c_int64(0), ctypes.c_int64()
    slots = (ctypes.c_void_p * 3)(*(ctypes.addressof(x) for x in (a, b, r)))
    sa = ctypes.addressof(slots)
    entry = m.functions["div"].packed
    first = guard.call(entry, sa)
    assert first is not None
    kind = f"{first.kind} ({'nj_fail' if first.signal is None else 'SIGFPE'})"

    def raw() -> None:
        for _ in range(n):
            guard.call(entry, sa)

    def user() -> None:
        f = m.div
        for _ in range(n):
            try:
                f(1, 0)
            except JITFault:
                pass

    return best(raw) / n, best(user) / n, kind


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("-n", type=int, default=5000)
    args = parser.parse_args()
    rows = [
        ("signal path (no checks)", *measure(False, args.n)),
        ("nj_fail path (checks)", *measure(True, args.n)),
    ]
    sig_native, fail_native = native(args.n * 10)
    if args.markdown:
        print("| path | fault | raw `Guard.call` → RawFault | user call → JITFault |")
        print("|---|---|---:|---:|")
        for name, raw, user, kind in rows:
            print(f"| {name} | {kind} | {raw * 1e6:.1f} µs | {user * 1e6:.1f} µs |")
        print()
        print(
            f"Native only (JIT loop of guarded faulting calls, no Python): signal path "
            f"{sig_native * 1e9:.0f} ns, nj_fail path {fail_native * 1e9:.0f} ns per fault "
            f"({sig_native / fail_native:.1f}x). Signal / nj_fail from Python: "
            f"{rows[0][1] / rows[1][1]:.2f}x (raw), {rows[0][2] / rows[1][2]:.2f}x (user call)."
        )
    else:
        for name, raw, user, kind in rows:
            print(f"{name}: {kind}: raw {raw * 1e6:.1f} us, user {user * 1e6:.1f} us")
        print(f"native: signal {sig_native * 1e9:.0f} ns, nj_fail {fail_native * 1e9:.0f} ns")


if __name__ == "__main__":
    main()
