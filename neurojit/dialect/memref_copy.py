"""`memref.copy` with upstream MLIR's custom syntax, which xDSL 0.74 lacks.

    memref.copy %src, %dst : memref<4xi64> to memref<4xi64>

Subclasses xDSL's `CopyOp`, so the lowering typed on it keeps matching;
`neurojit.dialect.memref_upstream.memref_dialect` swaps it in.
"""

from __future__ import annotations

from xdsl.dialects import memref
from xdsl.parser import Parser
from xdsl.printer import Printer


class CopyOp(memref.CopyOp):
    """`memref.copy %src, %dst : T to U`, parsed and printed like upstream MLIR."""

    @classmethod
    def parse(cls, parser: Parser) -> CopyOp:
        source = parser.parse_unresolved_operand()
        parser.parse_punctuation(",", " between the operands of memref.copy")
        target = parser.parse_unresolved_operand()
        attributes = parser.parse_optional_attr_dict()
        parser.parse_punctuation(":", " after the operands of memref.copy")
        source_type = parser.parse_type()
        parser.parse_keyword("to", " between the two types of memref.copy")
        target_type = parser.parse_type()
        operands = [
            parser.resolve_operand(source, source_type),
            parser.resolve_operand(target, target_type),
        ]
        return cls.create(operands=operands, attributes=attributes)

    def print(self, printer: Printer) -> None:
        printer.print_string(" ")
        printer.print_operand(self.source)
        printer.print_string(", ")
        printer.print_operand(self.destination)
        printer.print_op_attributes(self.attributes)
        printer.print_string(" : ")
        printer.print_attribute(self.source.type)
        printer.print_string(" to ")
        printer.print_attribute(self.destination.type)
