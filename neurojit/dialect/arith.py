"""xDSL's arith dialect plus the ops upstream MLIR has and xDSL 0.74 lacks entirely
(`arith.index_castui`, `arith.remf`); `arith_dialect()` is its factory.
"""

from __future__ import annotations

from xdsl.dialects import arith
from xdsl.dialects.builtin import IndexType, IntegerType
from xdsl.ir import Attribute, Dialect, Operation, SSAValue
from xdsl.irdl import (
    IRDLOperation,
    base,
    irdl_op_definition,
    operand_def,
    result_def,
    traits_def,
)
from xdsl.traits import Pure
from xdsl.utils.exceptions import VerifyException

# Arith ops upstream MLIR has and xDSL 0.74 lacks entirely: `arith.index_castui`, `arith.remf`.
#
#     %i = arith.index_castui %x : i32 to index
#     %r = arith.remf %a, %b fastmath<fast> : f32
#
# Defined here with upstream's syntax and verifiers so upstream text parses; `arith_dialect`
# adds them to xDSL's arith dialect. A lowering without a pattern for one reports the op as
# unsupported (a located error) instead of the parser failing on an unknown op.


@irdl_op_definition
class IndexCastUIOp(IRDLOperation):
    name = "arith.index_castui"

    input = operand_def(base(IntegerType) | base(IndexType))
    result = result_def(base(IntegerType) | base(IndexType))

    traits = traits_def(Pure())

    assembly_format = "$input attr-dict `:` type($input) `to` type($result)"

    def __init__(self, input_arg: SSAValue | Operation, target_type: Attribute) -> None:
        super().__init__(operands=[input_arg], result_types=[target_type])

    def verify_(self) -> None:
        # Exactly one side is `index`, as upstream requires.
        if isinstance(self.input.type, IndexType) == isinstance(self.result.type, IndexType):
            raise VerifyException(
                f"operand type {self.input.type} and result type {self.result.type} are cast "
                "incompatible: exactly one of them must be index"
            )


@irdl_op_definition
class RemFOp(arith.FloatingPointLikeBinaryOperation):
    """`arith.remf`: the remainder of a float division, sign of the dividend (C's fmod)."""

    name = "arith.remf"

    traits = traits_def(Pure())


def arith_dialect() -> Dialect:
    """xDSL's arith dialect plus `arith.index_castui` and `arith.remf`."""
    base_dialect = arith.Arith
    operations = [*base_dialect.operations, IndexCastUIOp, RemFOp]
    return Dialect(
        base_dialect.name,
        operations,
        list(base_dialect.attributes),
        list(base_dialect._interfaces),
    )
