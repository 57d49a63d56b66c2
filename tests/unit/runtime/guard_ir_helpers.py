"""Hand-written LLVM IR for the guard tests: faults that need no MLIR lowering at all.

Each function has the packed-entry shape `void f(ptr slots)`; `slots[0]` points to an i64
argument, `slots[1]` to a second one, `slots[2]` to the i64 result. The module is optimised
at O2 like real JIT code, so the faults survive only where the operands are runtime values.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass

import llvmlite.binding as llvm

from neurojit.runtime.guard import Guard
from neurojit.runtime.sites import Site

OOB_SITE = Site(
    "out-of-bounds", "index {0} not in [0, {1})", "oob.mlir:6:8", "lookup", ("int", "int")
)

_IR = r"""
declare void @nj_fail(i64, i64, i64)
declare void @llvm.trap()
declare i32 @nj_guard_call(ptr, ptr)

define internal i64 @arg(ptr %slots, i64 %i) {
  %s = getelementptr ptr, ptr %slots, i64 %i
  %p = load ptr, ptr %s
  %v = load i64, ptr %p
  ret i64 %v
}
define internal void @result(ptr %slots, i64 %v) {
  %s = getelementptr ptr, ptr %slots, i64 2
  %p = load ptr, ptr %s
  store i64 %v, ptr %p
  ret void
}
define void @div(ptr %slots) {
  %a = call i64 @arg(ptr %slots, i64 0)
  %b = call i64 @arg(ptr %slots, i64 1)
  %q = sdiv i64 %a, %b
  call void @result(ptr %slots, i64 %q)
  ret void
}
define void @load(ptr %slots) {
  %a = call i64 @arg(ptr %slots, i64 0)
  %p = inttoptr i64 %a to ptr
  %v = load volatile i64, ptr %p
  call void @result(ptr %slots, i64 %v)
  ret void
}
define void @trap(ptr %slots) {
  call void @llvm.trap()
  unreachable
}
define i64 @deep(i64 %n) {
  %buf = alloca [32 x i64]
  store volatile i64 %n, ptr %buf
  %m = add i64 %n, 1
  %r = call i64 @deep(i64 %m)
  %v = load volatile i64, ptr %buf
  %s = add i64 %r, %v
  ret i64 %s
}
define void @recurse(ptr %slots) {
  %r = call i64 @deep(i64 0)
  call void @result(ptr %slots, i64 %r)
  ret void
}
define void @spin(ptr %slots) {
entry:
  %s = getelementptr ptr, ptr %slots, i64 2
  %p = load ptr, ptr %s
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %j, %loop ]
  %j = add i64 %i, 1
  store volatile i64 %j, ptr %p
  br label %loop
}
define void @spin_malloc(ptr %slots) {
entry:
  br label %loop
loop:
  %m = call ptr @malloc(i64 64)
  store volatile i64 1, ptr %m
  call void @free(ptr %m)
  br label %loop
}
declare ptr @malloc(i64)
declare void @free(ptr)
define void @checked(ptr %slots) {
  %i = call i64 @arg(ptr %slots, i64 0)
  %ok = icmp ult i64 %i, 4
  br i1 %ok, label %in, label %out
in:
  call void @result(ptr %slots, i64 %i)
  ret void
out:
  %site = call i64 @site()
  call void @nj_fail(i64 %site, i64 %i, i64 4)
  unreachable
}
; A guarded call made from native code while already inside a guarded call.
define void @nested(ptr %slots) {
  %fnp = getelementptr ptr, ptr %slots, i64 3
  %fn = load ptr, ptr %fnp
  %r = call i32 @nj_guard_call(ptr %fn, ptr %slots)
  %r64 = sext i32 %r to i64
  call void @result(ptr %slots, i64 %r64)
  ret void
}
define void @ok(ptr %slots) {
  %a = call i64 @arg(ptr %slots, i64 0)
  %b = call i64 @arg(ptr %slots, i64 1)
  %s = add i64 %a, %b
  call void @result(ptr %slots, i64 %s)
  ret void
}
"""

NAMES = ("div", "load", "trap", "recurse", "spin", "spin_malloc", "checked", "nested", "ok")


def _site_ir(site: Site) -> str:
    data = site.encode() + b"\0"
    text = "".join(chr(c) if 32 <= c < 127 and c not in (34, 92) else f"\\{c:02X}" for c in data)
    return (
        f'@site_str = private constant [{len(data)} x i8] c"{text}"\n'
        "define internal i64 @site() {\n  %a = ptrtoint ptr @site_str to i64\n  ret i64 %a\n}\n"
    )


@dataclass
class Kernels:
    addresses: dict[str, int]
    tracker: object  # keeps the code loaded

    def __getitem__(self, name: str) -> int:
        return self.addresses[name]


_cache: dict[str, Kernels] = {}


def kernels() -> Kernels:
    """Compile the kernels once per process (their own LLJIT), importing the guard's entries."""
    if "k" in _cache:
        return _cache["k"]
    guard = Guard.get()
    target = llvm.Target.from_triple(llvm.get_process_triple())
    machine = target.create_target_machine(opt=2, reloc="pic", codemodel="small")
    module = llvm.parse_assembly(_IR + _site_ir(OOB_SITE))
    module.verify()
    builder = llvm.create_pass_builder(machine, llvm.create_pipeline_tuning_options(speed_level=2))
    builder.getModulePassManager().run(module, builder)
    jit = llvm.create_lljit_compiler(machine, use_jit_link=True)
    lib = llvm.JITLibraryBuilder().add_object_img(machine.emit_object(module)).add_current_process()
    for name, address in guard.symbols.items():
        lib.import_symbol(name, address)
    for name in NAMES:
        lib.export_symbol(name)
    tracker = lib.link(jit, "guard-test-kernels")
    k = Kernels({n: tracker[n] for n in NAMES}, (jit, tracker))
    _cache["k"] = k
    return k


class Slots:
    """Two i64 arguments, an i64 result and an optional function pointer, as packed slots."""

    def __init__(self, a: int = 0, b: int = 0, fn: int = 0) -> None:
        self.a = ctypes.c_int64(a)
        self.b = ctypes.c_int64(b)
        self.r = ctypes.c_int64(0)
        self.array = (ctypes.c_void_p * 4)(
            ctypes.addressof(self.a), ctypes.addressof(self.b), ctypes.addressof(self.r), fn
        )

    @property
    def address(self) -> int:
        return ctypes.addressof(self.array)
