"""mlir-cpu-runner's runner utils, provided by the runtime itself.

Upstream's CPU tests print with the functions of `libmlir_c_runner_utils` (printI64, printF32,
printOpen, ..., rtclock, printFlops, memrefCopy) and `libmlir_runner_utils` (printMemref*,
verifyMemRef*, nanoTime, printCString); `vector.print` lowers to the scalar ones. A module
that declares one of them and does not define it gets ours, linked by address:

- the scalar ones are LLVM IR (`SCALAR_IR`), JIT-compiled once per engine: they call libc's
  fprintf/fputs on `stdout`, exactly the calls upstream's C file makes, so the bytes match;
- the memref ones are Python callbacks (ctypes) that read the descriptor and write through
  the same libc `stdout` with `fwrite`: every byte of native output goes through one stdio
  stream, so the order is the order of the calls. The CLI flushes Python's stdout before a
  call and libc's after it (`flush_native_stdout`).

The output format is upstream's (RunnerUtils.h, CRunnerUtils.cpp at LLVM 19), re-implemented
here: `%g` floats with glibc's `nan`/`-nan`/`inf`, `std::ostream` spacing of nested brackets,
`int8_t` elements printed as characters, as upstream's `operator<<` does.

`load_shared_library(path)` (neurojit-run `--shared-libs`) dlopens a real library; when it
defines a symbol the module needs, its address wins over ours.
"""

from __future__ import annotations

import ctypes
import math
import re
import struct
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from neurojit.errors import NeuroJITError

# ---- the scalar functions, in LLVM IR ----------------------------------------------------

