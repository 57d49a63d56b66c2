"""`memref.alloca_scope` and its `memref.alloca_scope.return` in upstream's custom syntax.

    %v = memref.alloca_scope -> (i64) {
      ...
      memref.alloca_scope.return %x : i64
    }

xDSL 0.74 has no custom format for either. Upstream's return is an implicit terminator: a
scope without results may leave it out, and is printed without it. Subclasses of xDSL's ops
(the lowering typed on them keeps matching); `memref_upstream.memref_dialect` swaps them in.
"""

from __future__ import annotations

from xdsl.dialects import memref
from xdsl.parser import Parser
from xdsl.printer import Printer
from xdsl.traits import IsTerminator

from neurojit.dialect.arrow_types import parse_optional_arrow_types


class AllocaScopeOp(memref.AllocaScopeOp):
    @classmethod
    def parse(cls, parser: Parser) -> AllocaScopeOp:
        # Upstream always parenthesises the results here (`-> (i64)`), but reads `-> i64` too.
        result_types = parse_optional_arrow_types(parser)
        region = parser.parse_region()
        for block in region.blocks:
            last = block.last_op
            if last is None or not last.has_trait(IsTerminator):
                block.add_op(AllocaScopeReturnOp.create())
        attributes = parser.parse_optional_attr_dict()
        return cls.create(result_types=result_types, regions=[region], attributes=attributes)

    def print(self, printer: Printer) -> None:
        if self.result_types:
            printer.print_string(" -> (")
            printer.print_list(self.result_types, printer.print_attribute)
            printer.print_string(")")
        printer.print_string(" ")
        printer.print_region(
            self.scope,
            print_entry_block_args=False,
            print_block_terminators=bool(self.result_types),
        )
        printer.print_op_attributes(self.attributes)


class AllocaScopeReturnOp(memref.AllocaScopeReturnOp):
    """`memref.alloca_scope.return attr-dict (%v, ... : types)?`."""

    @classmethod
    def parse(cls, parser: Parser) -> AllocaScopeReturnOp:
        attributes = parser.parse_optional_attr_dict()
        unresolved = parser.parse_optional_undelimited_comma_separated_list(
            parser.parse_optional_unresolved_operand, parser.parse_unresolved_operand
        )
        operands = []
        if unresolved:
            parser.parse_punctuation(":", " before the types of memref.alloca_scope.return")
            types = parser.parse_comma_separated_list(parser.Delimiter.NONE, parser.parse_type)
            if len(types) != len(unresolved):
                parser.raise_error(
                    f"memref.alloca_scope.return has {len(unresolved)} operands but "
                    f"{len(types)} types"
                )
            operands = [
                parser.resolve_operand(u, t) for u, t in zip(unresolved, types, strict=True)
            ]
        return cls.create(operands=operands, attributes=attributes)

    def print(self, printer: Printer) -> None:
        printer.print_op_attributes(self.attributes)
        if self.ops:
            printer.print_string(" ")
            printer.print_list(self.ops, printer.print_operand)
            printer.print_string(" : ")
            printer.print_list(self.ops.types, printer.print_attribute)
