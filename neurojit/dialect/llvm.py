"""xDSL's llvm dialect plus the ops our lowering emits that it lacks (`llvm.fptosi`, ...),
under upstream MLIR's op names; `llvm_dialect()` is its factory, so
`neurojit-opt -p neurojit-lower-to-llvm x.mlir | neurojit-opt` parses its own output.
`neurojit.compiler.xdsl_translate` turns them into LLVM IR.
"""

from __future__ import annotations

from collections.abc import Sequence

from xdsl.dialects.builtin import (
    DenseArrayBase,
    DenseIntElementsAttr,
    IntegerType,
    VectorType,
    i32,
)
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
from xdsl.parser import Parser
from xdsl.printer import Printer
from xdsl.traits import IsTerminator, Pure

# LLVM-dialect ops that xDSL 0.74's `llvm` dialect lacks, under upstream MLIR's op names.
#
# They are defined here (not patched into xDSL) and translated to LLVM IR by
# `neurojit.compiler.xdsl_translate`. Intrinsics without a dedicated xDSL op go through xDSL's own
# `llvm.call_intrinsic` with the mangled intrinsic name, which upstream MLIR also accepts.


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

    def print(self, printer: Printer) -> None:
        """Upstream's syntax: `%flag : i32, ^default(%a : i64) [ 1: ^bb1, 7: ^bb2(...) ]`."""

        def edge(block: Block, args: Sequence[SSAValue]) -> None:
            printer.print_block_name(block)
            if args:
                with printer.in_parens():
                    printer.print_list(args, printer.print_operand)
                    printer.print_string(" : ")
                    printer.print_list([a.type for a in args], printer.print_attribute)

        printer.print_string(" ")
        printer.print_operand(self.flag)
        printer.print_string(" : ")
        printer.print_attribute(self.flag.type)
        printer.print_string(", ")
        edge(self.default_block, self.default_operands)
        printer.print_string(" [")
        cases = self.cases()
        if cases:
            with printer.indented():
                for i, (value, block, args) in enumerate(cases):
                    printer.print_string("," if i else "")
                    printer.print_string("\n")
                    printer.print_int(value)
                    printer.print_string(": ")
                    edge(block, args)
            printer.print_string("\n")
        printer.print_string("]")

    @classmethod
    def parse(cls, parser: Parser) -> SwitchOp:
        def edge() -> tuple[Block, list[SSAValue]]:
            block = parser.parse_successor()
            args: list[SSAValue] = []
            if parser.parse_optional_punctuation("("):
                names = parser.parse_comma_separated_list(
                    Parser.Delimiter.NONE, parser.parse_unresolved_operand
                )
                parser.parse_punctuation(":")
                types = parser.parse_comma_separated_list(Parser.Delimiter.NONE, parser.parse_type)
                parser.parse_punctuation(")")
                args = parser.resolve_operands(names, types, parser.pos)
            return block, args

        flag = parser.parse_unresolved_operand()
        parser.parse_punctuation(":")
        flag_type = parser.parse_type()
        (resolved_flag,) = parser.resolve_operands([flag], [flag_type], parser.pos)
        parser.parse_punctuation(",")
        default_block, default_args = edge()

        def case() -> tuple[int, Block, list[SSAValue]]:
            value = parser.parse_integer()
            parser.parse_punctuation(":")
            return (value, *edge())

        cases = parser.parse_comma_separated_list(Parser.Delimiter.SQUARE, case)
        values = None
        if cases:
            values = DenseIntElementsAttr.from_list(
                VectorType(flag_type, (len(cases),)), [c[0] for c in cases]
            )
        op = cls(
            resolved_flag,
            default_block,
            default_args,
            values,
            [c[1] for c in cases],
            [c[2] for c in cases],
        )
        if (attrs := parser.parse_optional_attr_dict()) is not None:
            op.attributes |= attrs
        return op

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


def llvm_dialect() -> Dialect:
    """xDSL's `llvm` dialect plus these ops, for a context factory to register as "llvm"."""
    from xdsl.dialects.llvm import LLVM

    return Dialect("llvm", [*LLVM.operations, *LLVM_EXT_OPS], list(LLVM.attributes))


def register(ctx: object) -> None:
    """Make the extension ops parseable in `ctx` (an xdsl Context), next to `llvm`."""
    for op in LLVM_EXT_OPS:
        if ctx.get_optional_op(op.name) is None:  # type: ignore[attr-defined]
            ctx.load_op(op)  # type: ignore[attr-defined]
