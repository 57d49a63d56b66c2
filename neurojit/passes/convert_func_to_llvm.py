"""`convert-func-to-llvm`: functions, calls and returns with upstream's default calling convention.

Mirrors upstream's mlir/lib/Conversion/FuncToLLVM/FuncToLLVM.cpp (not the bare-pointer
convention): a memref argument expands to (allocated ptr, aligned ptr, offset, sizes...,
strides...), a memref result is the descriptor struct, several results return one literal
struct, index is i64. It also gives every block argument of the body its LLVM type, which makes
the whole function consistently typed after the earlier passes rewired values in place.
Private functions with a body get internal linkage; everything else is external.
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.dialects import func, llvm
from xdsl.dialects.builtin import MemRefType
from xdsl.ir import Attribute, Block, SSAValue
from xdsl.pattern_rewriter import PatternRewriter

from neurojit.passes.llvm_common.build import pos
from neurojit.passes.llvm_common.driver import (
    LoweringPass,
    LoweringPattern,
    op_pattern,
)
from neurojit.passes.llvm_common.memref_descriptor import (
    build_descriptor,
    extract,
    memref_descriptor_for_rank,
)
from neurojit.passes.llvm_common.types import I64, PTR, convert_type


def expanded_arg_types(t: Attribute, op: func.FuncOp | func.CallOp) -> list[Attribute]:
    """The LLVM argument types one source argument expands to."""
    if isinstance(t, MemRefType):
        convert_type(t, op)  # rejects unsupported element types
        rank = len(t.shape)
        return [PTR, PTR, I64] + [I64] * (2 * rank)
    return [convert_type(t, op)]


def packed_result_type(types: tuple[Attribute, ...], op: func.FuncOp | func.CallOp) -> Attribute:
    """void, the single result's type, or a literal struct of all results."""
    if not types:
        return llvm.LLVMVoidType()
    converted = [convert_type(t, op) for t in types]
    if len(converted) == 1:
        return converted[0]
    return llvm.LLVMStructType.from_type_list(converted)


def descriptor_rank(t: Attribute) -> int | None:
    """Rank of a memref, or of a value already lowered to a memref descriptor; else None."""
    if isinstance(t, MemRefType):
        return len(t.shape)
    if isinstance(t, llvm.LLVMStructType):
        fields = t.types.data
        if len(fields) == 3 and fields == memref_descriptor_for_rank(0).types.data:
            return 0
        if len(fields) == 5 and isinstance(fields[3], llvm.LLVMArrayType):
            rank = fields[3].size.data
            if t == memref_descriptor_for_rank(rank):
                return rank
    return None


class FuncLowering(LoweringPattern):
    """`func.func` -> `llvm.func`, expanding memref arguments in the entry block."""

    @op_pattern
    def match_and_rewrite(self, op: func.FuncOp, rewriter: PatternRewriter, /) -> None:
        fn_type = op.function_type
        arg_types: list[Attribute] = []
        for t in fn_type.inputs.data:
            arg_types.extend(expanded_arg_types(t, op))
        result_type = packed_result_type(fn_type.outputs.data, op)
        private = op.sym_visibility is not None and op.sym_visibility.data == "private"
        has_body = bool(op.body.blocks)
        linkage = "internal" if private and has_body else "external"
        body = rewriter.move_region_contents_to_new_regions(op.body)
        if has_body:
            entry = body.blocks[0]
            self._expand_entry_args(entry, op)
            for block in body.blocks:
                for arg in list(block.args):
                    self.state.retype(arg, convert_type(arg.type))
        new = llvm.FuncOp(
            op.sym_name.data,
            llvm.LLVMFunctionType(arg_types, result_type),
            linkage=llvm.LinkageAttr(linkage),
            body=body,
        )
        rewriter.replace(op, new)

    def _expand_entry_args(self, entry: Block, op: func.FuncOp) -> None:
        """Replace each memref argument by its expanded fields and rebuild the descriptor."""
        first = entry.first_op
        assert first is not None
        r = PatternRewriter(first)
        index = 0
        for arg in list(entry.args):
            t = arg.type
            if not isinstance(t, MemRefType):
                index += 1
                continue
            fields = [
                entry.insert_arg(ft, index + 1 + k)
                for k, ft in enumerate(expanded_arg_types(t, op))
            ]
            rank = len(t.shape)
            desc = build_descriptor(
                r,
                rank,
                fields[0],
                fields[1],
                fields[2],
                list(fields[3 : 3 + rank]),
                list(fields[3 + rank :]),
            )
            self.state.record_retype(arg, t)
            arg.replace_all_uses_with(desc)
            entry.erase_arg(arg)
            index += len(fields)


class ReturnLowering(LoweringPattern):
    """`func.return` -> `llvm.return`, packing several results into a struct."""

    @op_pattern
    def match_and_rewrite(self, op: func.ReturnOp, rewriter: PatternRewriter, /) -> None:
        values = list(op.arguments)
        if len(values) <= 1:
            rewriter.replace(op, llvm.ReturnOp(values[0] if values else None))
            return
        struct_t = llvm.LLVMStructType.from_type_list([convert_type(v.type, op) for v in values])
        packed: SSAValue = _insert(rewriter, llvm.UndefOp(struct_t)).res
        for i, v in enumerate(values):
            packed = _insert(rewriter, llvm.InsertValueOp(pos(i), packed, v)).res
        rewriter.replace(op, llvm.ReturnOp(packed))


def _insert(rewriter: PatternRewriter, op):  # type: ignore[no-untyped-def]
    rewriter.insert(op)
    return op


class CallLowering(LoweringPattern):
    """`func.call` -> `llvm.call` with expanded memref operands and unpacked results."""

    @op_pattern
    def match_and_rewrite(self, op: func.CallOp, rewriter: PatternRewriter, /) -> None:
        r = rewriter
        args: list[SSAValue] = []
        for v in op.arguments:
            rank = descriptor_rank(v.type)
            if rank is not None:
                args += [extract(r, v, PTR, 0), extract(r, v, PTR, 1), extract(r, v, I64, 2)]
                args += [extract(r, v, I64, 3, i) for i in range(rank)]
                args += [extract(r, v, I64, 4, i) for i in range(rank)]
            else:
                args.append(v)
        result_types = tuple(res.type for res in op.res)
        ret = packed_result_type(result_types, op)
        call = llvm.CallOp(
            op.callee.root_reference.data,
            *args,
            return_type=None if isinstance(ret, llvm.LLVMVoidType) else ret,
        )
        r.insert(call)
        if len(result_types) <= 1:
            self.state.replace_results(op, [call.returned] if call.returned is not None else [])
            return
        assert call.returned is not None
        unpacked = [
            extract(r, call.returned, convert_type(t, op), i) for i, t in enumerate(result_types)
        ]
        self.state.replace_results(op, unpacked)


FUNC_PATTERNS: tuple[type[LoweringPattern], ...] = (FuncLowering, ReturnLowering, CallLowering)


@dataclass(frozen=True)
class ConvertFuncToLLVMPass(LoweringPass):
    """Lower func.func/call/return to llvm with upstream's default memref convention."""

    name = "convert-func-to-llvm"
    patterns = FUNC_PATTERNS
