"""`#neurojit.fault` and `#neurojit.strategy`: what a runtime and a repair leave on a function.

Both print as keyword lists (`kind = "...", message = "..."`) because a human reads them in a
dumped module and a model reads them in a prompt; named fields survive both better than
positional ones.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from xdsl.dialects.builtin import ArrayAttr, FloatAttr, IntAttr, IntegerAttr, NoneAttr, StringAttr
from xdsl.ir import Attribute, ParametrizedAttribute
from xdsl.irdl import irdl_attr_definition
from xdsl.parser import AttrParser
from xdsl.printer import Printer
from xdsl.utils.exceptions import VerifyException

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
