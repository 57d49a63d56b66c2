"""The Python ⇄ native calling convention.

Native functions follow upstream MLIR's default lowering (docs/internals.md): index is i64, a
memref argument expands to (allocated, aligned, offset, sizes..., strides...), a memref result
is the descriptor struct and several results come back as one literal struct. ctypes can call
none of the struct returns correctly, so every public function gets a packed entry

    void @_nj_packed_<name>(ptr %slots)

where slots[i] points at argument i (a memref: at its descriptor in memory) and
slots[nargs + j] at the storage for result j. One signature for every function is also what
lets the crash guard's trampoline call anything.

The Python side builds, per function, a specialised caller once (`make_caller`): scratch
buffers with the slot array already filled in, so a call only stores the arguments, makes
one ctypes call and reads the results.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from neurojit.errors import NeuroJITError

if TYPE_CHECKING:
    import numpy as np

# Upstream's memref.get_global stores this as the allocated pointer: "not heap, never free".
GLOBAL_ALLOCATED_PTR = 0xDEADBEEF


@dataclass(frozen=True)
class ScalarType:
    """An integer (i1..i64, index) or float (f32, f64) value crossing the boundary."""

    kind: str  # "int", "index" or "float"
    bits: int

    @property
    def llvm(self) -> str:
        if self.kind == "float":
            return {32: "float", 64: "double"}[self.bits]
        return f"i{self.bits}"

    @property
    def dtype(self) -> np.dtype:
        import numpy as np  # only memrefs need numpy; a scalar-only program never imports it

        if self.kind == "float":
            return np.dtype(f"float{self.bits}")
        if self.bits == 1:
            return np.dtype(np.bool_)
        return np.dtype(f"int{self.bits}")

    def __str__(self) -> str:
        if self.kind == "index":
            return "index"
        return f"{'f' if self.kind == 'float' else 'i'}{self.bits}"


@dataclass(frozen=True)
class MemRefType:
    """A ranked memref; `strides is None` means the identity (row-major contiguous) layout."""

    element: ScalarType
    shape: tuple[int | None, ...]
    strides: tuple[int | None, ...] | None = None
    offset: int | None = 0

    @property
    def rank(self) -> int:
        return len(self.shape)

    @property
    def llvm(self) -> str:
        r = self.rank
        if r == 0:
            return "{ ptr, ptr, i64 }"
        return f"{{ ptr, ptr, i64, [{r} x i64], [{r} x i64] }}"

    @property
    def n_words(self) -> int:
        return 3 + 2 * self.rank

    def __str__(self) -> str:
        dims = "".join(f"{'?' if d is None else d}x" for d in self.shape)
        layout = ""
        if self.strides is not None:
            s = ", ".join("?" if x is None else str(x) for x in self.strides)
            o = "?" if self.offset is None else str(self.offset)
            layout = f", strided<[{s}], offset: {o}>"
        return f"memref<{dims}{self.element}{layout}>"


ValueType = ScalarType | MemRefType


@dataclass(frozen=True)
class Signature:
    name: str
    args: tuple[ValueType, ...]
    results: tuple[ValueType, ...]

    @property
    def llvm_return(self) -> str:
        if not self.results:
            return "void"
        if len(self.results) == 1:
            return self.results[0].llvm
        return "{ " + ", ".join(r.llvm for r in self.results) + " }"

    def __str__(self) -> str:
        args = ", ".join(map(str, self.args))
        res = ", ".join(map(str, self.results))
        return f"({args}) -> ({res})"


def _type_to_json(t: ValueType) -> list[Any]:
    if isinstance(t, ScalarType):
        return ["scalar", t.kind, t.bits]
    return [
        "memref",
        _type_to_json(t.element),
        list(t.shape),
        None if t.strides is None else list(t.strides),
        t.offset,
    ]


def _type_from_json(data: list[Any]) -> ValueType:
    if data[0] == "scalar":
        return ScalarType(data[1], data[2])
    element = _type_from_json(data[1])
    assert isinstance(element, ScalarType)
    strides = None if data[3] is None else tuple(data[3])
    return MemRefType(element, tuple(data[2]), strides, data[4])


def signature_to_json(sig: Signature) -> dict[str, Any]:
    return {
        "name": sig.name,
        "args": [_type_to_json(t) for t in sig.args],
        "results": [_type_to_json(t) for t in sig.results],
    }


def signature_from_json(data: dict[str, Any]) -> Signature:
    return Signature(
        data["name"],
        tuple(_type_from_json(t) for t in data["args"]),
        tuple(_type_from_json(t) for t in data["results"]),
    )


class UnsupportedSignature(NeuroJITError):
    """A function whose types cannot cross the Python boundary (it still runs natively)."""


def _scalar_from_xdsl(t: Any) -> ScalarType | None:
    from xdsl.dialects import builtin

    if isinstance(t, builtin.IndexType):
        return ScalarType("index", 64)
    if isinstance(t, builtin.IntegerType) and t.width.data in (1, 8, 16, 32, 64):
        return ScalarType("int", t.width.data)
    if isinstance(t, builtin.Float32Type):
        return ScalarType("float", 32)
    if isinstance(t, builtin.Float64Type):
        return ScalarType("float", 64)
    return None


def type_from_xdsl(t: Any) -> ValueType:
    """Map an xDSL type to the boundary type model, or raise UnsupportedSignature."""
    from xdsl.dialects import builtin

    scalar = _scalar_from_xdsl(t)
    if scalar is not None:
        return scalar
    if isinstance(t, builtin.MemRefType):
        element = _scalar_from_xdsl(t.element_type)
        if element is None:
            raise UnsupportedSignature(f"memref element type {t.element_type} cannot be passed")
        shape = tuple(None if d < 0 else d for d in t.get_shape())
        layout = t.layout
        if isinstance(layout, builtin.NoneAttr):
            return MemRefType(element, shape)
        if isinstance(layout, builtin.StridedLayoutAttr):
            strides = tuple(
                s.data if isinstance(s, builtin.IntAttr) else None for s in layout.strides.data
            )
            off = layout.offset
            offset = off.data if isinstance(off, builtin.IntAttr) else None
            return MemRefType(element, shape, strides, offset)
        raise UnsupportedSignature(f"memref layout {layout} cannot be passed")
    raise UnsupportedSignature(f"type {t} cannot be passed")


def signature_from_func(func_op: Any) -> Signature:
    """The boundary signature of an xDSL `func.func`."""
    ft = func_op.function_type
    return Signature(
        func_op.sym_name.data,
        tuple(type_from_xdsl(t) for t in ft.inputs.data),
        tuple(type_from_xdsl(t) for t in ft.outputs.data),
    )


def llvm_name(name: str) -> str:
    """A global's name in LLVM IR syntax; always quoted so any MLIR symbol name is valid."""
    escaped = "".join(c if c.isprintable() and c not in '"\\' else f"\\{ord(c):02X}" for c in name)
    return f'@"{escaped}"'


