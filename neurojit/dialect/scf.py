"""xDSL's scf dialect with upstream MLIR's syntax for `scf.execute_region`, `scf.if` and
`scf.for`; `scf_dialect()` swaps them in. Subclasses of xDSL's ops, so the lowering's
`isinstance(op, scf.IfOp)` and friends keep matching.
"""

from __future__ import annotations

from xdsl.dialects import scf
from xdsl.dialects.builtin import IndexType, i1
from xdsl.dialects.utils import parse_assignment
from xdsl.ir import Attribute, Dialect, Region
from xdsl.parser import Parser, UnresolvedOperand
from xdsl.printer import Printer
from xdsl.traits import SingleBlockImplicitTerminator, ensure_terminator

from neurojit.dialect.arrow_types import parse_optional_arrow_types, print_optional_arrow_types

# `scf.if` and `scf.for` that accept a bare single result type, as upstream does.
#
#     %r = scf.if %c -> i64 { ... } else { ... }
#     %s = scf.for %i = %a to %b step %c iter_args(%x = %y) -> f32 { ... }
#
# Upstream reads `-> T` and `-> (T)` alike (and prints the parenthesised form, which is what
# xDSL 0.74 prints too); xDSL only reads the parenthesised one, so hand-written or generated
# text with `-> i64` failed to parse. Subclasses of xDSL's ops with only `parse` replaced, so
# printing, verification and the lowering are xDSL's; `scf_dialect` swaps them in.


class IfOp(scf.IfOp):
    @classmethod
    def parse(cls, parser: Parser) -> IfOp:
        cond = parser.parse_operand(i1)
        return_types = parse_optional_arrow_types(parser)
        then_region = cls.parse_region_with_yield(parser)
        else_region = (
            cls.parse_region_with_yield(parser)
            if parser.parse_optional_keyword("else")
            else Region()
        )
        attributes = parser.parse_optional_attr_dict()
        return cls(cond, return_types, then_region, else_region, attributes)


class ForOp(scf.ForOp):
    @classmethod
    def parse(cls, parser: Parser) -> ForOp:
        unresolved_indvar = parser.parse_argument(expect_type=False)
        parser.parse_punctuation("=")
        lb = parser.parse_unresolved_operand()
        parser.parse_keyword("to")
        ub = parser.parse_unresolved_operand()
        parser.parse_keyword("step")
        step = parser.parse_unresolved_operand()

        pos = parser.pos
        unresolved_iter_args: list[Parser.UnresolvedArgument] = []
        iter_arg_operands: list[UnresolvedOperand] = []
        iter_arg_types: list[Attribute] = []
        if parser.parse_optional_keyword("iter_args"):
            for iter_arg, operand in parser.parse_comma_separated_list(
                Parser.Delimiter.PAREN, lambda: parse_assignment(parser)
            ):
                unresolved_iter_args.append(iter_arg)
                iter_arg_operands.append(operand)
            iter_arg_types = parse_optional_arrow_types(parser)
            if not iter_arg_types:
                parser.raise_error("expected '->' and the types of the iter_args", pos, parser.pos)
        resolved_iter_args = parser.resolve_operands(iter_arg_operands, iter_arg_types, pos)
        iter_args = [
            arg.resolve(t) for arg, t in zip(unresolved_iter_args, iter_arg_types, strict=True)
        ]
        indvar_type = parser.parse_type() if parser.parse_optional_punctuation(":") else IndexType()
        body = parser.parse_region((unresolved_indvar.resolve(indvar_type), *iter_args))
        attributes = parser.parse_optional_attr_dict()
        for_op = cls(
            parser.resolve_operand(lb, indvar_type),
            parser.resolve_operand(ub, indvar_type),
            parser.resolve_operand(step, indvar_type),
            resolved_iter_args,
            body,
        )
        for_op.attributes |= attributes
        if not iter_args:
            for trait in for_op.get_traits_of_type(SingleBlockImplicitTerminator):
                ensure_terminator(for_op, trait)
        return for_op


# `scf.execute_region` printed and parsed like upstream MLIR.
#
# xDSL 0.74 drops the region's terminator when the op has no results (upstream has no implicit
# terminator here, so mlir-opt rejects the printed region as empty) and throws away the
# attribute dictionary it parses. This subclass of xDSL's op fixes both; `scf_dialect` swaps
# it into xDSL's scf dialect, and `isinstance(op, scf.ExecuteRegionOp)` stays true for the
# lowering.


class ExecuteRegionOp(scf.ExecuteRegionOp):
    """`scf.execute_region (-> types)? { ... } attr-dict`, every terminator printed."""

    @classmethod
    def parse(cls, parser: Parser) -> ExecuteRegionOp:
        result_types = parse_optional_arrow_types(parser)
        region = parser.parse_region()
        attributes = parser.parse_optional_attr_dict()
        return cls.create(result_types=result_types, regions=[region], attributes=attributes)

    def print(self, printer: Printer) -> None:
        print_optional_arrow_types(printer, self.result_types)
        printer.print_string(" ")
        printer.print_region(self.region, print_entry_block_args=False)
        printer.print_op_attributes(self.attributes)


def scf_dialect() -> Dialect:
    """xDSL's scf dialect with execute_region, if and for swapped for upstream-syntax ones."""
    ours = {scf.ExecuteRegionOp: ExecuteRegionOp, scf.IfOp: IfOp, scf.ForOp: ForOp}
    base = scf.Scf
    operations = [ours.get(op, op) for op in base.operations]
    return Dialect(base.name, operations, list(base.attributes), list(base._interfaces))
