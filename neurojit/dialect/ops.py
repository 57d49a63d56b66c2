"""`neurojit.check`: a condition that must hold, and what to report when it does not.

Custom syntax (values and their types are optional, at most two):

    neurojit.check %ok, "division-by-zero", "divisor {0} is zero" (%b : i64)
    neurojit.check %in, "out-of-bounds", "index {0} outside [0, {1})" (%i : index, %n : index)
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from xdsl.dialects.builtin import (
    AnyFloat,
    IndexType,
    IntegerType,
    StringAttr,
    i1,
)
from xdsl.ir import Attribute, Operation, SSAValue
from xdsl.irdl import (
    IRDLOperation,
    irdl_op_definition,
    operand_def,
    prop_def,
    var_operand_def,
)
from xdsl.parser import Parser, UnresolvedOperand
from xdsl.printer import Printer
from xdsl.utils.exceptions import VerifyException

from neurojit.dialect.attributes import verify_kind

MAX_REPORTED_VALUES = 2
_PLACEHOLDER = re.compile(r"\{(\d+)\}")


@irdl_op_definition
class CheckOp(IRDLOperation):
    """Fails with `kind` and `message` (its {0}/{1} filled from `values`) unless `condition`."""

    name = "neurojit.check"

    # Typed loosely so that a wrong type is reported by verify_ with a clear message
    # rather than by a generic constraint error.
    condition = operand_def()
    values = var_operand_def()
    kind = prop_def(StringAttr)
    message = prop_def(StringAttr)

    def __init__(
        self,
        condition: SSAValue | Operation,
        kind: str,
        message: str,
        values: Sequence[SSAValue | Operation] = (),
    ) -> None:
        super().__init__(
            operands=[condition, list(values)],
            properties={"kind": StringAttr(kind), "message": StringAttr(message)},
        )

    def verify_(self) -> None:
        if self.condition.type != i1:
            raise VerifyException(f"condition must be i1, got {self.condition.type}")
        verify_kind(self.kind.data)
        if len(self.values) > MAX_REPORTED_VALUES:
            raise VerifyException(
                f"at most {MAX_REPORTED_VALUES} reported values, got {len(self.values)}"
            )
        for value in self.values:
            if not isinstance(value.type, IntegerType | IndexType | AnyFloat):
                raise VerifyException(
                    f"reported values must be integer, index or float, got {value.type}"
                )
        for match in _PLACEHOLDER.finditer(self.message.data):
            if int(match.group(1)) >= len(self.values):
                raise VerifyException(
                    f"message names {{{match.group(1)}}} but the check reports "
                    f"{len(self.values)} value(s)"
                )

    @classmethod
    def parse(cls, parser: Parser) -> CheckOp:
        # The custom form has no condition type: it is i1 by definition, and a non-i1 value
        # is reported by the parser as a type mismatch at the operand.
        condition = parser.resolve_operand(parser.parse_unresolved_operand(), i1)
        parser.parse_punctuation(",", " after the condition of neurojit.check")
        kind = parser.parse_str_literal(" (the fault kind of neurojit.check)")
        parser.parse_punctuation(",", " after the fault kind of neurojit.check")
        message = parser.parse_str_literal(" (the message of neurojit.check)")

        def parse_value() -> tuple[UnresolvedOperand, Attribute]:
            operand = parser.parse_unresolved_operand()
            parser.parse_punctuation(":", " between a reported value and its type")
            return operand, parser.parse_type()

        pairs = parser.parse_optional_comma_separated_list(parser.Delimiter.PAREN, parse_value)
        values = [parser.resolve_operand(operand, type) for operand, type in pairs or ()]
        attributes = parser.parse_optional_attr_dict()
        op = cls(condition, kind, message, values)
        op.attributes.update(attributes)
        return op

    def print(self, printer: Printer) -> None:
        printer.print_string(" ")
        printer.print_operand(self.condition)
        printer.print_string(", ")
        printer.print_string_literal(self.kind.data)
        printer.print_string(", ")
        printer.print_string_literal(self.message.data)
        if self.values:
            printer.print_string(" (")
            for i, value in enumerate(self.values):
                if i:
                    printer.print_string(", ")
                printer.print_operand(value)
                printer.print_string(" : ")
                printer.print_attribute(value.type)
            printer.print_string(")")
        if self.attributes:
            printer.print_op_attributes(self.attributes)