def packed_name(name: str) -> str:
    return f"_nj_packed_{name}"


def slot_name(name: str) -> str:
    return f"{name}.nj_slot"


def packed_wrapper_ir(sig: Signature) -> str:
    """LLVM IR of `_nj_packed_<name>`, calling the current version through the dispatch slot."""
    lines = [f"define void {llvm_name(packed_name(sig.name))}(ptr %slots) {{", "entry:"]
    lines.append(f"  %fn = load atomic ptr, ptr {llvm_name(slot_name(sig.name))} acquire, align 8")
    call_args: list[str] = []
    for i, t in enumerate(sig.args):
        lines.append(f"  %a{i}.pp = getelementptr inbounds ptr, ptr %slots, i64 {i}")
        lines.append(f"  %a{i}.p = load ptr, ptr %a{i}.pp, align 8")
        if isinstance(t, ScalarType):
            lines.append(f"  %a{i} = load {t.llvm}, ptr %a{i}.p, align 1")
            call_args.append(f"{t.llvm} %a{i}")
            continue
        # A descriptor in memory is 3 + 2*rank 8-byte words; the expanded form is the same
        # words in order, the two pointers as ptr and the rest as i64.
        for w in range(t.n_words):
            ty = "ptr" if w < 2 else "i64"
            lines.append(f"  %a{i}.w{w}.p = getelementptr inbounds i64, ptr %a{i}.p, i64 {w}")
            lines.append(f"  %a{i}.w{w} = load {ty}, ptr %a{i}.w{w}.p, align 8")
            call_args.append(f"{ty} %a{i}.w{w}")
    ret = sig.llvm_return
    call = f"call {ret} %fn({', '.join(call_args)})"
    lines.append(f"  {call}" if ret == "void" else f"  %r = {call}")
    n = len(sig.args)
    for j, t in enumerate(sig.results):
        lines.append(f"  %r{j}.pp = getelementptr inbounds ptr, ptr %slots, i64 {n + j}")
        lines.append(f"  %r{j}.p = load ptr, ptr %r{j}.pp, align 8")
        value = "%r" if len(sig.results) == 1 else f"%r{j}"
        if len(sig.results) > 1:
            lines.append(f"  %r{j} = extractvalue {ret} %r, {j}")
        lines.append(f"  store {t.llvm} {value}, ptr %r{j}.p, align 8")
    lines += ["  ret void", "}", ""]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------
