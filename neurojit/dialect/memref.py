"""xDSL's memref dialect with upstream MLIR's custom syntax where xDSL 0.74 lacks it.

Each op here subclasses xDSL's (so `isinstance` checks and the lowering patterns typed on
xDSL's classes keep matching) and adds upstream's `parse`/`print`, and for `memref.cast`
upstream's verifier. `memref_dialect()` swaps them into xDSL's dialect.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Self

from xdsl.dialects import memref
from xdsl.dialects.builtin import (
    DYNAMIC_INDEX,
    DenseIntOrFPElementsAttr,
    IndexType,
    IntegerAttr,
    MemRefType,
    NoneAttr,
    StridedLayoutAttr,
    StringAttr,
    TensorType,
    UnitAttr,
    UnrankedMemRefType,
)
from xdsl.ir import Attribute, Dialect, Operation, SSAValue
from xdsl.parser import Parser
from xdsl.printer import Printer
from xdsl.traits import IsTerminator
from xdsl.utils.exceptions import ParseError, VerifyException

from neurojit.dialect.arrow_types import parse_optional_arrow_types

# `memref.cast` and `memref.memory_space_cast` with upstream MLIR's custom syntax.
#
#     %d = memref.cast %m : memref<4xi64> to memref<?xi64>
#     %g = memref.memory_space_cast %s : memref<4xi64, 1> to memref<4xi64>
#
# xDSL 0.74 has no custom format for either, so upstream text failed to parse. Both classes
# subclass xDSL's ops, so `isinstance(op, memref.CastOp)` (and the lowering patterns typed on
# xDSL's classes) keep matching; `memref_dialect` swaps them in.
#
# `CastOp` also checks what upstream checks and xDSL does not: that the two types are
# cast-compatible (same element type and memory space, shapes and strides that agree wherever
# both are static, and never unranked to unranked). Without it a wrong cast, e.g. from
# `memref<4xi64>` to `memref<8xi64>`, would verify and then read out of bounds.


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


# `memref.copy` with upstream MLIR's custom syntax, which xDSL 0.74 lacks.
#
#     memref.copy %src, %dst : memref<4xi64> to memref<4xi64>
#
# Subclasses xDSL's `CopyOp`, so the lowering typed on it keeps matching;
# `memref_dialect` swaps it in.


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


# `memref.global` with upstream MLIR's custom syntax, which xDSL 0.74 lacks.
#
#     memref.global "private" constant @t : memref<3xi64> = dense<[3, 1, 4]> {alignment = 64 : i64}
#     memref.global @g : memref<4xf32> = uninitialized
#
# The class subclasses xDSL's `GlobalOp`, so `isinstance(op, memref.GlobalOp)` and every pass
# written against xDSL's op keep working; `memref_dialect` registers it in place of
# the original. Visibility stays a required property as in xDSL: the custom form omits it for
# "public", as upstream does.

_VISIBILITIES = ("public", "private", "nested")


class GlobalOp(memref.GlobalOp):
    """`memref.global`, parsed and printed like upstream MLIR.

    A plain subclass (no `irdl_op_definition`): re-deriving the IRDL definition of an
    already-defined op fails, and the inherited definition is exactly the one we want.
    """

    @classmethod
    def create(cls, *, properties: Mapping[str, Attribute] | None = None, **kwargs: Any) -> Self:
        """Upstream's generic form leaves out `sym_visibility` for a public global."""
        properties = dict(properties or {})
        properties.setdefault("sym_visibility", StringAttr("public"))
        return super().create(properties=properties, **kwargs)

    @classmethod
    def parse(cls, parser: Parser) -> GlobalOp:
        visibility_pos = parser.pos
        visibility = parser.parse_optional_str_literal()
        if visibility is not None and visibility not in _VISIBILITIES:
            parser.raise_error(
                f'unknown symbol visibility "{visibility}"; expected one of: '
                + ", ".join(_VISIBILITIES),
                visibility_pos,
                parser.pos,
            )
        constant = parser.parse_optional_keyword("constant") is not None
        sym_name = parser.parse_symbol_name()
        parser.parse_punctuation(":", " after the name of memref.global")
        type_pos = parser.pos
        type = parser.parse_type()
        if not isinstance(type, MemRefType):
            parser.raise_error(f"memref.global needs a memref type, got {type}", type_pos)
        if parser.parse_optional_punctuation("=") is None:
            # Upstream allows an external declaration; xDSL's op requires an initial value.
            parser.raise_error(
                "memref.global without an initial value (an external declaration) is not "
                "supported; write '= uninitialized' or '= dense<...>'",
                type_pos,
                parser.pos,
            )
        initial_value: UnitAttr | DenseIntOrFPElementsAttr
        if parser.parse_optional_keyword("uninitialized") is not None:
            initial_value = UnitAttr()
        else:
            # Upstream writes the literal untyped; its type is the memref's shape as a tensor.
            tensor_type = TensorType(type.element_type, type.get_shape())
            value_pos = parser.pos
            parser.parse_keyword("dense", " (the initial value of memref.global)")
            try:
                initial_value = parser.parse_dense_int_or_fp_elements_attr(tensor_type)
            except ParseError as err:
                # xDSL checks the shape after the literal: point at the literal, not past it.
                parser.raise_error(err.msg, value_pos, parser.pos)
        attributes = parser.parse_optional_attr_dict()
        alignment = attributes.pop("alignment", None)
        if alignment is not None and not isinstance(alignment, IntegerAttr):
            parser.raise_error(f"alignment must be an integer, got {alignment}")
        op = cls.create(
            properties={
                "sym_name": sym_name,
                "sym_visibility": StringAttr(visibility or "public"),
                "type": type,
                "initial_value": initial_value,
                **({"constant": UnitAttr()} if constant else {}),
                **({"alignment": alignment} if alignment is not None else {}),
            },
            attributes=attributes,
        )
        return op

    def print(self, printer: Printer) -> None:
        if self.sym_visibility.data != "public":
            printer.print_string(" ")
            printer.print_string_literal(self.sym_visibility.data)
        if self.constant is not None:
            printer.print_string(" constant")
        printer.print_string(" ")
        printer.print_symbol_name(self.sym_name.data)
        printer.print_string(" : ")
        printer.print_attribute(self.type)
        printer.print_string(" = ")
        if isinstance(self.initial_value, UnitAttr):
            printer.print_string("uninitialized")
        else:
            printer.print_string(_untyped_dense(self.initial_value))
        attributes = dict(self.attributes)
        if self.alignment is not None:
            attributes = {"alignment": self.alignment, **attributes}
        if attributes:
            printer.print_op_attributes(attributes)


