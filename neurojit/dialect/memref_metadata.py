"""`memref.rank` and `memref.extract_aligned_pointer_as_index` with upstream's custom syntax.

    %r = memref.rank %m : memref<4xi64>
    %p = memref.extract_aligned_pointer_as_index %m : memref<4xi64> -> index

xDSL 0.74 has no custom format for either. Subclasses of xDSL's ops, so the lowering typed on
them keeps matching; `neurojit.dialect.memref_upstream.memref_dialect` swaps them in.
"""

from __future__ import annotations

from xdsl.dialects import memref
from xdsl.dialects.builtin import IndexType
from xdsl.parser import Parser
from xdsl.printer import Printer


class RankOp(memref.RankOp):
    """`memref.rank %m : T` (the result is always `index`)."""

    @classmethod
    def parse(cls, parser: Parser) -> RankOp:
        source = parser.parse_unresolved_operand()
        attributes = parser.parse_optional_attr_dict()
        parser.parse_punctuation(":", " after the operand of memref.rank")
        source_type = parser.parse_type()
        return cls.create(
            operands=[parser.resolve_operand(source, source_type)],
            result_types=[IndexType()],
            attributes=attributes,
        )

    def print(self, printer: Printer) -> None:
        printer.print_string(" ")
        printer.print_operand(self.source)
        printer.print_op_attributes(self.attributes)
        printer.print_string(" : ")
        printer.print_attribute(self.source.type)


class ExtractAlignedPointerAsIndexOp(memref.ExtractAlignedPointerAsIndexOp):
    """`memref.extract_aligned_pointer_as_index %m : T -> index`."""

    @classmethod
    def parse(cls, parser: Parser) -> ExtractAlignedPointerAsIndexOp:
        # Upstream's format puts the attribute dictionary last here, unlike rank's.
        source = parser.parse_unresolved_operand()
        parser.parse_punctuation(":", " after the operand")
        source_type = parser.parse_type()
        parser.parse_punctuation("->", " before the result type")
        result_type = parser.parse_type()
        attributes = parser.parse_optional_attr_dict()
        return cls.create(
            operands=[parser.resolve_operand(source, source_type)],
            result_types=[result_type],
            attributes=attributes,
        )

    def print(self, printer: Printer) -> None:
        printer.print_string(" ")
        printer.print_operand(self.source)
        printer.print_string(" : ")
        printer.print_attribute(self.source.type)
        printer.print_string(" -> ")
        printer.print_attribute(self.aligned_pointer.type)
        printer.print_op_attributes(self.attributes)