# The Python side.

# memoryview formats of the scalar cells; every cell is 8 bytes wide and 8-aligned.
_FORMAT: dict[str, str] = {
    "i1": "?",
    "i8": "b",
    "i16": "h",
    "i32": "i",
    "i64": "q",
    "index": "q",
    "f32": "f",
    "f64": "d",
}


_VIEW = {"?": "v_bool", "b": "v_b", "h": "v_h", "i": "v_i", "q": "v_q", "f": "v_f", "d": "v_d"}


class _Scratch:
    """Per-call storage: one 8-byte cell per scalar, a descriptor per memref, the slot array.

    Scalars are written through typed memoryviews over one buffer: `v_q[k]` is cell k as an
    int64, `v_d[k]` the same cell as a double, so a store is one setitem that also
    range-checks the value.
    """

    __slots__ = ("buf", "descs", "slots", "addr", "cell", "cell_addr", *(_VIEW[f] for f in _VIEW))

    def __init__(self, sig: Signature) -> None:
        values = list(sig.args) + list(sig.results)
        n = max(1, len(values))
        self.buf = (ctypes.c_int64 * n)()
        raw = memoryview(self.buf).cast("B")
        for fmt, attr in _VIEW.items():
            setattr(self, attr, raw.cast(fmt))
        self.descs: list[Any] = []
        self.slots = (ctypes.c_void_p * n)()
        base = ctypes.addressof(self.buf)
        for i, t in enumerate(values):
            if isinstance(t, ScalarType):
                self.descs.append(None)
                self.slots[i] = base + 8 * i
            else:
                desc = (ctypes.c_int64 * t.n_words)()
                self.descs.append(desc)
                self.slots[i] = ctypes.addressof(desc)
        self.addr = ctypes.addressof(self.slots)
        self.cell: Any = None  # the guard's call cell for this scratch, when guarded
        self.cell_addr = 0


def _cell(t: ScalarType, k: int) -> str:
    """Python expression for cell k of scratch `s` viewed as type t."""
    fmt = _FORMAT[str(t)]
    index = k * 8 // ctypes.sizeof(_SIZE[fmt])
    return f"s.{_VIEW[fmt]}[{index}]"


_SIZE = {
    "?": ctypes.c_bool,
    "b": ctypes.c_int8,
    "h": ctypes.c_int16,
    "i": ctypes.c_int32,
    "q": ctypes.c_int64,
    "f": ctypes.c_float,
    "d": ctypes.c_double,
}


class _GlobalOwner:
    """Base object of an array viewing module-owned memory: keeps the module loaded."""

    __slots__ = ("__array_interface__", "keepalive")

    def __init__(self, interface: dict[str, Any], keepalive: Any) -> None:
        self.__array_interface__ = interface
        self.keepalive = keepalive


class _HeapOwner:
    """Base object of an array the native code malloc'd: frees it when the array dies."""

    __slots__ = ("__array_interface__", "allocated", "free")

    def __init__(self, interface: dict[str, Any], allocated: int, free: Callable) -> None:
        self.__array_interface__ = interface
        self.allocated = allocated
        self.free = free

    def __del__(self) -> None:
        self.free(self.allocated)