def _untyped_dense(value: DenseIntOrFPElementsAttr) -> str:
    """`dense<[...]>` without its `: tensor<...>` suffix, as upstream prints it here."""
    text = str(value)
    suffix = f" : {value.type}"
    return text.removesuffix(suffix)


# `memref.rank` and `memref.extract_aligned_pointer_as_index` with upstream's custom syntax.
#
#     %r = memref.rank %m : memref<4xi64>
#     %p = memref.extract_aligned_pointer_as_index %m : memref<4xi64> -> index
#
# xDSL 0.74 has no custom format for either. Subclasses of xDSL's ops, so the lowering typed on
# them keeps matching; `memref_dialect` swaps them in.


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


# `memref.alloca_scope` and its `memref.alloca_scope.return` in upstream's custom syntax.
#
#     %v = memref.alloca_scope -> (i64) {
#       ...
#       memref.alloca_scope.return %x : i64
#     }
#
# xDSL 0.74 has no custom format for either. Upstream's return is an implicit terminator: a
# scope without results may leave it out, and is printed without it. Subclasses of xDSL's ops
# (the lowering typed on them keeps matching); `memref_dialect` swaps them in.


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


# xDSL's op class -> ours. Order is irrelevant; the dialect keeps xDSL's op order.
UPSTREAM_SYNTAX: dict[type[Operation], type[Operation]] = {
    memref.GlobalOp: GlobalOp,
    memref.CastOp: CastOp,
    memref.MemorySpaceCastOp: MemorySpaceCastOp,
    memref.CopyOp: CopyOp,
    memref.RankOp: RankOp,
    memref.ExtractAlignedPointerAsIndexOp: ExtractAlignedPointerAsIndexOp,
    memref.AllocaScopeOp: AllocaScopeOp,
    memref.AllocaScopeReturnOp: AllocaScopeReturnOp,
}


def memref_dialect() -> Dialect:
    """xDSL's memref dialect with every op in `UPSTREAM_SYNTAX` replaced by ours."""
    base = memref.MemRef
    operations = [UPSTREAM_SYNTAX.get(op, op) for op in base.operations]
    return Dialect(base.name, operations, list(base.attributes), list(base._interfaces))
