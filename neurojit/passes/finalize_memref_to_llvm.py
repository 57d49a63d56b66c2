"""`finalize-memref-to-llvm`: memref ops on upstream's ranked descriptor.

Mirrors upstream's mlir/lib/Conversion/MemRefToLLVM/MemRefToLLVM.cpp. A memref of rank R is
`!llvm.struct<(ptr, ptr, i64, array<R x i64>, array<R x i64>)>`: allocated pointer, aligned
pointer, offset, sizes, strides (in elements). Static offsets and strides from the type are
used as constants, so address arithmetic folds where the layout is known; dynamic ones are
read from the descriptor. Globals are flat arrays (same bytes as upstream's nested arrays).
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.dialects import arith, llvm, memref
from xdsl.dialects.builtin import (
    DYNAMIC_INDEX,
    IntegerAttr,
    IntegerType,
    MemRefType,
    NoneAttr,
    UnitAttr,
)
from xdsl.ir import Attribute, Operation, SSAValue
from xdsl.pattern_rewriter import PatternRewriter
from xdsl.rewriter import InsertPoint

from neurojit.passes.llvm_common.build import (
    binop,
    constant,
    gep,
    load,
    store,
)
from neurojit.passes.llvm_common.driver import (
    LoweringPass,
    LoweringPattern,
    op_pattern,
)
from neurojit.passes.llvm_common.errors import unsupported
from neurojit.passes.llvm_common.memref_descriptor import (
    Val,
    add,
    build_descriptor,
    byte_size,
    descriptor_layout,
    descriptor_sizes,
    element_pointer,
    extract,
    layout_of,
    mat,
    mixed,
    mul,
    row_major,
    view_descriptor,
)
from neurojit.passes.llvm_common.types import (
    I64,
    PTR,
    convert_type,
    descriptor_for_rank,
    element_type,
)


class MemRefPattern(LoweringPattern):
    """Base of the patterns: they share (in the state) what each lowered memref value's type
    was. Lowering retypes a memref value into its descriptor, so a later consumer reads the
    source type there; values not lowered yet (block arguments, call results) still carry it.
    """

    def memref_type(self, value: SSAValue, op: Operation) -> MemRefType:
        t = value.type
        if isinstance(t, MemRefType):
            return t
        found = self.state.memref_types.get(value)
        if found is None:
            raise unsupported(op, f"operand of type {t} is not a ranked memref")
        return found

    def produce(self, op: Operation, desc: SSAValue, t: MemRefType) -> None:
        self.state.memref_types[desc] = t
        self.state.replace_results(op, [desc])


class AllocLowering(MemRefPattern):
    """`memref.alloc` -> `malloc` (over-allocated for `alignment`); `alloca` -> `llvm.alloca`."""

    @op_pattern
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
            self.state.declarations["malloc"] = llvm.LLVMFunctionType([I64], PTR)
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


class DeallocLowering(MemRefPattern):
    """`memref.dealloc` -> `free(allocated pointer)`."""

    @op_pattern
    def match_and_rewrite(self, op: memref.DeallocOp, rewriter: PatternRewriter, /) -> None:
        self.memref_type(op.memref, op)
        self.state.declarations["free"] = llvm.LLVMFunctionType([PTR], None)
        call = llvm.CallOp("free", extract(rewriter, op.memref, PTR, 0))
        call.location = op.location  # neurojit-check-heap reports an invalid free here
        rewriter.insert(call)
        self.state.replace_results(op, [])


class LoadLowering(MemRefPattern):
    """`memref.load` -> address computation + `llvm.load`."""

    @op_pattern
    def match_and_rewrite(self, op: memref.LoadOp, rewriter: PatternRewriter, /) -> None:
        t = self.memref_type(op.memref, op)
        ptr = element_pointer(rewriter, t, op.memref, list(op.indices), op)
        value = load(ptr, element_type(t, op))
        self.replace_with(op, value, rewriter)


class StoreLowering(MemRefPattern):
    """`memref.store` -> address computation + `llvm.store`."""

    @op_pattern
    def match_and_rewrite(self, op: memref.StoreOp, rewriter: PatternRewriter, /) -> None:
        t = self.memref_type(op.memref, op)
        ptr = element_pointer(rewriter, t, op.memref, list(op.indices), op)
        rewriter.insert(store(op.value, ptr))
        self.state.replace_results(op, [])


def constant_index(value: SSAValue) -> int | None:
    owner = value.owner
    if isinstance(owner, llvm.ConstantOp | arith.ConstantOp) and isinstance(
        owner.value, IntegerAttr
    ):
        return owner.value.value.data
    return None


class DimLowering(MemRefPattern):
    """`memref.dim`: a constant for static dims, else the descriptor's size field."""

    @op_pattern
    def match_and_rewrite(self, op: memref.DimOp, rewriter: PatternRewriter, /) -> None:
        t = self.memref_type(op.source, op)
        r = rewriter
        rank = len(t.shape)
        index = constant_index(op.index)
        if index is not None and 0 <= index < rank:
            size = t.get_shape()[index]
            self.state.replace_results(
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
        self.state.replace_results(op, [size.dereferenced_value])


class RankLowering(MemRefPattern):
    """`memref.rank` of a ranked memref is a constant."""

    @op_pattern
    def match_and_rewrite(self, op: memref.RankOp, rewriter: PatternRewriter, /) -> None:
        t = self.memref_type(op.source, op)
        self.state.replace_results(op, [constant(rewriter, len(t.shape))])


class GlobalLowering(MemRefPattern):
    """`memref.global` -> `llvm.mlir.global` over a flat array of the element type."""

    @op_pattern
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


class GetGlobalLowering(MemRefPattern):
    """`memref.get_global` -> `llvm.mlir.addressof` wrapped in a static descriptor."""

    @op_pattern
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


class CastLowering(MemRefPattern):
    """Ranked-to-ranked `memref.cast` keeps the descriptor as it is."""

    @op_pattern
    def match_and_rewrite(self, op: memref.CastOp, rewriter: PatternRewriter, /) -> None:
        self.memref_type(op.source, op)
        dest = op.dest.type
        if not isinstance(dest, MemRefType):
            raise unsupported(op, "unranked memrefs are not supported")
        # Same descriptor, new static type: later consumers must see the cast's type.
        self.state.replace_results(op, [op.source])
        if not isinstance(op.source.type, MemRefType):
            self.state.memref_types[op.source] = dest


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


class SubviewLowering(MemRefPattern):
    """`memref.subview`: offset += sum(off_i * stride_i); stride_i *= step_i; new sizes."""

    @op_pattern
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
        desc = view_descriptor(r, op.source, offset, new_sizes, new_strides)
        self.produce(op, desc, res_t)


class ReinterpretCastLowering(MemRefPattern):
    """`memref.reinterpret_cast`: the source's pointers with the given offset/sizes/strides."""

    @op_pattern
    def match_and_rewrite(self, op: memref.ReinterpretCastOp, rewriter: PatternRewriter, /) -> None:
        r = rewriter
        offsets = mixed(op.static_offsets.get_values(), list(op.offsets))
        sizes = mixed(op.static_sizes.get_values(), list(op.sizes))
        strides = mixed(op.static_strides.get_values(), list(op.strides))
        desc = view_descriptor(r, op.source, offsets[0], sizes, strides)
        res_t = op.result.type
        assert isinstance(res_t, MemRefType)
        self.produce(op, desc, res_t)


class ExtractAlignedPointerLowering(MemRefPattern):
    """`memref.extract_aligned_pointer_as_index` -> `ptrtoint` of the aligned pointer."""

    @op_pattern
    def match_and_rewrite(
        self, op: memref.ExtractAlignedPointerAsIndexOp, rewriter: PatternRewriter, /
    ) -> None:
        as_int = llvm.PtrToIntOp(extract(rewriter, op.source, PTR, 1), I64)
        rewriter.insert(as_int)
        self.state.replace_results(op, [as_int.output])


class AssumeAlignmentLowering(MemRefPattern):
    """`memref.assume_alignment` only informs the optimiser: its result is its operand."""

    @op_pattern
    def match_and_rewrite(self, op: memref.AssumeAlignmentOp, rewriter: PatternRewriter, /) -> None:
        t = self.memref_type(op.memref, op)
        self.produce(op, op.memref, t)


class MemorySpaceCastLowering(MemRefPattern):
    """`memref.memory_space_cast`: one address space on the CPU, so the same descriptor."""

    @op_pattern
    def match_and_rewrite(self, op: memref.MemorySpaceCastOp, rewriter: PatternRewriter, /) -> None:
        self.memref_type(op.source, op)
        dest = op.dest.type
        if not isinstance(dest, MemRefType):
            raise unsupported(op, "unranked memrefs are not supported")
        self.produce(op, op.source, dest)


class ExtractStridedMetadataLowering(MemRefPattern):
    """`memref.extract_strided_metadata`: the descriptor's fields, base as a rank-0 memref."""

    @op_pattern
    def match_and_rewrite(
        self, op: memref.ExtractStridedMetaDataOp, rewriter: PatternRewriter, /
    ) -> None:
        r = rewriter
        t = self.memref_type(op.source, op)
        strides, offset = descriptor_layout(r, t, op.source, op)
        sizes = descriptor_sizes(r, t, op.source)
        base = view_descriptor(r, op.source, 0, [], [])
        base_t = op.base_buffer.type
        assert isinstance(base_t, MemRefType)
        self.state.memref_types[base] = base_t
        values = [base, mat(r, offset), *(mat(r, v) for v in sizes)]
        values += [mat(r, v) for v in strides]
        self.state.replace_results(op, values)


class CopyLowering(MemRefPattern):
    """`memref.copy` between contiguous (identity-layout) memrefs -> `llvm.memcpy`."""

    @op_pattern
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
        self.state.replace_results(op, [])


class AllocaScopeLowering(MemRefPattern):
    """`memref.alloca_scope`: inline the body between `llvm.stacksave` and `stackrestore`."""

    @op_pattern
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
        # Through the rewriter, so a driver with a worklist (xDSL's walker) hears of it.
        rewriter.erase(terminator)
        # The body's ops join the enclosing block right where the scope was.
        rewriter.inline_block(body, InsertPoint.before(op))
        self.state.replace_results(op, results)


def reassociation_groups(op: memref.CollapseShapeOp | memref.ExpandShapeOp) -> list[list[int]]:
    return [[int(i.value.data) for i in group.data] for group in op.reassociation.data]


class CollapseShapeLowering(MemRefPattern):
    """`memref.collapse_shape`: each group's size is the product, its stride the innermost's."""

    @op_pattern
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
        desc = view_descriptor(r, op.src, offset, new_sizes, new_strides)
        self.produce(op, desc, res_t)


class ExpandShapeLowering(MemRefPattern):
    """`memref.expand_shape`: a group's dims take the source stride, scaled by inner sizes."""

    @op_pattern
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
        desc = view_descriptor(r, op.src, offset, sizes, new_strides)
        self.produce(op, desc, res_t)


class SelectLowering(MemRefPattern):
    """`arith.select` between memrefs -> `llvm.select` of the two descriptors."""

    @op_pattern
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


class ViewLowering(MemRefPattern):
    """`memref.view` of an i8 buffer: aligned + byte_shift, the result's sizes, row-major."""

    @op_pattern
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
class FinalizeMemRefToLLVMPass(LoweringPass):
    """Lower memref ops to llvm on upstream's descriptor, in one walk."""

    name = "finalize-memref-to-llvm"
    patterns = MEMREF_PATTERNS


__all__ = ["FinalizeMemRefToLLVMPass", "convert_type"]