SCALAR_IR = r"""
@stdout = external global ptr
@stderr = external global ptr
@.nj_fmt_i64 = private unnamed_addr constant [4 x i8] c"%ld\00"
@.nj_fmt_u64 = private unnamed_addr constant [4 x i8] c"%lu\00"
@.nj_fmt_g = private unnamed_addr constant [3 x i8] c"%g\00"
@.nj_fmt_lg = private unnamed_addr constant [4 x i8] c"%lg\00"
@.nj_fmt_flops = private unnamed_addr constant [12 x i8] c"%lf GFLOPS\0A\00"
@.nj_open = private unnamed_addr constant [3 x i8] c"( \00"
@.nj_close = private unnamed_addr constant [3 x i8] c" )\00"
@.nj_comma = private unnamed_addr constant [3 x i8] c", \00"

declare i32 @fprintf(ptr, ptr, ...)
declare i32 @fputs(ptr, ptr)
declare i32 @fputc(i32, ptr)
declare i32 @gettimeofday(ptr, ptr)
declare i32 @clock_gettime(i32, ptr)
declare ptr @malloc(i64)
declare ptr @aligned_alloc(i64, i64)
declare void @free(ptr)

define void @printI64(i64 %i) {
  %out = load ptr, ptr @stdout
  call i32 (ptr, ptr, ...) @fprintf(ptr %out, ptr @.nj_fmt_i64, i64 %i)
  ret void
}
define void @printU64(i64 %u) {
  %out = load ptr, ptr @stdout
  call i32 (ptr, ptr, ...) @fprintf(ptr %out, ptr @.nj_fmt_u64, i64 %u)
  ret void
}
define void @printF32(float %f) {
  %out = load ptr, ptr @stdout
  %d = fpext float %f to double
  call i32 (ptr, ptr, ...) @fprintf(ptr %out, ptr @.nj_fmt_g, double %d)
  ret void
}
define void @printF64(double %d) {
  %out = load ptr, ptr @stdout
  call i32 (ptr, ptr, ...) @fprintf(ptr %out, ptr @.nj_fmt_lg, double %d)
  ret void
}
define void @printString(ptr %s) {
  %out = load ptr, ptr @stdout
  call i32 @fputs(ptr %s, ptr %out)
  ret void
}
define void @printCString(ptr %s) {
  %out = load ptr, ptr @stdout
  call i32 @fputs(ptr %s, ptr %out)
  ret void
}
define void @printOpen() {
  %out = load ptr, ptr @stdout
  call i32 @fputs(ptr @.nj_open, ptr %out)
  ret void
}
define void @printClose() {
  %out = load ptr, ptr @stdout
  call i32 @fputs(ptr @.nj_close, ptr %out)
  ret void
}
define void @printComma() {
  %out = load ptr, ptr @stdout
  call i32 @fputs(ptr @.nj_comma, ptr %out)
  ret void
}
define void @printNewline() {
  %out = load ptr, ptr @stdout
  call i32 @fputc(i32 10, ptr %out)
  ret void
}
define void @printFlops(double %flops) {
  %err = load ptr, ptr @stderr
  %g = fdiv double %flops, 1.0e9
  call i32 (ptr, ptr, ...) @fprintf(ptr %err, ptr @.nj_fmt_flops, double %g)
  ret void
}
define double @rtclock() {
  %tv = alloca { i64, i64 }, align 8
  call i32 @gettimeofday(ptr %tv, ptr null)
  %sp = getelementptr { i64, i64 }, ptr %tv, i32 0, i32 0
  %up = getelementptr { i64, i64 }, ptr %tv, i32 0, i32 1
  %s = load i64, ptr %sp
  %u = load i64, ptr %up
  %sf = sitofp i64 %s to double
  %uf = sitofp i64 %u to double
  %us = fmul double %uf, 1.0e-6
  %t = fadd double %sf, %us
  ret double %t
}
define i64 @_mlir_ciface_nanoTime() {
  %ts = alloca { i64, i64 }, align 8
  call i32 @clock_gettime(i32 0, ptr %ts)
  %sp = getelementptr { i64, i64 }, ptr %ts, i32 0, i32 0
  %np = getelementptr { i64, i64 }, ptr %ts, i32 0, i32 1
  %s = load i64, ptr %sp
  %n = load i64, ptr %np
  %sn = mul i64 %s, 1000000000
  %t = add i64 %sn, %n
  ret i64 %t
}
define ptr @mlirAlloc(i64 %size) {
  %p = call ptr @malloc(i64 %size)
  ret ptr %p
}
define ptr @mlirAlignedAlloc(i64 %alignment, i64 %size) {
  %p = call ptr @aligned_alloc(i64 %alignment, i64 %size)
  ret ptr %p
}
define void @mlirFree(ptr %p) {
  call void @free(ptr %p)
  ret void
}
define void @mlirAlignedFree(ptr %p) {
  call void @free(ptr %p)
  ret void
}
"""

SCALAR_SYMBOLS: tuple[str, ...] = tuple(re.findall(r"^define \S+ @([\w$.]+)\(", SCALAR_IR, re.M))

# `abort()` in JIT code (upstream's lowering of a failed cf.assert, after `puts(msg)`, in
# input that arrives already in the llvm dialect) would kill the host: under the crash guard
# it becomes a `trap` fault instead (nj_fail with a site descriptor, runtime/sites.py).
_ABORT_SITE = (
    "trap\x1fabort() called (a failed cf.assert prints its message first)\x1f\x1fabort\x1f"
)
_ABORT_BYTES = "".join(c if c.isalnum() or c in " ()." else f"\\{ord(c):02X}" for c in _ABORT_SITE)
ABORT_IR = f"""
@.nj_abort_site = private unnamed_addr constant [{len(_ABORT_SITE) + 1} x i8] c"{_ABORT_BYTES}\\00"
declare void @nj_fail(i64, i64, i64) noreturn
define void @nj_runner_abort() noreturn {{
  %p = ptrtoint ptr @.nj_abort_site to i64
  call void @nj_fail(i64 %p, i64 0, i64 0)
  unreachable
}}
"""

# ---- libc stdout from Python ---------------------------------------------------------------

_libc = ctypes.CDLL(None)
_libc.fwrite.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_size_t, ctypes.c_void_p]
_libc.fwrite.restype = ctypes.c_size_t
_libc.fflush.argtypes = [ctypes.c_void_p]
_libc.fflush.restype = ctypes.c_int


