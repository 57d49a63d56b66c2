"""LLVM-dialect ops that xDSL 0.74's `llvm` dialect lacks, under upstream MLIR's op names.

They are defined here (not patched into xDSL) and translated to LLVM IR by
`neurojit.llvm_ext.translate`. Intrinsics without a dedicated xDSL op go through xDSL's own
`llvm.call_intrinsic` with the mangled intrinsic name, which upstream MLIR also accepts.
"""

from __future__ import annotations

from collections.abc import Sequence

from xdsl.dialects.builtin import DenseArrayBase, DenseIntElementsAttr, IntegerType, i32
from xdsl.dialects.llvm import GenericCastOp
from xdsl.ir import Block, Dialect, SSAValue
from xdsl.irdl import (
    AttrSizedOperandSegments,
    IRDLOperation,
    irdl_op_definition,
    operand_def,
    opt_prop_def,
    prop_def,
    successor_def,
    traits_def,
    var_operand_def,
    var_successor_def,
)
from xdsl.traits import IsTerminator, Pure


@irdl_op_definition
class FPToSIOp(GenericCastOp):
    """`llvm.fptosi`: float to signed integer (poison when out of range, as in LLVM)."""

    name = "llvm.fptosi"


@irdl_op_definition
class FPToUIOp(GenericCastOp):
    """`llvm.fptoui`: float to unsigned integer."""

    name = "llvm.fptoui"


@irdl_op_definition
class UIToFPOp(GenericCastOp):
    """`llvm.uitofp`: unsigned integer to float."""

    name = "llvm.uitofp"


@irdl_op_definition
class SwitchOp(IRDLOperation):
    """`llvm.switch`: the operands, successors and case table of `cf.switch` (generic syntax)."""

    name = "llvm.switch"

    case_values = opt_prop_def(DenseIntElementsAttr)
    flag = operand_def(IntegerType)
    default_operands = var_operand_def()
    case_operands = var_operand_def()
    case_operand_segments = prop_def(DenseArrayBase.constr(i32))
    default_block = successor_def()
    case_blocks = var_successor_def()

    irdl_options = (AttrSizedOperandSegments(as_property=True),)
    traits = traits_def(IsTerminator(), Pure())

    def __init__(
        self,
        flag: SSAValue,
        default_block: Block,
        default_operands: Sequence[SSAValue],
        case_values: DenseIntElementsAttr | None,
        case_blocks: Sequence[Block],
        case_operands: Sequence[Sequence[SSAValue]],
    ) -> None:
        super().__init__(
            operands=[flag, default_operands, [v for vs in case_operands for v in vs]],
            properties={
                "case_values": case_values,
                "case_operand_segments": DenseArrayBase.from_list(
                    i32, [len(vs) for vs in case_operands]
                ),
            },
            successors=[default_block, case_blocks],
        )

    def cases(self) -> list[tuple[int, Block, Sequence[SSAValue]]]:
        """(value, destination, operands) per case, in order."""
        if self.case_values is None:
            return []
        out: list[tuple[int, Block, Sequence[SSAValue]]] = []
        idx = 0
        segments = self.case_operand_segments.get_values()
        for value, block, n in zip(
            self.case_values.get_values(), self.case_blocks, segments, strict=False
        ):
            out.append((int(value), block, self.case_operands[idx : idx + n]))
            idx += n
        return out


LLVM_EXT_OPS = (FPToSIOp, FPToUIOp, UIToFPOp, SwitchOp)

# A separate dialect object so a context can load these next to xDSL's `llvm` dialect.
LLVMExt = Dialect("llvm_ext", list(LLVM_EXT_OPS), [])


def register(ctx: object) -> None:
    """Make the extension ops parseable in `ctx` (an xdsl Context), next to `llvm`."""
    for op in LLVM_EXT_OPS:
        if ctx.get_optional_op(op.name) is None:  # type: ignore[attr-defined]
            ctx.load_op(op)  # type: ignore[attr-defined]
