"""Cost of the crash guard on a call: Python → native (guarded vs bare) and native-only.

    .venv/bin/python tools/bench/guard_call.py [--markdown]

1. Python → native: the same packed entry of `add(i64, i64) -> i64`, called through
   `compile_module(...)` with and without the guard (the user-level call), and at the raw
   ctypes level (trampoline vs the entry itself), best of several rounds.
2. Native guard cost: a JIT loop calling a no-op through `nj_guard_call` vs calling it
   directly, 10M times; the difference per call is what the guard itself costs.
"""

from __future__ import annotations

import argparse
import ctypes
import time

import llvmlite.binding as llvm

from neurojit.runtime.guard import Guard
from neurojit.runtime.module import compile_module

ADD = """
func.func @add(%a: i64, %b: i64) -> i64 {
  %s = arith.addi %a, %b : i64
  return %s : i64
}
"""

NATIVE = r"""
declare i32 @nj_guard_call(ptr, ptr)
define void @noop(ptr %slots) noinline {
  store volatile i64 1, ptr %slots
  ret void
}
define i64 @loop_guarded(i64 %n, ptr %slots) {
entry:
  br label %l
l:
  %i = phi i64 [ 0, %entry ], [ %j, %l ]
  %r = call i32 @nj_guard_call(ptr @noop, ptr %slots)
  %j = add i64 %i, 1
  %c = icmp ult i64 %j, %n
  br i1 %c, label %l, label %done
done:
  ret i64 %j
}
define i64 @loop_bare(i64 %n, ptr %slots) {
entry:
  %fp = alloca ptr
  store volatile ptr @noop, ptr %fp
  br label %l
l:
  %i = phi i64 [ 0, %entry ], [ %j, %l ]
  %f = load volatile ptr, ptr %fp
  call void %f(ptr %slots)
  %j = add i64 %i, 1
  %c = icmp ult i64 %j, %n
  br i1 %c, label %l, label %done
done:
  ret i64 %j
}
"""


def best(fn, rounds: int = 7) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def python_to_native(n: int) -> list[tuple[str, float, float]]:
    guarded = compile_module(ADD, name="bench_guarded", timeout=10.0)
    bare = compile_module(ADD, name="bench_bare", guard=False)
    assert guarded.add(2, 3) == bare.add(2, 3) == 5

    def loop(m):
        f = m.add
        return lambda: [f(1, 2) for _ in range(n)]

    g_user = best(loop(guarded)) / n
    b_user = best(loop(bare)) / n

    guard = Guard.get()
    a, b, r = ctypes.c_int64(1), ctypes.c_int64(2), ctypes.c_int64()
    slots = (ctypes.c_void_p * 3)(*(ctypes.addressof(x) for x in (a, b, r)))
    sa = ctypes.addressof(slots)
    entry = guarded.functions["add"].packed
    tramp = guard.trampoline
    direct = ctypes.CFUNCTYPE(None, ctypes.c_void_p)(entry)
    guard.set_timeout(10.0)
    cell = guard.make_cell(entry, sa, 10.0)
    ca = ctypes.addressof(cell)
    cell_tramp = guard.cell_trampoline
    g_raw = best(lambda: [tramp(entry, sa) for _ in range(n)]) / n
    c_raw = best(lambda: [cell_tramp(ca) for _ in range(n)]) / n
    b_raw = best(lambda: [direct(sa) for _ in range(n)]) / n
    assert r.value == 3
    return [
        ("module call `m.add(1, 2)` (engine's caller)", b_user, g_user),
        ("ctypes: `nj_guard_call(fn, slots)`", b_raw, g_raw),
        ("ctypes: `nj_guard_call_cell(cell)`", b_raw, c_raw),
    ]


def native_cost(n: int) -> tuple[float, float]:
    guard = Guard.get()
    target = llvm.Target.from_triple(llvm.get_process_triple())
    machine = target.create_target_machine(opt=2, reloc="pic", codemodel="small")
    module = llvm.parse_assembly(NATIVE)
    jit = llvm.create_lljit_compiler(machine, use_jit_link=True)
    lib = llvm.JITLibraryBuilder().add_object_img(machine.emit_object(module))
    lib.add_current_process().import_symbol("nj_guard_call", guard.symbols["nj_guard_call"])
    for name in ("loop_guarded", "loop_bare"):
        lib.export_symbol(name)
    tracker = lib.link(jit, "bench-native-guard")
    proto = ctypes.CFUNCTYPE(ctypes.c_int64, ctypes.c_int64, ctypes.c_void_p)
    guarded, bare = proto(tracker["loop_guarded"]), proto(tracker["loop_bare"])
    cell = ctypes.c_int64()
    guard.set_timeout(10.0)
    # The outer call is itself guarded so the inner guards nest (depth > 0), like JIT code
    # calling a guarded entry; a bare outer call measures the outermost-call path instead.
    t_guarded = best(lambda: guarded(n, ctypes.addressof(cell)), 5) / n
    t_bare = best(lambda: bare(n, ctypes.addressof(cell)), 5) / n
    del tracker, jit
    return t_guarded, t_bare


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("-n", type=int, default=100_000)
    args = parser.parse_args()
    rows = python_to_native(args.n)
    g, b = native_cost(10_000_000)
    if args.markdown:
        print("| Python → native | bare | guarded | ratio |")
        print("|---|---:|---:|---:|")
        for name, bare_t, guarded_t in rows:
            print(
                f"| {name} | {bare_t * 1e9:.0f} ns | {guarded_t * 1e9:.0f} ns | "
                f"{guarded_t / bare_t:.2f}x |"
            )
        print()
        print(
            f"Native guard cost: {(g - b) * 1e9:.1f} ns per call "
            f"({g * 1e9:.1f} ns guarded vs {b * 1e9:.1f} ns indirect call, 10M calls)."
        )
    else:
        for name, bare_t, guarded_t in rows:
            print(
                f"{name}: bare {bare_t * 1e9:.0f} ns, guarded {guarded_t * 1e9:.0f} ns, "
                f"{guarded_t / bare_t:.2f}x"
            )
        print(f"native guard: {(g - b) * 1e9:.1f} ns/call ({g * 1e9:.1f} vs {b * 1e9:.1f})")


if __name__ == "__main__":
    main()