def _stream(name: str) -> int:
    return ctypes.c_void_p.in_dll(_libc, name).value or 0


def write_native(data: bytes, stream: str = "stdout") -> None:
    """Write through libc's `stdout` (or `stderr`), the stream native prints use."""
    if data:
        _libc.fwrite(data, 1, len(data), _stream(stream))


def flush_native_stdout() -> None:
    """fflush(NULL): what native code printed reaches the file before Python prints more."""
    _libc.fflush(None)


# ---- number formatting as glibc / libstdc++ do it --------------------------------------------


def format_g(value: float) -> str:
    """`printf("%g")` (and `std::ostream << double` at default precision) as glibc prints it."""
    if math.isnan(value):
        return "-nan" if math.copysign(1.0, value) < 0 else "nan"
    if math.isinf(value):
        return "-inf" if value < 0 else "inf"
    return f"{value:g}"


def format_e(value: float) -> str:
    """`llvm::raw_ostream << double` (mlir-cpu-runner's float result line): `%e`."""
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "-INF" if value < 0 else "INF"
    return f"{value:e}"


# ---- memref elements -------------------------------------------------------------------------


@dataclass(frozen=True)
class Element:
    """One element type of the printMemref family: size and how one element prints."""

    name: str
    size: int
    show: Callable[[bytes], bytes]


def _ints(fmt: str) -> Callable[[bytes], bytes]:
    return lambda raw: str(struct.unpack(fmt, raw)[0]).encode()


def _floats(fmt: str) -> Callable[[bytes], bytes]:
    return lambda raw: format_g(struct.unpack(fmt, raw)[0]).encode()


def _bf16(raw: bytes) -> bytes:
    (bits,) = struct.unpack("<H", raw)
    return format_g(struct.unpack("<f", struct.pack("<I", bits << 16))[0]).encode()


def _complex(fmt: str, half: int) -> Callable[[bytes], bytes]:
    def show(raw: bytes) -> bytes:
        re_, im = struct.unpack(fmt, raw[:half])[0], struct.unpack(fmt, raw[half:])[0]
        return f"({format_g(re_)},{format_g(im)})".encode()

    return show


ELEMENTS: dict[str, Element] = {
    # `std::ostream << int8_t` writes the byte as a character, as upstream prints it.
    "I8": Element("I8", 1, lambda raw: raw),
    "I16": Element("I16", 2, _ints("<h")),
    "I32": Element("I32", 4, _ints("<i")),
    "I64": Element("I64", 8, _ints("<q")),
    "Ind": Element("Ind", 8, _ints("<Q")),
    "F16": Element("F16", 2, _floats("<e")),
    "BF16": Element("BF16", 2, _bf16),
    "F32": Element("F32", 4, _floats("<f")),
    "F64": Element("F64", 8, _floats("<d")),
    "C32": Element("C32", 8, _complex("<f", 4)),
    "C64": Element("C64", 16, _complex("<d", 8)),
}


def _vector4x4_f32(raw: bytes) -> bytes:
    """`Vector<float, 4, 4>` as upstream's VectorDataPrinter writes it: rows `(a, b, c, d)`,
    joined by `, ` plus its padding of two spaces before middle rows and one before the last."""
    rows = [
        "(" + ", ".join(format_g(v) for v in struct.unpack("<4f", raw[16 * r : 16 * r + 16])) + ")"
        for r in range(4)
    ]
    return (
        "(" + rows[0] + ", " + "".join(f"  {r}, " for r in rows[1:3]) + " " + rows[3] + ")"
    ).encode()


# printMemrefVector4x4xf32's element: a 4x4 f32 vector (64 bytes), printed as one element.
VECTOR_4X4_F32 = Element("Vector4x4xf32", 64, _vector4x4_f32)


@dataclass
class Descriptor:
    """A strided memref descriptor read from memory: data (aligned) pointer, offset, shape."""

    data: int
    offset: int
    sizes: list[int]
    strides: list[int]

    @property
    def rank(self) -> int:
        return len(self.sizes)


