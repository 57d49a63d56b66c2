"""`memref.global` with upstream MLIR's custom syntax, which xDSL 0.74 lacks.

    memref.global "private" constant @t : memref<3xi64> = dense<[3, 1, 4]> {alignment = 64 : i64}
    memref.global @g : memref<4xf32> = uninitialized

The class subclasses xDSL's `GlobalOp`, so `isinstance(op, memref.GlobalOp)` and every pass
written against xDSL's op keep working; `neurojit.ir.make_context` registers it in place of
the original. Visibility stays a required property as in xDSL: the custom form omits it for
"public", as upstream does.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self

from xdsl.dialects import memref
from xdsl.dialects.builtin import (
    DenseIntOrFPElementsAttr,
    IntegerAttr,
    MemRefType,
    StringAttr,
    TensorType,
    UnitAttr,
)
from xdsl.ir import Attribute, Dialect
from xdsl.parser import Parser
from xdsl.printer import Printer
from xdsl.utils.exceptions import ParseError

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


def memref_dialect() -> Dialect:
    """Kept for old imports: the full upstream-syntax memref dialect lives in memref_upstream."""
    from neurojit.dialect.memref_upstream import memref_dialect as full

    return full()
