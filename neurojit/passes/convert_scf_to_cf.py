"""`convert-scf-to-cf`: structured control flow to CFG blocks.

xDSL's pass covers `scf.for`, `scf.if` and `scf.index_switch`; we reuse its patterns and add
`scf.while`, mirroring upstream's `WhileLowering` in
mlir/lib/Conversion/SCFToControlFlow/SCFToControlFlow.cpp. `scf.execute_region` is inlined.
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import builtin
from xdsl.dialects.cf import BranchOp, ConditionalBranchOp
from xdsl.dialects.scf import (
    ConditionOp,
    ExecuteRegionOp,
    ForOp,
    IfOp,
    IndexSwitchOp,
    WhileOp,
    YieldOp,
)
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import PatternRewriter, RewritePattern
from xdsl.rewriter import BlockInsertPoint, InsertPoint
from xdsl.transforms.convert_scf_to_cf import ForLowering, IfLowering, SwitchLowering

from neurojit.passes.llvm_common.driver import (
    Typed,
    apply_once,
    op_pattern,
)


class WhileLowering(RewritePattern):
    """Lowers `scf.while` to a `before` block that tests and an `after` block that loops back."""

    @op_pattern
    def match_and_rewrite(self, op: WhileOp, rewriter: PatternRewriter, /) -> None:
        init_block = op.parent_block()
        assert init_block is not None
        continuation = init_block.split_before(op)
        for i, ty in enumerate(op.result_types):
            rewriter.insert_block_argument(continuation, i, ty)

        before_first = op.before_region.first_block
        before_last = op.before_region.last_block
        after_first = op.after_region.first_block
        after_last = op.after_region.last_block
        assert before_first and before_last and after_first and after_last

        condition = before_last.last_op
        assert isinstance(condition, ConditionOp)
        rewriter.replace(
            condition,
            ConditionalBranchOp(
                condition.condition,
                after_first,
                condition.args,
                continuation,
                condition.args,
            ),
        )
        yield_op = after_last.last_op
        assert isinstance(yield_op, YieldOp)
        rewriter.replace(yield_op, BranchOp(before_first, *yield_op.arguments))

        rewriter.inline_region(op.before_region, BlockInsertPoint.before(continuation))
        rewriter.inline_region(op.after_region, BlockInsertPoint.before(continuation))
        rewriter.insert(BranchOp(before_first, *op.arguments), InsertPoint.at_end(init_block))
        rewriter.replace(op, [], continuation.args)


class ExecuteRegionLowering(RewritePattern):
    """Inlines `scf.execute_region`; its `scf.yield`s branch to the continuation."""

    @op_pattern
    def match_and_rewrite(self, op: ExecuteRegionOp, rewriter: PatternRewriter, /) -> None:
        block = op.parent_block()
        assert block is not None
        continuation = block.split_before(op)
        for i, ty in enumerate(op.result_types):
            rewriter.insert_block_argument(continuation, i, ty)
        entry = op.region.first_block
        assert entry is not None
        for region_block in op.region.blocks:
            term = region_block.last_op
            if isinstance(term, YieldOp):
                rewriter.replace(term, BranchOp(continuation, *term.arguments))
        rewriter.inline_region(op.region, BlockInsertPoint.before(continuation))
        rewriter.insert(BranchOp(entry), InsertPoint.at_end(block))
        rewriter.replace(op, [], continuation.args)


@dataclass(frozen=True)
class ConvertScfToCfPass(ModulePass):
    """Lower scf.for/if/index_switch (xDSL's patterns) and scf.while/execute_region (ours)."""

    name = "convert-scf-to-cf"

    def apply(self, ctx: Context, op: builtin.ModuleOp) -> None:
        # One pre-order walk: an outer loop is lowered first and its nested scf ops, already
        # collected, are lowered where they land. The patterns create only cf/arith ops.
        apply_once(
            op,
            [
                Typed(SwitchLowering(), IndexSwitchOp),
                Typed(IfLowering(), IfOp),
                Typed(ForLowering(), ForOp),
                WhileLowering(),
                ExecuteRegionLowering(),
            ],
        )