MAX_RANK = 64  # a corrupt rank must not make us read megabytes of "sizes"


def read_descriptor(address: int, rank: int) -> Descriptor:
    """`{ptr allocated, ptr aligned, i64 offset, i64 sizes[rank], i64 strides[rank]}`."""
    if address == 0:
        raise ValueError("null memref descriptor")
    if not 0 <= rank <= MAX_RANK:
        raise ValueError(f"memref rank {rank} out of range")
    words = (ctypes.c_int64 * (3 + 2 * rank)).from_address(address)
    return Descriptor(
        words[1] & (2**64 - 1), words[2], list(words[3 : 3 + rank]), list(words[3 + rank :])
    )


def read_unranked(address: int) -> Descriptor:
    """`UnrankedMemRefType {i64 rank, ptr descriptor}`."""
    if address == 0:
        raise ValueError("null unranked memref")
    rank = ctypes.c_int64.from_address(address).value
    inner = ctypes.c_void_p.from_address(address + 8).value or 0
    return read_descriptor(inner, rank)


def _element(desc: Descriptor, element: Element, index: int) -> bytes:
    if desc.data == 0:
        return b"<null>"
    return ctypes.string_at(desc.data + index * element.size, element.size)


def _pointer(value: int) -> str:
    """`std::ostream << (void*)p` in libstdc++: 0x-prefixed lower-case hex, `0` for null."""
    return hex(value) if value else "0"


def metadata(desc: Descriptor) -> str:
    """`base@ = 0x.. rank = R offset = O sizes = [..] strides = [..]` (printMemRefMetaData)."""
    return (
        f"base@ = {_pointer(desc.data)} rank = {desc.rank} offset = {desc.offset}"
        f" sizes = [{', '.join(map(str, desc.sizes))}]"
        f" strides = [{', '.join(map(str, desc.strides))}]"
    )


def format_data(desc: Descriptor, element: Element) -> bytes:
    """The data part of printMemref: nested brackets with upstream's spacing and newlines."""
    out: list[bytes] = []
    rank = desc.rank

    def show(dim: int, offset: int, sizes: list[int], strides: list[int]) -> None:
        if dim == 0:
            out.append(element.show(_element(desc, element, offset)))
            return
        # first
        out.append(b"[")
        show(dim - 1, offset, sizes[1:], strides[1:])
        if sizes[0] <= 1:
            out.append(b"]")
            return
        out.append(b", ")
        if dim > 1:
            out.append(b"\n")
        # middle
        pad = b" " * (rank - dim + 1)
        for i in range(1, sizes[0] - 1):
            out.append(pad)
            show(dim - 1, offset + i * strides[0], sizes[1:], strides[1:])
            out.append(b", ")
            if dim > 1:
                out.append(b"\n")
        # last
        out.append(pad)
        show(dim - 1, offset + (sizes[0] - 1) * strides[0], sizes[1:], strides[1:])
        out.append(b"]")

    show(rank, desc.offset, desc.sizes, desc.strides)
    return b"".join(out)


MAX_PRINT_ELEMENTS = 1 << 24  # a corrupt descriptor must not print forever


def format_memref(desc: Descriptor, element: Element, unranked: bool) -> bytes:
    """What upstream's `impl::printMemRef` writes for one memref."""
    if math.prod(max(s, 1) for s in desc.sizes) > MAX_PRINT_ELEMENTS:
        raise ValueError(f"memref of {desc.sizes} elements is too large to print")
    head = ("Unranked Memref " if unranked else "Memref ") + metadata(desc) + " data = \n"
    body = format_data(desc, element)
    if desc.rank == 0:
        body = b"[" + body + b"]"
    return head.encode() + body + b"\n"


# ---- verifyMemRef ----------------------------------------------------------------------------


def _close(actual: float, expected: float, epsilon: float) -> bool:
    if not (math.isfinite(actual) and math.isfinite(expected)):
        return False
    return abs(actual - expected) <= epsilon * abs(expected)


