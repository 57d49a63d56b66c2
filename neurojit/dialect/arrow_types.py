"""Upstream's optional arrow type list: `-> i64`, `-> (i64, f32)`, or nothing."""

from __future__ import annotations

from collections.abc import Sequence

from xdsl.ir import Attribute
from xdsl.parser import Parser
from xdsl.printer import Printer


def parse_optional_arrow_types(parser: Parser) -> list[Attribute]:
    if parser.parse_optional_punctuation("->") is None:
        return []
    types = parser.parse_optional_comma_separated_list(parser.Delimiter.PAREN, parser.parse_type)
    return types if types is not None else [parser.parse_type()]


def print_optional_arrow_types(printer: Printer, types: Sequence[Attribute]) -> None:
    """Like MLIR's printOptionalArrowTypeList: parentheses only when they are needed."""
    if not types:
        return
    printer.print_string(" -> ")
    if len(types) == 1 and not _is_function_type(types[0]):
        printer.print_attribute(types[0])
        return
    printer.print_string("(")
    printer.print_list(types, printer.print_attribute)
    printer.print_string(")")


def _is_function_type(t: Attribute) -> bool:
    from xdsl.dialects.builtin import FunctionType

    return isinstance(t, FunctionType)
