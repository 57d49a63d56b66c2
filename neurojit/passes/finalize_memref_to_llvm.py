"""`finalize-memref-to-llvm`: memref ops on upstream's ranked descriptor.

Mirrors upstream's mlir/lib/Conversion/MemRefToLLVM/MemRefToLLVM.cpp. A memref of rank R is
`!llvm.struct<(ptr, ptr, i64, array<R x i64>, array<R x i64>)>`: allocated pointer, aligned
pointer, offset, sizes, strides (in elements). Static offsets and strides from the type are
used as constants, so address arithmetic folds where the layout is known; dynamic ones are
read from the descriptor. Globals are flat arrays (same bytes as upstream's nested arrays).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from xdsl.context import Context
from xdsl.dialects import arith, builtin, llvm, memref
from xdsl.dialects.builtin import (
    DYNAMIC_INDEX,
    AnyFloat,
    IntegerAttr,
    IntegerType,
    MemRefType,
    NoneAttr,
    StridedLayoutAttr,
    UnitAttr,
)
from xdsl.ir import Attribute, Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import PatternRewriter, RewritePattern, op_type_rewrite_pattern

from neurojit.passes.llvm_lowering_utils import (
    I64,
    PTR,
    apply_once,
    binop,
    constant,
    conversion,
    convert_type,
    declare_functions,
    descriptor_for_rank,
    element_type,
    gep,
    load,
    pos,
    replace_results,
    store,
    unsupported,
)

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


@dataclass
class MemRefPattern(RewritePattern):
    """Base of the patterns: they share what each lowered memref value's type was.

    Lowering retypes a memref value into its descriptor in place, so a later consumer reads
    the source type here; values not lowered yet (block arguments, call results) still carry it.
    """

    known: dict[SSAValue, MemRefType] = field(default_factory=dict)
    declarations: dict[str, llvm.LLVMFunctionType] = field(default_factory=dict)

    def memref_type(self, value: SSAValue, op: Operation) -> MemRefType:
        t = value.type
        if isinstance(t, MemRefType):
            return t
        found = self.known.get(value)
        if found is None:
            raise unsupported(op, f"operand of type {t} is not a ranked memref")
        return found

    def produce(self, op: Operation, desc: SSAValue, t: MemRefType) -> None:
        self.known[desc] = t
        replace_results(op, [desc])


@dataclass
class AllocLowering(MemRefPattern):
    """`memref.alloc` -> `malloc` (over-allocated for `alignment`); `alloca` -> `llvm.alloca`."""

    @op_type_rewrite_pattern
    def match_and_rewrite(
        self, op: memref.AllocOp | memref.AllocaOp, rewriter: PatternRewriter, /
    ) -> None:
        t = op.memref.type
        assert isinstance(t, MemRefType)
        if not isinstance(t.layout, NoneAttr):
            raise unsupported(op, "only the identity layout can be allocated")
        el = element_type(t, op)
        r = rewriter
        sizes = mixed(t.get_shape(), list(op.dynamic_sizes))
        strides, count = row_major(r, sizes)
        align = op.alignment.value.data if op.alignment is not None else 0
        if isinstance(op, memref.AllocaOp):
            alloca = llvm.AllocaOp(mat(r, count), el, alignment=align)
            r.insert(alloca)
            allocated = aligned = alloca.res
        else:
            nbytes = mul(r, count, byte_size(el))
            if align > 1:
                nbytes = add(r, nbytes, align)
            self.declarations["malloc"] = llvm.LLVMFunctionType([I64], PTR)
            call = llvm.CallOp("malloc", mat(r, nbytes), return_type=PTR)
            r.insert(call)
            assert call.returned is not None
            allocated = aligned = call.returned
            if align > 1:
                # aligned = (p + align - 1) & -align, computed on the integer address
                as_int = llvm.PtrToIntOp(allocated, I64)
                r.insert(as_int)
                bumped = add(r, as_int.output, align - 1)
                masked = binop(llvm.AndOp, mat(r, bumped), constant(r, -align), I64)
                back = llvm.IntToPtrOp(masked.results[0])
                r.insert([masked, back])
                aligned = back.output
        desc = build_descriptor(r, len(sizes), allocated, aligned, 0, sizes, strides)
        self.produce(op, desc, t)


@dataclass
class DeallocLowering(MemRefPattern):
    """`memref.dealloc` -> `free(allocated pointer)`."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: memref.DeallocOp, rewriter: PatternRewriter, /) -> None:
        self.memref_type(op.memref, op)
        self.declarations["free"] = llvm.LLVMFunctionType([PTR], None)
        call = llvm.CallOp("free", extract(rewriter, op.memref, PTR, 0))
        call.location = op.location  # neurojit-check-heap reports an invalid free here
        rewriter.insert(call)
        replace_results(op, [])