def verify(actual: Descriptor, expected: Descriptor, element: Element) -> int:
    """Upstream's verifyMemRef: mismatches (≤ 10 printed to stderr), or -1 on a shape mismatch."""
    for i in range(actual.rank):
        if (
            expected.rank != actual.rank
            or actual.offset != expected.offset
            or actual.sizes[i] != expected.sizes[i]
            or actual.strides[i] != expected.strides[i]
        ):
            write_native((metadata(actual) + metadata(expected)).encode(), "stderr")
            return -1
    fmt = {"F32": "<f", "F64": "<d"}.get(element.name)
    eps = {"F32": 1e-6, "F64": 1e-12}.get(element.name, 0.0)
    errors = 0
    printed = 0
    for index in _indices(actual):
        a = _element(actual, element, index)
        b = _element(expected, element, index)
        if fmt is not None:
            ok = _close(struct.unpack(fmt, a)[0], struct.unpack(fmt, b)[0], eps)
        else:
            ok = a == b
        if not ok:
            if printed < 10:
                line = element.show(a) + b" != " + element.show(b) + f" offset = {index}\n".encode()
                write_native(line, "stderr")
                printed += 1
            errors += 1
    return errors


def _indices(desc: Descriptor) -> Iterable[int]:
    def walk(dim: int, offset: int) -> Iterable[int]:
        if dim == desc.rank:
            yield offset
            return
        for i in range(desc.sizes[dim]):
            yield from walk(dim + 1, offset + i * desc.strides[dim])

    return walk(0, desc.offset)


# ---- memrefCopy ------------------------------------------------------------------------------


def memref_copy(element_size: int, src: Descriptor, dst: Descriptor) -> None:
    """Upstream's memrefCopy: element by element over src's shape, any strides."""
    if any(s == 0 for s in src.sizes):
        return
    if src.rank == 0:
        ctypes.memmove(
            dst.data + dst.offset * element_size, src.data + src.offset * element_size, element_size
        )
        return
    # Walk both descriptors in lock-step; the innermost contiguous run is one memmove.
    inner = src.sizes[-1]
    contiguous = src.strides[-1] == 1 and dst.strides[-1] == 1
    outer = Descriptor(src.data, src.offset, src.sizes[:-1], src.strides[:-1])
    douter = Descriptor(dst.data, dst.offset, dst.sizes[:-1], dst.strides[:-1])
    for s_off, d_off in zip(_indices(outer), _indices(douter), strict=True):
        if contiguous:
            ctypes.memmove(
                dst.data + d_off * element_size,
                src.data + s_off * element_size,
                inner * element_size,
            )
            continue
        for i in range(inner):
            ctypes.memmove(
                dst.data + (d_off + i * dst.strides[-1]) * element_size,
                src.data + (s_off + i * src.strides[-1]) * element_size,
                element_size,
            )


# ---- the callbacks ---------------------------------------------------------------------------

_VOID_P = ctypes.CFUNCTYPE(None, ctypes.c_void_p)
_VOID_RANK_P = ctypes.CFUNCTYPE(None, ctypes.c_int64, ctypes.c_void_p)
_I64_PP = ctypes.CFUNCTYPE(ctypes.c_int64, ctypes.c_void_p, ctypes.c_void_p)
_I64_RANK_PP = ctypes.CFUNCTYPE(ctypes.c_int64, ctypes.c_int64, ctypes.c_void_p, ctypes.c_void_p)
_COPY = ctypes.CFUNCTYPE(None, ctypes.c_int64, ctypes.c_void_p, ctypes.c_void_p)


def _report(name: str, err: BaseException) -> None:
    """A bad descriptor is the program's bug: say so on stderr, never raise into native code."""
    write_native(f"neurojit-run: {name}: {err}\n".encode(), "stderr")