def pack_memref(t: MemRefType, desc: Any, value: Any, pos: int) -> tuple[Any, Any]:
    """Fill `desc` from `value`; returns (array passed, array to copy back into or None)."""
    import numpy as np

    if isinstance(value, np.ndarray):
        arr = value
        if arr.dtype != t.element.dtype:
            raise TypeError(
                f"argument {pos}: expected {t} (dtype {t.element.dtype}), "
                f"got an array of dtype {arr.dtype}"
            )
    else:
        arr = np.asarray(value, dtype=t.element.dtype)
    if arr.ndim != t.rank:
        raise TypeError(f"argument {pos}: expected {t}, got an array of rank {arr.ndim}")
    for d, (want, got) in enumerate(zip(t.shape, arr.shape, strict=True)):
        if want is not None and want != got:
            raise TypeError(f"argument {pos}: expected {t}, got shape {arr.shape} (dim {d})")
    item = arr.itemsize
    copy_back = None
    strides = [s // item for s in arr.strides]
    layout_ok = all(s % item == 0 for s in arr.strides)
    if t.strides is None:
        layout_ok = layout_ok and arr.flags.c_contiguous
    else:
        layout_ok = layout_ok and all(
            w is None or w == s or n <= 1
            for w, s, n in zip(t.strides, strides, arr.shape, strict=True)
        )
    if not layout_ok:
        # The function's type promises a layout this view lacks: pass a contiguous copy and
        # copy it back afterwards so writes still land in the caller's array.
        if t.strides is not None and any(w is not None for w in t.strides):
            raise TypeError(f"argument {pos}: array strides {arr.strides} do not match {t}")
        tmp = np.ascontiguousarray(arr)
        if arr.flags.writeable and isinstance(value, np.ndarray):
            copy_back = arr
        arr = tmp
        strides = [s // item for s in arr.strides]
    offset = 0 if t.strides is None or t.offset is None else t.offset
    ptr = arr.ctypes.data
    base = ptr - offset * item
    if arr.size == 0 or t.strides is None:
        # Identity layout: upstream's strides are the row-major ones, whatever numpy says for
        # size-0 or size-1 dimensions.
        strides = list(_row_major(arr.shape))
    desc[:] = [base, base, offset, *arr.shape, *strides]
    return arr, copy_back


def _numpy_if(sig: Signature) -> Any:
    """numpy, when the signature has a memref (scalar-only callers never import it)."""
    if any(isinstance(t, MemRefType) for t in sig.args + sig.results):
        import numpy

        return numpy
    return None


def _row_major(shape: tuple[int, ...]) -> tuple[int, ...]:
    out, acc = [], 1
    for d in reversed(shape):
        out.append(acc)
        acc *= d
    return tuple(reversed(out))


def unpack_memref(
    t: MemRefType,
    desc: Any,
    inputs: list[tuple[int, Any]],
    owners: dict,
    keepalive: Any,
    free: Callable,
) -> np.ndarray:
    """Wrap a returned descriptor as a numpy array with the right owner (see module doc)."""
    import numpy as np

    words = list(desc)
    allocated = words[0] & 0xFFFFFFFFFFFFFFFF
    aligned = words[1] & 0xFFFFFFFFFFFFFFFF
    offset = words[2]
    shape = tuple(words[3 : 3 + t.rank])
    item = t.element.dtype.itemsize
    strides = tuple(s * item for s in words[3 + t.rank : 3 + 2 * t.rank])
    interface = {
        "version": 3,
        "shape": shape,
        "typestr": t.element.dtype.str,
        "data": (aligned + offset * item, False),
        "strides": strides,
    }
    owner = owners.get(allocated)
    known = getattr(keepalive, "global_addresses", {})
    if allocated == GLOBAL_ALLOCATED_PTR or known.get(allocated):
        # A memref.global: possibly a constant in read-only memory, so never writable here.
        interface["data"] = (aligned + offset * item, True)
    if owner is None:
        for ptr, arr in inputs:
            if ptr == allocated:
                # The result aliases an argument (returned or a subview of it).
                owner = arr
                break
    if owner is None:
        if allocated == GLOBAL_ALLOCATED_PTR or allocated == 0 or allocated in known:
            owner = keepalive
        else:
            # Heap memory the callee allocated: the array owns it from now on. A single
            # owner per allocated pointer, so returning one buffer twice frees it once.
            owner = _HeapOwner(
                {"version": 3, "shape": (0,), "typestr": "|u1", "data": (allocated, False)},
                allocated,
                free,
            )
        owners[allocated] = owner
    return np.asarray(_GlobalOwner(interface, owner))


def make_caller(
    sig: Signature,
    fn_addr: int,
    keepalive: Any,
    free: Callable,
    entry: Callable[[int], Any] | None = None,
    invoke: Callable[[int, int, tuple], None] | None = None,
    trampoline: Callable[[int, int], int] | None = None,
    prepare: Callable[[], Any] | None = None,
    on_fault: Callable[[int, tuple], Any] | None = None,
    cell_trampoline: Callable[[int], int] | None = None,
    make_cell: Callable[[int, int], Any] | None = None,
) -> Callable[..., Any]:
    """A Python function `f(*args)` for `sig`.

    It calls one of:
    - `entry(slots_addr)`: a ctypes function of the packed entry (the unguarded path);
    - `trampoline(fn_addr, slots_addr) -> code` (the crash guard's ctypes trampoline), after
      `prepare()`; a non-zero code calls `on_fault(code, args)`, which raises;
    - `cell_trampoline(cell_addr) -> code`: the guard's one-pointer trampoline; each scratch
      gets its cell from `make_cell(fn_addr, slots_addr)` once, so a call passes one pointer
      and does no timeout bookkeeping in Python; a non-zero code calls `on_fault`;
    - `invoke(fn_addr, slots_addr, args)`: any Python callable that raises on a fault.

    The body is generated per signature, as `collections.namedtuple` does, so a scalar call
    is a few typed stores and one ctypes call, with no per-argument dispatch at call time.
    """
    if sum(x is not None for x in (entry, invoke, trampoline, cell_trampoline)) != 1:
        raise ValueError("make_caller needs one of entry=, invoke=, trampoline=, cell_trampoline=")
    pool: list[_Scratch] = []
    nargs = len(sig.args)
    params = ", ".join(f"a{i}" for i in range(nargs))
    body: list[str] = []
    for i, t in enumerate(sig.args):
        if isinstance(t, ScalarType):
            body.append(f"{_cell(t, i)} = a{i}")
        else:
            body.append(f"arr{i}, back{i} = _pack(_t[{i}], s.descs[{i}], a{i}, {i})")
    args_tuple = f"({params}{',' if nargs == 1 else ''})"
    if entry is not None:
        body.append("_entry(s.addr)")
    elif cell_trampoline is not None:
        body.append("code = _ctramp(s.cell_addr)")
        body.append(f"if code: _on_fault(code, {args_tuple})")
    elif trampoline is not None:
        if prepare is not None:
            body.append("_prepare()")
        body.append("code = _tramp(_fn, s.addr)")
        body.append(f"if code: _on_fault(code, {args_tuple})")
    else:
        body.append(f"_invoke(_fn, s.addr, ({params}{',' if nargs == 1 else ''}))")
    for i, t in enumerate(sig.args):
        if isinstance(t, MemRefType):
            body.append(f"if back{i} is not None: _np.copyto(back{i}, arr{i})")
    if any(isinstance(t, MemRefType) for t in sig.results):
        ins = ", ".join(
            f"(arr{i}.ctypes.data, arr{i})"
            for i, t in enumerate(sig.args)
            if isinstance(t, MemRefType)
        )
        body.append(f"ins = [{ins}]")
        body.append("owners = {}")
    outs: list[str] = []
    for j, t in enumerate(sig.results):
        k = nargs + j
        if isinstance(t, ScalarType):
            outs.append(_cell(t, k))
        else:
            outs.append(f"_unpack(_t[{k}], s.descs[{k}], ins, owners, _keep, _free)")
    if not outs:
        ret = "None"
    elif len(outs) == 1:
        ret = outs[0]
    else:
        ret = "(" + ", ".join(outs) + ")"
    body.append(f"return {ret}")
    src = "\n".join(
        [
            f"def call({params}):",
            "    try:",
            "        s = _pop()",
            "    except IndexError:",
            "        s = _new()",
            "    try:",
            *("        " + line for line in body),
            "    finally:",
            "        _push(s)",
        ]
    )
    namespace: dict[str, Any] = {
        "_pop": pool.pop,
        "_push": pool.append,
        "_new": (lambda: _Scratch(sig)) if make_cell is None else (lambda: _celled(sig)),
        "_ctramp": cell_trampoline,
        "_entry": entry,
        "_invoke": invoke,
        "_tramp": trampoline,
        "_prepare": prepare,
        "_on_fault": on_fault,
        "_fn": fn_addr,
        "_t": list(sig.args) + list(sig.results),
        "_pack": pack_memref,
        "_unpack": unpack_memref,
        "_np": _numpy_if(sig),
        "_keep": keepalive,
        "_free": free,
    }

    def _celled(sig: Signature) -> _Scratch:
        scratch = _Scratch(sig)
        assert make_cell is not None
        scratch.cell = make_cell(fn_addr, scratch.addr)
        scratch.cell_addr = ctypes.addressof(scratch.cell)
        return scratch

    exec(compile(src, f"<neurojit caller {sig.name}>", "exec"), namespace)
    call = namespace["call"]
    call.__name__ = sig.name
    call.__qualname__ = sig.name
    call.__doc__ = f"@{sig.name} : {sig}"
    call.__neurojit_source__ = src
    return call