@dataclass
class LoadLowering(MemRefPattern):
    """`memref.load` -> address computation + `llvm.load`."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: memref.LoadOp, rewriter: PatternRewriter, /) -> None:
        t = self.memref_type(op.memref, op)
        ptr = element_pointer(rewriter, t, op.memref, list(op.indices), op)
        value = load(ptr, element_type(t, op))
        rewriter.insert(value)
        replace_results(op, [value.results[0]])


@dataclass
class StoreLowering(MemRefPattern):
    """`memref.store` -> address computation + `llvm.store`."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: memref.StoreOp, rewriter: PatternRewriter, /) -> None:
        t = self.memref_type(op.memref, op)
        ptr = element_pointer(rewriter, t, op.memref, list(op.indices), op)
        rewriter.insert(store(op.value, ptr))
        replace_results(op, [])


def constant_index(value: SSAValue) -> int | None:
    owner = value.owner
    if isinstance(owner, llvm.ConstantOp | arith.ConstantOp) and isinstance(
        owner.value, IntegerAttr
    ):
        return owner.value.value.data
    return None


@dataclass
class DimLowering(MemRefPattern):
    """`memref.dim`: a constant for static dims, else the descriptor's size field."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: memref.DimOp, rewriter: PatternRewriter, /) -> None:
        t = self.memref_type(op.source, op)
        r = rewriter
        rank = len(t.shape)
        index = constant_index(op.index)
        if index is not None and 0 <= index < rank:
            size = t.get_shape()[index]
            replace_results(
                op,
                [
                    constant(r, size)
                    if size != DYNAMIC_INDEX
                    else extract(r, op.source, I64, 3, index)
                ],
            )
            return
        # Dynamic index: spill the sizes array and index it, as upstream does.
        arr_t = llvm.LLVMArrayType(rank, I64)
        slot = llvm.AllocaOp(constant(r, 1), arr_t, alignment=8)
        r.insert(slot)
        r.insert(llvm.StoreOp(extract(r, op.source, arr_t, 3), slot.res))
        entry = llvm.GEPOp(slot.res, [0, llvm.GEP_USE_SSA_VAL], arr_t, ssa_indices=[op.index])
        size = llvm.LoadOp(entry.result, I64)
        r.insert([entry, size])
        replace_results(op, [size.dereferenced_value])


@dataclass
class RankLowering(MemRefPattern):
    """`memref.rank` of a ranked memref is a constant."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: memref.RankOp, rewriter: PatternRewriter, /) -> None:
        t = self.memref_type(op.source, op)
        replace_results(op, [constant(rewriter, len(t.shape))])


@dataclass
class GlobalLowering(MemRefPattern):
    """`memref.global` -> `llvm.mlir.global` over a flat array of the element type."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: memref.GlobalOp, rewriter: PatternRewriter, /) -> None:
        t = op.type
        el = element_type(t, op)
        shape = t.get_shape()
        if any(d == DYNAMIC_INDEX for d in shape):
            raise unsupported(op, "a global needs a static shape")
        count = 1
        for d in shape:
            count *= d
        global_type: Attribute = llvm.LLVMArrayType(count, el) if shape else el
        value = op.initial_value
        init = None if isinstance(value, UnitAttr) else value
        linkage = "internal" if op.sym_visibility.data == "private" else "external"
        new = llvm.GlobalOp(
            global_type,
            op.sym_name,
            linkage,
            constant=True if op.constant is not None else None,
            value=init,
            alignment=op.alignment.value.data if op.alignment is not None else None,
        )
        rewriter.replace(op, new)


@dataclass
class GetGlobalLowering(MemRefPattern):
    """`memref.get_global` -> `llvm.mlir.addressof` wrapped in a static descriptor."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: memref.GetGlobalOp, rewriter: PatternRewriter, /) -> None:
        t = op.memref.type
        assert isinstance(t, MemRefType)
        r = rewriter
        addr = llvm.AddressOfOp(op.name_, PTR)
        r.insert(addr)
        sizes: list[Val] = list(t.get_shape())
        strides, _ = row_major(r, sizes)
        desc = build_descriptor(r, len(sizes), addr.result, addr.result, 0, sizes, strides)
        self.produce(op, desc, t)


