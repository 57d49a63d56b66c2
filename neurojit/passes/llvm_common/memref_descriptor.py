"""Upstream's ranked memref descriptor, built and read: sizes, strides, element addresses.

A memref of rank R is `!llvm.struct<(ptr, ptr, i64, array<R x i64>, array<R x i64>)>`:
allocated pointer, aligned pointer, offset, sizes, strides (in elements). Static offsets and
strides from the type are Python ints, so address arithmetic folds where the layout is known.
Shared by `finalize-memref-to-llvm` and `convert-func-to-llvm` (memref arguments).
"""

from __future__ import annotations

from xdsl.dialects import llvm
from xdsl.dialects.builtin import (
    DYNAMIC_INDEX,
    AnyFloat,
    IntegerType,
    MemRefType,
    NoneAttr,
    StridedLayoutAttr,
)
from xdsl.ir import Attribute, Operation, SSAValue
from xdsl.pattern_rewriter import PatternRewriter

from neurojit.passes.llvm_common.build import binop, constant, gep, pos
from neurojit.passes.llvm_common.errors import unsupported
from neurojit.passes.llvm_common.types import I64, PTR, descriptor_for_rank, element_type

# A static value is a Python int; a dynamic one an SSA value. Folding on ints keeps the
# emitted address arithmetic to what the layout really needs.
Val = int | SSAValue


def byte_size(t: Attribute) -> int:
    """Store size in bytes of a scalar LLVM type (i1 takes a byte, as in LLVM)."""
    if isinstance(t, IntegerType):
        bits = max(8, t.width.data)
        size = 1
        while size * 8 < bits:
            size *= 2
        return size
    if isinstance(t, AnyFloat):
        return t.bitwidth // 8
    raise ValueError(f"no byte size for {t}")


def layout_of(t: MemRefType, op: Operation) -> tuple[list[int | None], int | None]:
    """Strides and offset of `t` (None where dynamic): row-major for the identity layout."""
    shape = t.get_shape()
    layout = t.layout
    if isinstance(layout, NoneAttr):
        strides: list[int | None] = []
        running: int | None = 1
        for dim in reversed(shape):
            strides.append(running)
            running = None if running is None or dim == DYNAMIC_INDEX else running * dim
        return list(reversed(strides)), 0
    if isinstance(layout, StridedLayoutAttr):
        out = [
            None if isinstance(s, NoneAttr) or s.data == DYNAMIC_INDEX else s.data
            for s in layout.strides.data
        ]
        off = layout.offset
        offset = None if isinstance(off, NoneAttr) or off.data == DYNAMIC_INDEX else off.data
        return out, offset
    raise unsupported(op, f"memref layout {layout} is not strided")


def mat(r: PatternRewriter, v: Val) -> SSAValue:
    return constant(r, v) if isinstance(v, int) else v


def add(r: PatternRewriter, a: Val, b: Val) -> Val:
    if isinstance(a, int) and isinstance(b, int):
        return a + b
    if a == 0:
        return b
    if b == 0:
        return a
    new = binop(llvm.AddOp, mat(r, a), mat(r, b), I64)
    r.insert(new)
    return new.results[0]


def mul(r: PatternRewriter, a: Val, b: Val) -> Val:
    if isinstance(a, int) and isinstance(b, int):
        return a * b
    if a == 1:
        return b
    if b == 1:
        return a
    if a == 0 or b == 0:
        return 0
    new = binop(llvm.MulOp, mat(r, a), mat(r, b), I64)
    r.insert(new)
    return new.results[0]


def extract(r: PatternRewriter, desc: SSAValue, ty: Attribute, *position: int) -> SSAValue:
    new = llvm.ExtractValueOp.create(
        operands=[desc], result_types=[ty], properties={"position": pos(*position)}
    )
    r.insert(new)
    return new.results[0]


def build_descriptor(
    r: PatternRewriter,
    rank: int,
    allocated: SSAValue,
    aligned: SSAValue,
    offset: Val,
    sizes: list[Val],
    strides: list[Val],
) -> SSAValue:
    """undef + insertvalue chain of a rank-`rank` descriptor."""
    ty = memref_descriptor_for_rank(rank)
    undef = llvm.UndefOp(ty)
    r.insert(undef)
    desc: SSAValue = undef.res
    fields: list[tuple[tuple[int, ...], SSAValue]] = [((0,), allocated), ((1,), aligned)]
    fields.append(((2,), mat(r, offset)))
    fields += [((3, i), mat(r, s)) for i, s in enumerate(sizes)]
    fields += [((4, i), mat(r, s)) for i, s in enumerate(strides)]
    for position, value in fields:
        ins = llvm.InsertValueOp.create(
            operands=[desc, value], result_types=[ty], properties={"position": pos(*position)}
        )
        r.insert(ins)
        desc = ins.results[0]
    return desc


def view_descriptor(
    r: PatternRewriter, source: SSAValue, offset: Val, sizes: list[Val], strides: list[Val]
) -> SSAValue:
    """A descriptor of `source`'s buffer (its two pointers) with a new offset, sizes and
    strides: what every view op (subview, reinterpret_cast, reshapes) builds."""
    allocated = extract(r, source, PTR, 0)
    aligned = extract(r, source, PTR, 1)
    return build_descriptor(r, len(sizes), allocated, aligned, offset, sizes, strides)


def memref_descriptor_for_rank(rank: int) -> llvm.LLVMStructType:
    return descriptor_for_rank(rank)


def descriptor_layout(
    r: PatternRewriter, t: MemRefType, desc: SSAValue, op: Operation
) -> tuple[list[Val], Val]:
    """Strides and offset of a descriptor: constants where the type fixes them."""
    strides, offset = layout_of(t, op)
    out: list[Val] = [
        s if s is not None else extract(r, desc, I64, 4, i) for i, s in enumerate(strides)
    ]
    off: Val = offset if offset is not None else extract(r, desc, I64, 2)
    return out, off


def descriptor_sizes(r: PatternRewriter, t: MemRefType, desc: SSAValue) -> list[Val]:
    return [
        d if d != DYNAMIC_INDEX else extract(r, desc, I64, 3, i)
        for i, d in enumerate(t.get_shape())
    ]


def element_pointer(
    r: PatternRewriter, t: MemRefType, desc: SSAValue, indices: list[SSAValue], op: Operation
) -> SSAValue:
    """Address of `desc[indices]`: aligned + offset + sum(index_i * stride_i), in elements."""
    el = element_type(t, op)
    strides, linear = descriptor_layout(r, t, desc, op)
    for index, stride in zip(indices, strides, strict=True):
        linear = add(r, linear, mul(r, index, stride))
    aligned = extract(r, desc, PTR, 1)
    if linear == 0:
        return aligned
    address = gep(aligned, mat(r, linear), el)
    r.insert(address)
    return address.results[0]


def mixed(static: tuple[int, ...], dynamic: list[SSAValue]) -> list[Val]:
    """Merge a static list holding DYNAMIC_INDEX placeholders with its dynamic operands."""
    it = iter(dynamic)
    return [next(it) if s == DYNAMIC_INDEX else s for s in static]


def row_major(r: PatternRewriter, sizes: list[Val]) -> tuple[list[Val], Val]:
    """Row-major strides and the element count for `sizes`."""
    strides: list[Val] = []
    running: Val = 1
    for size in reversed(sizes):
        strides.append(running)
        running = mul(r, running, size)
    return list(reversed(strides)), running
