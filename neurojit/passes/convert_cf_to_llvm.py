"""`convert-cf-to-llvm`: branches, switches and asserts to the llvm dialect.

Mirrors upstream's mlir/lib/Conversion/ControlFlowToLLVM/ControlFlowToLLVM.cpp. Block
arguments were already given LLVM types by `convert-func-to-llvm`, so branches map one to one.
A failed `cf.assert` executes `llvm.trap` (SIGILL), which NeuroJIT's crash guard recovers from;
upstream prints the message and calls `abort`, which would take the whole process down.
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.dialects import cf, llvm
from xdsl.ir import Block
from xdsl.pattern_rewriter import PatternRewriter, RewritePattern

from neurojit.dialect.llvm import SwitchOp as LLVMSwitchOp
from neurojit.passes.llvm_common.build import br, cond_br
from neurojit.passes.llvm_common.driver import (
    LoweringPass,
    op_pattern,
)
from neurojit.passes.llvm_common.types import convert_type


class BranchLowering(RewritePattern):
    """`cf.br` -> `llvm.br`."""

    @op_pattern
    def match_and_rewrite(self, op: cf.BranchOp, rewriter: PatternRewriter, /) -> None:
        rewriter.replace(op, br(op.successor, op.arguments))


class CondBranchLowering(RewritePattern):
    """`cf.cond_br` -> `llvm.cond_br`."""

    @op_pattern
    def match_and_rewrite(self, op: cf.ConditionalBranchOp, rewriter: PatternRewriter, /) -> None:
        rewriter.replace(
            op,
            cond_br(op.cond, op.then_block, op.then_arguments, op.else_block, op.else_arguments),
        )


class SwitchLowering(RewritePattern):
    """`cf.switch` -> `llvm.switch` (an index flag is an i64)."""

    @op_pattern
    def match_and_rewrite(self, op: cf.SwitchOp, rewriter: PatternRewriter, /) -> None:
        convert_type(op.flag.type, op)
        segments = op.case_operand_segments.get_values()
        case_operands = []
        idx = 0
        for n in segments:
            case_operands.append(list(op.case_operands[idx : idx + n]))
            idx += n
        rewriter.replace(
            op,
            LLVMSwitchOp(
                op.flag,
                op.default_block,
                list(op.default_operands),
                op.case_values,
                list(op.case_blocks),
                case_operands,
            ),
        )


class AssertLowering(RewritePattern):
    """`cf.assert` -> branch to a block that traps when the condition is false."""

    @op_pattern
    def match_and_rewrite(self, op: cf.AssertOp, rewriter: PatternRewriter, /) -> None:
        block = op.parent_block()
        assert block is not None and block.parent is not None
        nxt = op.next_op
        assert nxt is not None, "cf.assert cannot terminate a block"
        continuation = block.split_before(nxt)
        failure = Block()
        failure.add_ops([llvm.CallIntrinsicOp("llvm.trap", [], []), llvm.UnreachableOp()])
        block.parent.add_block(failure)
        rewriter.replace(op, llvm.CondBrOp(op.arg, continuation, (), failure, ()))


CF_PATTERNS: tuple[type[RewritePattern], ...] = (
    BranchLowering,
    CondBranchLowering,
    SwitchLowering,
    AssertLowering,
)


@dataclass(frozen=True)
class ConvertCfToLLVMPass(LoweringPass):
    """Lower the cf dialect to llvm in one walk."""

    name = "convert-cf-to-llvm"
    patterns = CF_PATTERNS