@dataclass
class CastLowering(MemRefPattern):
    """Ranked-to-ranked `memref.cast` keeps the descriptor as it is."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: memref.CastOp, rewriter: PatternRewriter, /) -> None:
        self.memref_type(op.source, op)
        dest = op.dest.type
        if not isinstance(dest, MemRefType):
            raise unsupported(op, "unranked memrefs are not supported")
        # Same descriptor, new static type: later consumers must see the cast's type.
        replace_results(op, [op.source])
        if not isinstance(op.source.type, MemRefType):
            self.known[op.source] = dest


def kept_dims(source_shape: tuple[int, ...], sizes: list[Val], result_rank: int) -> list[int]:
    """Which source dims a (possibly rank-reducing) subview keeps: drop leading unit dims."""
    rank = len(source_shape)
    kept: list[int] = []
    for i in range(rank):
        remaining_src = rank - i
        remaining_res = result_rank - len(kept)
        if remaining_res == 0:
            break
        if remaining_src == remaining_res or sizes[i] != 1:
            kept.append(i)
    return kept


@dataclass
class SubviewLowering(MemRefPattern):
    """`memref.subview`: offset += sum(off_i * stride_i); stride_i *= step_i; new sizes."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: memref.SubviewOp, rewriter: PatternRewriter, /) -> None:
        src_t = self.memref_type(op.source, op)
        res_t = op.result.type
        assert isinstance(res_t, MemRefType)
        r = rewriter
        src_strides, offset = descriptor_layout(r, src_t, op.source, op)
        offsets = mixed(op.static_offsets.get_values(), list(op.offsets))
        sizes = mixed(op.static_sizes.get_values(), list(op.sizes))
        steps = mixed(op.static_strides.get_values(), list(op.strides))
        for o, s in zip(offsets, src_strides, strict=True):
            offset = add(r, offset, mul(r, o, s))
        res_strides, res_offset = layout_of(res_t, op)
        if res_offset is not None:
            offset = res_offset  # the verified result type fixes it; no arithmetic needed
        kept = kept_dims(src_t.get_shape(), sizes, len(res_t.shape))
        new_sizes = [sizes[i] for i in kept]
        new_strides: list[Val] = []
        for j, i in enumerate(kept):
            static = res_strides[j]
            new_strides.append(static if static is not None else mul(r, src_strides[i], steps[i]))
        allocated = extract(r, op.source, PTR, 0)
        aligned = extract(r, op.source, PTR, 1)
        desc = build_descriptor(r, len(kept), allocated, aligned, offset, new_sizes, new_strides)
        self.produce(op, desc, res_t)


@dataclass
class ReinterpretCastLowering(MemRefPattern):
    """`memref.reinterpret_cast`: the source's pointers with the given offset/sizes/strides."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: memref.ReinterpretCastOp, rewriter: PatternRewriter, /) -> None:
        r = rewriter
        offsets = mixed(op.static_offsets.get_values(), list(op.offsets))
        sizes = mixed(op.static_sizes.get_values(), list(op.sizes))
        strides = mixed(op.static_strides.get_values(), list(op.strides))
        allocated = extract(r, op.source, PTR, 0)
        aligned = extract(r, op.source, PTR, 1)
        desc = build_descriptor(r, len(sizes), allocated, aligned, offsets[0], sizes, strides)
        res_t = op.result.type
        assert isinstance(res_t, MemRefType)
        self.produce(op, desc, res_t)


@dataclass
class ExtractAlignedPointerLowering(MemRefPattern):
    """`memref.extract_aligned_pointer_as_index` -> `ptrtoint` of the aligned pointer."""

    @op_type_rewrite_pattern
    def match_and_rewrite(
        self, op: memref.ExtractAlignedPointerAsIndexOp, rewriter: PatternRewriter, /
    ) -> None:
        as_int = llvm.PtrToIntOp(extract(rewriter, op.source, PTR, 1), I64)
        rewriter.insert(as_int)
        replace_results(op, [as_int.output])


@dataclass
class AssumeAlignmentLowering(MemRefPattern):
    """`memref.assume_alignment` only informs the optimiser: its result is its operand."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: memref.AssumeAlignmentOp, rewriter: PatternRewriter, /) -> None:
        t = self.memref_type(op.memref, op)
        self.produce(op, op.memref, t)