def _printer(name: str, element: Element, unranked: bool, how: str) -> Any:
    """A ctypes callback for one printMemref* entry point (`how`: ciface|rank|ranked)."""

    def print_unranked(address: int | None) -> None:
        try:
            write_native(format_memref(read_unranked(address or 0), element, True))
        except (ValueError, OverflowError) as err:
            _report(name, err)

    def print_rank(rank: int, address: int | None) -> None:
        try:
            write_native(format_memref(read_descriptor(address or 0, rank), element, True))
        except (ValueError, OverflowError) as err:
            _report(name, err)

    def print_ranked(address: int | None, rank: int) -> None:
        try:
            write_native(format_memref(read_descriptor(address or 0, rank), element, False))
        except (ValueError, OverflowError) as err:
            _report(name, err)

    if how == "ciface":
        return _VOID_P(print_unranked)
    if how == "rank":
        return _VOID_RANK_P(print_rank)
    rank = int(how)
    return _VOID_P(lambda address: print_ranked(address, rank))


def _shape_printer(name: str) -> Any:
    def show(address: int | None) -> None:
        try:
            desc = read_unranked(address or 0)
            write_native(("Unranked Memref " + metadata(desc) + "\n").encode())
        except (ValueError, OverflowError) as err:
            _report(name, err)

    return _VOID_P(show)


def _verifier(name: str, element: Element, with_rank: bool) -> Any:
    def ciface(actual: int | None, expected: int | None) -> int:
        try:
            return verify(read_unranked(actual or 0), read_unranked(expected or 0), element)
        except (ValueError, OverflowError) as err:
            _report(name, err)
            return -1

    def ranked(rank: int, actual: int | None, expected: int | None) -> int:
        try:
            a, e = read_descriptor(actual or 0, rank), read_descriptor(expected or 0, rank)
            return verify(a, e, element)
        except (ValueError, OverflowError) as err:
            _report(name, err)
            return -1

    return _I64_RANK_PP(ranked) if with_rank else _I64_PP(ciface)


def _copy(element_size: int, src: int | None, dst: int | None) -> None:
    try:
        memref_copy(element_size, read_unranked(src or 0), read_unranked(dst or 0))
    except (ValueError, OverflowError) as err:
        _report("memrefCopy", err)


def _callbacks() -> dict[str, Any]:
    """Every Python-implemented runner util: symbol → ctypes callback."""
    out: dict[str, Any] = {}
    for code, element in ELEMENTS.items():
        out[f"_mlir_ciface_printMemref{code}"] = _printer(code, element, True, "ciface")
        out[f"printMemref{code}"] = _printer(code, element, True, "rank")
        out[f"_mlir_ciface_printMemrefShape{code}"] = _shape_printer(code)
        out[f"_mlir_ciface_verifyMemRef{code}"] = _verifier(code, element, False)
        out[f"verifyMemRef{code}"] = _verifier(code, element, True)
    for rank in range(5):
        out[f"_mlir_ciface_printMemref{rank}dF32"] = _printer(
            "F32", ELEMENTS["F32"], False, str(rank)
        )
    for code in ("I8", "I32", "I64", "F64", "Ind", "C32", "C64"):
        out[f"_mlir_ciface_printMemref1d{code}"] = _printer(code, ELEMENTS[code], False, "1")
    out["_mlir_ciface_printMemrefVector4x4xf32"] = _printer(
        "Vector4x4xf32", VECTOR_4X4_F32, False, "2"
    )
    out["memrefCopy"] = _COPY(_copy)
    return out


# ---- symbol resolution -----------------------------------------------------------------------

_lock = threading.Lock()
_callback_objects: dict[str, Any] = {}  # kept alive for the life of the process
_builtin: dict[int, dict[str, int]] = {}  # id(engine) → symbol → address
_scalar_libraries: list[Any] = []  # the JITDylibs of SCALAR_IR (kept loaded)
_shared: list[tuple[str, ctypes.CDLL]] = []  # --shared-libs, in command-line order


