"""`memref.cast` and `memref.memory_space_cast` with upstream MLIR's custom syntax.

    %d = memref.cast %m : memref<4xi64> to memref<?xi64>
    %g = memref.memory_space_cast %s : memref<4xi64, 1> to memref<4xi64>

xDSL 0.74 has no custom format for either, so upstream text failed to parse. Both classes
subclass xDSL's ops, so `isinstance(op, memref.CastOp)` (and the lowering patterns typed on
xDSL's classes) keep matching; `neurojit.dialect.memref.memref_dialect` swaps them in.

`CastOp` also checks what upstream checks and xDSL does not: that the two types are
cast-compatible (same element type and memory space, shapes and strides that agree wherever
both are static, and never unranked to unranked). Without it a wrong cast, e.g. from
`memref<4xi64>` to `memref<8xi64>`, would verify and then read out of bounds.
"""

from __future__ import annotations

from collections.abc import Sequence

from xdsl.dialects import memref
from xdsl.dialects.builtin import (
    DYNAMIC_INDEX,
    MemRefType,
    NoneAttr,
    StridedLayoutAttr,
    UnrankedMemRefType,
)
from xdsl.ir import Attribute, Operation, SSAValue
from xdsl.parser import Parser
from xdsl.printer import Printer
from xdsl.utils.exceptions import VerifyException


def _parse_cast_like(
    parser: Parser, op_name: str
) -> tuple[SSAValue, Attribute, dict[str, Attribute]]:
    """`%src attr-dict : T to U` → (resolved source, result type U, attributes)."""
    source = parser.parse_unresolved_operand()
    attributes = parser.parse_optional_attr_dict()
    parser.parse_punctuation(":", f" after the operand of {op_name}")
    source_type = parser.parse_type()
    parser.parse_keyword("to", f" between the two types of {op_name}")
    result_type = parser.parse_type()
    return parser.resolve_operand(source, source_type), result_type, attributes


def _print_cast_like(printer: Printer, op: Operation) -> None:
    printer.print_string(" ")
    printer.print_operand(op.operands[0])
    printer.print_op_attributes(op.attributes)
    printer.print_string(" : ")
    printer.print_attribute(op.operands[0].type)
    printer.print_string(" to ")
    printer.print_attribute(op.results[0].type)


def _contiguous_strides(shape: Sequence[int]) -> list[int | None]:
    """Row-major strides of the identity layout; unknown (None) left of a dynamic size.

    xDSL's `strides_for_shape` multiplies the -1 of a dynamic size in, so it is not used.
    """
    strides: list[int | None] = []
    running: int | None = 1
    for size in reversed(shape):
        strides.append(running)
        running = None if running is None or size == DYNAMIC_INDEX else running * size
    return strides[::-1]


def _strides_and_offset(t: MemRefType) -> tuple[list[int | None], int | None] | None:
    """(strides, offset) with None for dynamic entries, or None if the layout isn't strided."""
    if isinstance(t.layout, NoneAttr):
        return _contiguous_strides(t.get_shape()), 0
    layout = t.layout
    if not isinstance(layout, StridedLayoutAttr):
        return None
    strides = [
        None if isinstance(s, NoneAttr) or s.data == DYNAMIC_INDEX else s.data
        for s in layout.strides.data
    ]
    off = layout.offset
    offset = None if isinstance(off, NoneAttr) or off.data == DYNAMIC_INDEX else off.data
    return strides, offset


def _agree(a: int | None, b: int | None) -> bool:
    return a is None or b is None or a == b


def cast_incompatibility(source: Attribute, dest: Attribute) -> str | None:
    """Why upstream's `memref.cast` would reject source → dest, or None if it is allowed."""
    if isinstance(source, UnrankedMemRefType) and isinstance(dest, UnrankedMemRefType):
        return "unranked to unranked casts are not allowed"
    if not isinstance(source, MemRefType | UnrankedMemRefType) or not isinstance(
        dest, MemRefType | UnrankedMemRefType
    ):
        return "both types must be memrefs"
    if source.element_type != dest.element_type:
        return "the element types differ"
    if source.memory_space != dest.memory_space:
        return "the memory spaces differ (use memref.memory_space_cast)"
    if not isinstance(source, MemRefType) or not isinstance(dest, MemRefType):
        return None  # ranked <-> unranked: only element type and memory space must agree
    source_shape, dest_shape = source.get_shape(), dest.get_shape()
    if len(source_shape) != len(dest_shape):
        return "the ranks differ"
    for a, b in zip(source_shape, dest_shape, strict=True):
        if a != DYNAMIC_INDEX and b != DYNAMIC_INDEX and a != b:
            return "the static sizes differ"
    if source.layout == dest.layout:
        return None
    source_layout, dest_layout = _strides_and_offset(source), _strides_and_offset(dest)
    if source_layout is None or dest_layout is None:
        # An affine-map layout: upstream would reduce it to strides first. Rare in practice;
        # accept rather than reject a cast that may well be valid.
        return None
    (source_strides, source_offset), (dest_strides, dest_offset) = source_layout, dest_layout
    if not _agree(source_offset, dest_offset):
        return "the static offsets differ"
    if not all(_agree(a, b) for a, b in zip(source_strides, dest_strides, strict=True)):
        return "the static strides differ"
    return None


class CastOp(memref.CastOp):
    """`memref.cast %m : T to U`, parsed, printed and verified like upstream MLIR.

    A plain subclass (no `irdl_op_definition`): re-deriving the IRDL definition of an
    already-defined op fails, and the inherited definition is exactly the one we want.
    """

    @classmethod
    def parse(cls, parser: Parser) -> CastOp:
        source, result_type, attributes = _parse_cast_like(parser, "memref.cast")
        return cls.create(operands=[source], result_types=[result_type], attributes=attributes)

    def print(self, printer: Printer) -> None:
        _print_cast_like(printer, self)

    def verify_(self) -> None:
        why = cast_incompatibility(self.source.type, self.dest.type)
        if why is not None:
            raise VerifyException(
                f"operand type {self.source.type} and result type {self.dest.type} are cast "
                f"incompatible: {why}"
            )


class MemorySpaceCastOp(memref.MemorySpaceCastOp):
    """`memref.memory_space_cast %m : T to U`, parsed and printed like upstream MLIR."""

    @classmethod
    def parse(cls, parser: Parser) -> MemorySpaceCastOp:
        source, result_type, attributes = _parse_cast_like(parser, "memref.memory_space_cast")
        return cls.create(operands=[source], result_types=[result_type], attributes=attributes)

    def print(self, printer: Printer) -> None:
        _print_cast_like(printer, self)