@dataclass
class MemorySpaceCastLowering(MemRefPattern):
    """`memref.memory_space_cast`: one address space on the CPU, so the same descriptor."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: memref.MemorySpaceCastOp, rewriter: PatternRewriter, /) -> None:
        self.memref_type(op.source, op)
        dest = op.dest.type
        if not isinstance(dest, MemRefType):
            raise unsupported(op, "unranked memrefs are not supported")
        self.produce(op, op.source, dest)


@dataclass
class ExtractStridedMetadataLowering(MemRefPattern):
    """`memref.extract_strided_metadata`: the descriptor's fields, base as a rank-0 memref."""

    @op_type_rewrite_pattern
    def match_and_rewrite(
        self, op: memref.ExtractStridedMetaDataOp, rewriter: PatternRewriter, /
    ) -> None:
        r = rewriter
        t = self.memref_type(op.source, op)
        strides, offset = descriptor_layout(r, t, op.source, op)
        sizes = descriptor_sizes(r, t, op.source)
        allocated = extract(r, op.source, PTR, 0)
        aligned = extract(r, op.source, PTR, 1)
        base = build_descriptor(r, 0, allocated, aligned, 0, [], [])
        base_t = op.base_buffer.type
        assert isinstance(base_t, MemRefType)
        self.known[base] = base_t
        values = [base, mat(r, offset), *(mat(r, v) for v in sizes)]
        values += [mat(r, v) for v in strides]
        replace_results(op, values)


@dataclass
class CopyLowering(MemRefPattern):
    """`memref.copy` between contiguous (identity-layout) memrefs -> `llvm.memcpy`."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: memref.CopyOp, rewriter: PatternRewriter, /) -> None:
        r = rewriter
        src_t = self.memref_type(op.source, op)
        dst_t = self.memref_type(op.destination, op)
        if not isinstance(src_t.layout, NoneAttr) or not isinstance(dst_t.layout, NoneAttr):
            raise unsupported(op, "only copies between identity-layout memrefs are supported")
        count: Val = 1
        for size in descriptor_sizes(r, src_t, op.source):
            count = mul(r, count, size)
        nbytes = mat(r, mul(r, count, byte_size(element_type(src_t, op))))
        src = extract(r, op.source, PTR, 1)
        dst = extract(r, op.destination, PTR, 1)
        volatile = constant(r, 0, IntegerType(1))
        r.insert(llvm.CallIntrinsicOp("llvm.memcpy.p0.p0.i64", [dst, src, nbytes, volatile], []))
        replace_results(op, [])


@dataclass
class AllocaScopeLowering(MemRefPattern):
    """`memref.alloca_scope`: inline the body between `llvm.stacksave` and `stackrestore`."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: memref.AllocaScopeOp, rewriter: PatternRewriter, /) -> None:
        block = op.parent_block()
        assert block is not None
        body = op.scope.first_block
        if body is None or len(op.scope.blocks) != 1:
            raise unsupported(op, "only single-block scopes are supported")
        save = llvm.CallIntrinsicOp("llvm.stacksave.p0", [], [PTR])
        rewriter.insert(save)
        assert save.ress is not None
        terminator = body.last_op
        assert isinstance(terminator, memref.AllocaScopeReturnOp)
        results = list(terminator.ops)
        restore = llvm.CallIntrinsicOp("llvm.stackrestore.p0", [save.ress], [])
        body.insert_op_before(restore, terminator)
        terminator.detach()
        terminator.erase()
        # The body's ops join the enclosing block right where the scope was.
        for inner in list(body.ops):
            inner.detach()
            block.insert_op_before(inner, op)
        replace_results(op, results)


def reassociation_groups(op: memref.CollapseShapeOp | memref.ExpandShapeOp) -> list[list[int]]:
    return [[int(i.value.data) for i in group.data] for group in op.reassociation.data]