def builtin_symbols(engine: Any) -> dict[str, int]:
    """Every runner util we provide → its address (the scalar ones JIT-compiled once)."""
    with _lock:
        table = _builtin.get(id(engine))
        if table is not None:
            return table
        library = engine.add_ir("nj_runner_utils", SCALAR_IR, list(SCALAR_SYMBOLS), opt_level=2)
        _scalar_libraries.append(library)
        table = {name: library[name] for name in SCALAR_SYMBOLS}
        from neurojit.runtime.guard import Guard

        guard = Guard.get().symbols
        aborts = engine.add_ir(
            "nj_runner_abort", ABORT_IR, ["nj_runner_abort"], {"nj_fail": guard["nj_fail"]}
        )
        _scalar_libraries.append(aborts)
        table["abort"] = aborts["nj_runner_abort"]
        if not _callback_objects:
            _callback_objects.update(_callbacks())
        for name, callback in _callback_objects.items():
            table[name] = ctypes.cast(callback, ctypes.c_void_p).value or 0
        _builtin[id(engine)] = table
        return table


def builtin_names() -> frozenset[str]:
    """Names of the runner utils we provide (without compiling anything)."""
    return frozenset(SCALAR_SYMBOLS) | frozenset(_callback_names()) | {"abort"}


def _callback_names() -> list[str]:
    names = ["memrefCopy", "_mlir_ciface_printMemrefVector4x4xf32"]
    for code in ELEMENTS:
        names += [
            f"_mlir_ciface_printMemref{code}",
            f"printMemref{code}",
            f"_mlir_ciface_printMemrefShape{code}",
            f"_mlir_ciface_verifyMemRef{code}",
            f"verifyMemRef{code}",
        ]
    names += [f"_mlir_ciface_printMemref{r}dF32" for r in range(5)]
    names += [
        f"_mlir_ciface_printMemref1d{c}" for c in ("I8", "I32", "I64", "F64", "Ind", "C32", "C64")
    ]
    return names


# Spellings of `--shared-libs` that name upstream's runner-utils libraries without loading
# them: our built-in implementation serves them (tests/upstream runs upstream's tests so).
BUILTIN_LIBRARY = re.compile(r"^builtin:(mlir_c_runner_utils|mlir_runner_utils)$")


def load_shared_library(path: str) -> None:
    """dlopen `path` (RTLD_GLOBAL, as mlir-cpu-runner does); its symbols win over ours."""
    if BUILTIN_LIBRARY.match(path):
        return
    try:
        library = ctypes.CDLL(path, mode=ctypes.RTLD_GLOBAL)
    except OSError as err:
        raise NeuroJITError(f"cannot load shared library: {err}", path) from None
    _shared.append((path, library))


def shared_libraries() -> list[str]:
    return [path for path, _ in _shared]


def _from_shared(name: str) -> int | None:
    for _, library in _shared:
        try:
            function = getattr(library, name)
        except AttributeError:
            continue
        return ctypes.cast(function, ctypes.c_void_p).value
    return None


_DECLARE = re.compile(r"^declare\b[^@\n]*@(\"[^\"]+\"|[\w$.-]+)\(", re.M)
_DEFINE = re.compile(r"^define\b[^@\n]*@(\"[^\"]+\"|[\w$.-]+)\(", re.M)


def declared_functions(llvm_ir: str) -> set[str]:
    """Functions the IR declares but does not define (what it needs from outside)."""
    declared = {n.strip('"') for n in _DECLARE.findall(llvm_ir)}
    defined = {n.strip('"') for n in _DEFINE.findall(llvm_ir)}
    return declared - defined


def resolve(names: Iterable[str], engine: Any) -> dict[str, int]:
    """Addresses for `names`: a --shared-libs library's first, else our runner utils; names
    neither has are left out (the process resolves them: libc, libm)."""
    names = list(names)
    out: dict[str, int] = {}
    ours = builtin_names()
    table: dict[str, int] | None = None
    for name in names:
        address = _from_shared(name) if _shared else None
        if address:
            out[name] = address
            continue
        if name in ours:
            if table is None:
                table = builtin_symbols(engine)
            out[name] = table[name]
    return out
