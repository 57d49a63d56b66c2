"""The `neurojit` dialect: `#neurojit.fault`, `#neurojit.strategy` and `neurojit.check`.

The attributes are what a runtime and a repair leave on a function; the check op is a
condition the lowering turns into a precise fault report. `neurojit_dialect()` is the factory
`neurojit.dialect.dialect_factories` registers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from xdsl.dialects.builtin import (
    AnyFloat,
    ArrayAttr,
    FloatAttr,
    IndexType,
    IntAttr,
    IntegerAttr,
    IntegerType,
    NoneAttr,
    StringAttr,
    i1,
)
from xdsl.dialects.func import FuncOp
from xdsl.ir import Attribute, Dialect, Operation, ParametrizedAttribute, SSAValue
from xdsl.irdl import (
    IRDLOperation,
    irdl_attr_definition,
    irdl_op_definition,
    operand_def,
    prop_def,
    var_operand_def,
)
from xdsl.parser import AttrParser, Parser, UnresolvedOperand
from xdsl.printer import Printer
from xdsl.utils.exceptions import VerifyException

# `#neurojit.fault` and `#neurojit.strategy`: what a runtime and a repair leave on a function.
#
# Both print as keyword lists (`kind = "...", message = "..."`) because a human reads them in a
# dumped module and a model reads them in a prompt; named fields survive both better than
# positional ones.

# The kinds of fault the runtime can report, in the spelling used everywhere (attribute, check
# op, JSON report). Order is stable: the lowering encodes a kind as its index here.
FAULT_KINDS: tuple[str, ...] = (
    "division-by-zero",
    "signed-overflow",
    "out-of-bounds",
    "segfault",
    "bus-error",
    "trap",
    "stack-overflow",
    "timeout",
    "verifier-error",
    "invalid-free",  # a memref.dealloc of memory the call does not own (runtime/heap_ir.py)
)


def verify_kind(kind: str) -> None:
    if kind not in FAULT_KINDS:
        raise VerifyException(
            f'unknown fault kind "{kind}"; expected one of: {", ".join(FAULT_KINDS)}'
        )


def _parse_keyword_fields(
    parser: AttrParser, fields: dict[str, Callable[[], Attribute]], what: str
) -> dict[str, Attribute]:
    """Parse `<key = value, ...>` where each key appears at most once, in any order."""
    values: dict[str, Attribute] = {}

    def parse_field() -> None:
        pos = parser.pos
        key = parser.parse_identifier(f" (a field of {what})")
        if key not in fields:
            parser.raise_error(
                f"unknown field '{key}' in {what}; expected one of: {', '.join(fields)}",
                pos,
                parser.pos,
            )
        if key in values:
            parser.raise_error(f"field '{key}' given twice in {what}", pos, parser.pos)
        parser.parse_punctuation("=", f" after '{key}' in {what}")
        values[key] = fields[key]()

    parser.parse_comma_separated_list(parser.Delimiter.ANGLE, parse_field, f" in {what}")
    return values


@irdl_attr_definition
class FaultAttr(ParametrizedAttribute):
    """A fault observed at run time: kind, message, the inputs that triggered it, where."""

    name = "neurojit.fault"

    kind: StringAttr
    message: StringAttr
    inputs: ArrayAttr[Attribute]
    loc: StringAttr | NoneAttr

    def __init__(
        self,
        kind: str | StringAttr,
        message: str | StringAttr,
        inputs: Sequence[Attribute] | ArrayAttr[Attribute] = (),
        loc: str | StringAttr | NoneAttr | None = None,
    ) -> None:
        kind_attr = StringAttr(kind) if isinstance(kind, str) else kind
        message_attr = StringAttr(message) if isinstance(message, str) else message
        inputs_attr = inputs if isinstance(inputs, ArrayAttr) else ArrayAttr(tuple(inputs))
        if loc is None:
            loc_attr: StringAttr | NoneAttr = NoneAttr()
        elif isinstance(loc, str):
            loc_attr = StringAttr(loc)
        else:
            loc_attr = loc
        super().__init__(kind_attr, message_attr, inputs_attr, loc_attr)

    @property
    def location(self) -> str | None:
        return self.loc.data if isinstance(self.loc, StringAttr) else None

    def verify(self) -> None:
        verify_kind(self.kind.data)
        for value in self.inputs.data:
            if not isinstance(value, IntegerAttr | FloatAttr):
                raise VerifyException(
                    f"fault inputs must be typed integer or float values, got {value}"
                )

    @classmethod
    def parse_parameters(cls, parser: AttrParser) -> Sequence[Attribute]:
        start = parser.pos
        what = "#neurojit.fault"

        def parse_kind() -> StringAttr:
            # Checked here, not only in verify(), so the error points at the kind itself.
            pos = parser.pos
            kind = parser.parse_str_literal(" (the fault kind)")
            try:
                verify_kind(kind)
            except VerifyException as err:
                parser.raise_error(str(err), pos, parser.pos)
            return StringAttr(kind)

        fields = _parse_keyword_fields(
            parser,
            {
                "kind": parse_kind,
                "message": lambda: StringAttr(parser.parse_str_literal()),
                "inputs": parser.parse_attribute,
                "loc": lambda: StringAttr(parser.parse_str_literal()),
            },
            what,
        )
        for required in ("kind", "message"):
            if required not in fields:
                parser.raise_error(f"{what} needs a '{required}' field", start, parser.pos)
        inputs = fields.get("inputs", ArrayAttr(()))
        if not isinstance(inputs, ArrayAttr):
            parser.raise_error(f"'inputs' of {what} must be a list like [1 : i64]", start)
        return (fields["kind"], fields["message"], inputs, fields.get("loc", NoneAttr()))

    def print_parameters(self, printer: Printer) -> None:
        printer.print_string("<kind = ")
        printer.print_string_literal(self.kind.data)
        printer.print_string(", message = ")
        printer.print_string_literal(self.message.data)
        printer.print_string(", inputs = ")
        printer.print_attribute(self.inputs)
        if isinstance(self.loc, StringAttr):
            printer.print_string(", loc = ")
            printer.print_string_literal(self.loc.data)
        printer.print_string(">")


@irdl_attr_definition
class StrategyAttr(ParametrizedAttribute):
    """Marks a function body as a repair: who produced it, with which model, which try, of what."""

    name = "neurojit.strategy"

    source: StringAttr
    model: StringAttr
    attempt: IntAttr
    fingerprint: StringAttr

    def __init__(
        self, source: str, model: str = "", attempt: int = 1, fingerprint: str = ""
    ) -> None:
        super().__init__(
            StringAttr(source), StringAttr(model), IntAttr(attempt), StringAttr(fingerprint)
        )

    def verify(self) -> None:
        if not self.source.data:
            raise VerifyException("#neurojit.strategy needs a non-empty source")
        if self.attempt.data < 0:
            raise VerifyException(
                f"#neurojit.strategy attempt must be >= 0, got {self.attempt.data}"
            )

    @classmethod
    def parse_parameters(cls, parser: AttrParser) -> Sequence[Attribute]:
        start = parser.pos
        what = "#neurojit.strategy"
        fields = _parse_keyword_fields(
            parser,
            {
                "source": lambda: StringAttr(parser.parse_str_literal()),
                "model": lambda: StringAttr(parser.parse_str_literal()),
                "attempt": lambda: IntAttr(parser.parse_integer(allow_boolean=False)),
                "fingerprint": lambda: StringAttr(parser.parse_str_literal()),
            },
            what,
        )
        if "source" not in fields:
            parser.raise_error(f"{what} needs a 'source' field", start, parser.pos)
        return (
            fields["source"],
            fields.get("model", StringAttr("")),
            fields.get("attempt", IntAttr(1)),
            fields.get("fingerprint", StringAttr("")),
        )

    def print_parameters(self, printer: Printer) -> None:
        printer.print_string("<source = ")
        printer.print_string_literal(self.source.data)
        printer.print_string(", model = ")
        printer.print_string_literal(self.model.data)
        printer.print_string(f", attempt = {self.attempt.data}, fingerprint = ")
        printer.print_string_literal(self.fingerprint.data)
        printer.print_string(">")


# `neurojit.check`: a condition that must hold, and what to report when it does not.
#
# Custom syntax (values and their types are optional, at most two):
#
#     neurojit.check %ok, "division-by-zero", "divisor {0} is zero" (%b : i64)
#     neurojit.check %in, "out-of-bounds", "index {0} outside [0, {1})" (%i : index, %n : index)

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


# Checks that need the op an attribute sits on.
#
# xDSL has no hook for verifying a dialect attribute against its parent op, so the IR layer
# (`neurojit.ir.verify_module`) calls these for every `func.func` it verifies.

# The key a function stores each attribute under is the attribute's own name: one spelling,
# used by every module that reads or writes them.
FAULT_ATTR_NAME = FaultAttr.name
STRATEGY_ATTR_NAME = StrategyAttr.name


def verify_fault_inputs(func: FuncOp) -> None:
    """`neurojit.fault` inputs must be one typed value per argument, of the argument's type."""
    fault = func.attributes.get(FAULT_ATTR_NAME)
    if fault is not None and not isinstance(fault, FaultAttr):
        raise VerifyException(f"'{FAULT_ATTR_NAME}' must be a #neurojit.fault attribute")
    strategy = func.attributes.get(STRATEGY_ATTR_NAME)
    if strategy is not None and not isinstance(strategy, StrategyAttr):
        raise VerifyException(f"'{STRATEGY_ATTR_NAME}' must be a #neurojit.strategy attribute")
    if fault is None:
        return
    arg_types = func.function_type.inputs.data
    inputs = fault.inputs.data
    # No recorded inputs is allowed: a verifier error, for one, has no call that triggered it.
    if not inputs:
        return
    if len(inputs) != len(arg_types):
        raise VerifyException(
            f"#neurojit.fault has {len(inputs)} input(s) but @{func.sym_name.data} "
            f"takes {len(arg_types)} argument(s)"
        )
    for index, (value, arg_type) in enumerate(zip(inputs, arg_types, strict=True)):
        # FaultAttr.verify checks this when the attribute is built, but a parse can hand back
        # an attribute built earlier without it (found by tools/fuzz/drivers.py): check again.
        if not isinstance(value, IntegerAttr | FloatAttr):
            raise VerifyException(
                f"fault inputs must be typed integer or float values, got {value}"
            )
        if value.type != arg_type:
            raise VerifyException(
                f"#neurojit.fault input #{index} has type {value.type} but argument "
                f"#{index} of @{func.sym_name.data} is {arg_type}"
            )


NeuroJIT = Dialect("neurojit", [CheckOp], [FaultAttr, StrategyAttr])


def neurojit_dialect() -> Dialect:
    return NeuroJIT