@dataclass
class CollapseShapeLowering(MemRefPattern):
    """`memref.collapse_shape`: each group's size is the product, its stride the innermost's."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: memref.CollapseShapeOp, rewriter: PatternRewriter, /) -> None:
        r = rewriter
        src_t = self.memref_type(op.src, op)
        res_t = op.result.type
        assert isinstance(res_t, MemRefType)
        strides, offset = descriptor_layout(r, src_t, op.src, op)
        sizes = descriptor_sizes(r, src_t, op.src)
        res_shape = res_t.get_shape()
        new_sizes: list[Val] = []
        new_strides: list[Val] = []
        for j, group in enumerate(reassociation_groups(op)):
            size: Val = 1
            for i in group:
                size = mul(r, size, sizes[i])
            new_sizes.append(res_shape[j] if res_shape[j] != DYNAMIC_INDEX else size)
            new_strides.append(strides[group[-1]] if group else 1)
        allocated = extract(r, op.src, PTR, 0)
        aligned = extract(r, op.src, PTR, 1)
        desc = build_descriptor(
            r, len(new_sizes), allocated, aligned, offset, new_sizes, new_strides
        )
        self.produce(op, desc, res_t)


@dataclass
class ExpandShapeLowering(MemRefPattern):
    """`memref.expand_shape`: a group's dims take the source stride, scaled by inner sizes."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: memref.ExpandShapeOp, rewriter: PatternRewriter, /) -> None:
        r = rewriter
        src_t = self.memref_type(op.src, op)
        res_t = op.result.type
        assert isinstance(res_t, MemRefType)
        strides, offset = descriptor_layout(r, src_t, op.src, op)
        sizes = mixed(op.static_output_shape.get_values(), list(op.output_shape))
        new_strides: list[Val] = [1] * len(sizes)
        for src_dim, group in enumerate(reassociation_groups(op)):
            running: Val = strides[src_dim]
            for i in reversed(group):
                new_strides[i] = running
                running = mul(r, running, sizes[i])
        allocated = extract(r, op.src, PTR, 0)
        aligned = extract(r, op.src, PTR, 1)
        desc = build_descriptor(r, len(sizes), allocated, aligned, offset, sizes, new_strides)
        self.produce(op, desc, res_t)


@dataclass
class SelectLowering(MemRefPattern):
    """`arith.select` between memrefs -> `llvm.select` of the two descriptors."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: arith.SelectOp, rewriter: PatternRewriter, /) -> None:
        t = op.result.type
        if not isinstance(t, MemRefType):
            return
        self.memref_type(op.lhs, op)
        self.memref_type(op.rhs, op)
        new = llvm.SelectOp.create(
            operands=[op.cond, op.lhs, op.rhs], result_types=[descriptor_for_rank(len(t.shape))]
        )
        rewriter.insert(new)
        self.produce(op, new.results[0], t)


@dataclass
class ViewLowering(MemRefPattern):
    """`memref.view` of an i8 buffer: aligned + byte_shift, the result's sizes, row-major."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: memref.ViewOp, rewriter: PatternRewriter, /) -> None:
        r = rewriter
        self.memref_type(op.source, op)
        res_t = op.result.type
        assert isinstance(res_t, MemRefType)
        if not isinstance(res_t.layout, NoneAttr):
            raise unsupported(op, "only identity-layout views are supported")
        sizes = mixed(res_t.get_shape(), list(op.sizes))
        strides, _ = row_major(r, sizes)
        allocated = extract(r, op.source, PTR, 0)
        base = extract(r, op.source, PTR, 1)
        shifted = gep(base, op.byte_shift, IntegerType(8))
        r.insert(shifted)
        desc = build_descriptor(r, len(sizes), allocated, shifted.results[0], 0, sizes, strides)
        self.produce(op, desc, res_t)


MEMREF_PATTERNS: tuple[type[MemRefPattern], ...] = (
    ViewLowering,
    SelectLowering,
    CollapseShapeLowering,
    ExpandShapeLowering,
    AssumeAlignmentLowering,
    MemorySpaceCastLowering,
    ExtractStridedMetadataLowering,
    CopyLowering,
    AllocaScopeLowering,
    AllocLowering,
    DeallocLowering,
    LoadLowering,
    StoreLowering,
    DimLowering,
    RankLowering,
    GlobalLowering,
    GetGlobalLowering,
    CastLowering,
    SubviewLowering,
    ReinterpretCastLowering,
    ExtractAlignedPointerLowering,
)


@dataclass(frozen=True)
class FinalizeMemRefToLLVMPass(ModulePass):
    """Lower memref ops to llvm on upstream's descriptor, in one walk."""

    name = "finalize-memref-to-llvm"

    # False inside neurojit-lower-to-llvm: no boundary casts are needed there.
    standalone: bool = True

    def apply(self, ctx: Context, op: builtin.ModuleOp) -> None:
        with conversion(op, self.standalone):
            known: dict[SSAValue, MemRefType] = {}
            decls: dict[str, llvm.LLVMFunctionType] = {}
            apply_once(op, [p(known, decls) for p in MEMREF_PATTERNS])
            declare_functions(op, decls)


__all__ = ["FinalizeMemRefToLLVMPass", "convert_type"]
