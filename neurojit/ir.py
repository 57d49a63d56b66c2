"""Parse, verify and print MLIR text with every xDSL dialect plus `neurojit`.

Everything downstream reads IR through `parse_module`, so this is where the gaps of xDSL 0.74
are closed once: upstream's `memref.global` syntax, source locations on every parsed op (for
`file:line:col` in verifier errors and fault reports), and the `#neurojit.fault` check that
needs the function it sits on.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from io import StringIO
from time import perf_counter
from typing import TYPE_CHECKING

from neurojit.errors import NeuroJITError

if TYPE_CHECKING:
    from xdsl.context import Context
    from xdsl.dialects.builtin import ModuleOp
    from xdsl.ir import Attribute, Operation


class SourceError(NeuroJITError):
    """A `NeuroJITError` that also knows its position, so diagnostics can be matched by line.

    `severity` is "error" for everything parse_module raises; `line`/`column` are 1-based,
    0 when unknown.
    """

    def __init__(
        self,
        message: str,
        filename: str,
        line: int = 0,
        column: int = 0,
        context: str | None = None,
    ) -> None:
        location = f"{filename}:{line}:{column}" if line else filename
        super().__init__(message, location)
        self.filename = filename
        self.line = line
        self.column = column
        # The source line and a caret under the column, MLIR-style; None when unknown.
        self.context = context

    def with_context(self) -> str:
        """`str(self)` followed by the offending source line and a caret, when known."""
        return str(self) if not self.context else f"{self}\n{self.context}"


def register_dialects(ctx: Context) -> None:
    """Register (lazily) every dialect of `neurojit.dialect.dialect_factories` into `ctx`."""
    from neurojit.dialect import dialect_factories

    for name, factory in dialect_factories().items():
        if name not in ctx.registered_dialect_names:
            ctx.register_dialect(name, factory)


def make_context(allow_unregistered: bool = False) -> Context:
    from xdsl.context import Context

    ctx = Context(allow_unregistered=allow_unregistered)
    register_dialects(ctx)
    return ctx


def _first_line(err: BaseException) -> str:
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__


def _caret(text: str, line: int, column: int) -> str | None:
    lines = text.splitlines()
    if not 1 <= line <= len(lines):
        return None
    source = lines[line - 1]
    return f"{source}\n{' ' * (column - 1)}^"


_scalar_types: dict[str, Attribute] | None = None


def _scalar_type_table() -> dict[str, Attribute]:
    """The builtin scalar types by spelling, built once: they are most of the types a module
    spells, and building e.g. `IntegerType(64)` anew (IRDL-verified) costs ~6 µs each time.
    Attributes are immutable values, so one shared instance per spelling is safe."""
    global _scalar_types
    if _scalar_types is None:
        from xdsl.dialects.builtin import IndexType, IntegerType, f16, f32, f64

        table: dict[str, Attribute] = {f"i{w}": IntegerType(w) for w in (1, 8, 16, 32, 64)}
        table.update(index=IndexType(), f16=f16, f32=f32, f64=f64)
        _scalar_types = table
    return _scalar_types


def _loc_factory(filename: str) -> Callable[[int, int], Attribute]:
    """`(line, col) -> FileLineColLoc` for one file, without re-verifying what is built here.

    The normal constructor checks each parameter's kind (~4 µs an op); the parameters below
    are a `StringAttr` and two `IntAttr`s by construction, so only the fields are set.
    """
    from xdsl.dialects.builtin import FileLineColLoc, IntAttr, StringAttr

    filename_attr = StringAttr(filename)
    fields = tuple(f for f, _ in FileLineColLoc.get_irdl_definition().parameters)
    if fields != ("filename", "line", "column"):  # another xDSL: the checked constructor
        return lambda line, col: FileLineColLoc(filename_attr, IntAttr(line), IntAttr(col))
    new = FileLineColLoc.__new__
    setattr_ = object.__setattr__

    def make(line: int, col: int) -> Attribute:
        loc = new(FileLineColLoc)
        setattr_(loc, "filename", filename_attr)
        setattr_(loc, "line", IntAttr(line))
        setattr_(loc, "column", IntAttr(col))
        return loc

    return make


def _located_parser(ctx: Context, text: str, filename: str):  # -> Parser subclass instance
    """A Parser that stamps each op it parses with its `file:line:col` (unless it has a loc)."""
    from xdsl.dialects.builtin import UnknownLoc
    from xdsl.irdl import AttributeInvT
    from xdsl.parser import Parser, UnresolvedOperand
    from xdsl.utils.exceptions import ParseError, VerifyException
    from xdsl.utils.lexer import Span
    from xdsl.utils.mlir_lexer import MLIRTokenKind

    bare_ident = MLIRTokenKind.BARE_IDENT
    scalar_types = _scalar_type_table()
    make_loc = _loc_factory(filename)

    class LocatedParser(Parser):
        # First use of each not-yet-defined SSA name, so that an undefined value is reported
        # where it is used (as upstream does), not at the end of the file.
        first_uses: dict[str, Span[str]]

        def resolve_operand(self, operand: UnresolvedOperand, type: AttributeInvT):  # noqa: ANN201
            if operand.operand_name not in self.ssa_values:
                self.first_uses.setdefault(operand.operand_name, operand.span)
            return super().resolve_operand(operand, type)

        def parse_module(self, allow_implicit_module: bool = True) -> ModuleOp:
            self.first_uses = {}
            try:
                return super().parse_module(allow_implicit_module)
            except ParseError as err:
                undefined = [
                    (self.first_uses[name].start, name)
                    for name in self.forward_ssa_references
                    if name in self.first_uses
                ]
                if not err.msg.startswith("values used but not defined") or not undefined:
                    raise
                _, name = min(undefined)
                self.raise_error(f"use of undeclared SSA value name %{name}", self.first_uses[name])

        def parse_optional_type(self) -> Attribute | None:
            token = self._current_token
            if token.kind is bare_ident:
                found = scalar_types.get(token.text)
                if found is not None:
                    self._consume_token()
                    return found
            return super().parse_optional_type()

        def parse_operation(self) -> Operation:
            span = self._current_token.span
            if perf_counter() > deadline:
                self.raise_error(
                    f"parsing took longer than the budget of {budget:g} s (NEUROJIT_PARSE_BUDGET)",
                    span,
                )
            # Span.get_location() rescans the text from its start; bisecting precomputed
            # line starts keeps stamping every op linear in the file size.
            line = bisect_right(line_starts, span.start)
            column = span.start - line_starts[line - 1] + 1
            try:
                op = super().parse_operation()
            except VerifyException as err:
                # An op or attribute that rejects its own construction while being parsed
                # (e.g. `arith.sitofp` of an index): report it at this op, innermost first.
                self.raise_error(_first_line(err), span)
            if isinstance(op.location, UnknownLoc):
                op.location = make_loc(line, column)
            return op

    line_starts = [0, *(m.end() for m in re.finditer("\n", text))]
    from neurojit.limits import parse_budget

    budget = parse_budget()
    deadline = perf_counter() + budget
    return LocatedParser(ctx, text, filename)


def op_position(op: Operation) -> tuple[str, int, int] | None:
    """(file, line, col) of an op parsed by `parse_module` (or given a `loc(...)`), else None."""
    from xdsl.dialects.builtin import FileLineColLoc

    loc = op.location
    if isinstance(loc, FileLineColLoc):
        return loc.filename.data, loc.line.data, loc.column.data
    return None


def verify_module(module: Operation, filename: str = "<stdin>", text: str | None = None) -> None:
    """Verify `module` op by op, raising `SourceError` at the first op that fails.

    xDSL's `verify()` reports the failing op only inside a dump of the whole module; walking
    ourselves tells us which op it was, hence its source position. It also runs the
    `#neurojit.fault` checks that need the surrounding `func.func`.
    """
    from xdsl.dialects.func import FuncOp
    from xdsl.utils.exceptions import DiagnosticException

    from neurojit.dialect.neurojit import verify_fault_inputs
    from neurojit.dominance import DominanceError, check_dominance

    for op in module.walk():
        try:
            op.verify(verify_nested_ops=False)
            if isinstance(op, FuncOp):
                verify_fault_inputs(op)
                check_dominance(op)  # xDSL 0.74's verify() does not check dominance
        except DominanceError as err:
            op, message = err.op, err.message
            raise _op_error(op, message, filename, text) from None
        except (DiagnosticException, ValueError) as err:
            message = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
            message = f"'{op.name}' op {message}"
            # A symbol defined twice is the module's error, and an implicit module has no
            # position: point at the second definition instead (found by the driver fuzzer).
            m = _REDEFINITION.search(message)
            if m is not None and op_position(op) is None:
                op = _second_definition(op, m.group(1)) or op
            raise _op_error(op, message, filename, text) from None


_REDEFINITION = re.compile(r'Redefinition of symbol "((?:[^"\\]|\\.)*)"')


def _second_definition(table: Operation, name: str) -> Operation | None:
    """The second op directly in `table`'s regions that defines the symbol `name`."""
    seen = 0
    for region in table.regions:
        for block in region.blocks:
            for child in block.ops:
                sym = getattr(child, "sym_name", None)
                if getattr(sym, "data", None) == name:
                    seen += 1
                    if seen == 2:
                        return child
    return None


def _op_error(op: Operation, message: str, filename: str, text: str | None) -> SourceError:
    position = op_position(op)
    if position is None:
        return SourceError(message, filename)
    file, line, column = position
    context = _caret(text, line, column) if text is not None else None
    return SourceError(message, file, line, column, context)


def parse_module(
    text: str,
    filename: str = "<stdin>",
    verify: bool = True,
    ctx: Context | None = None,
    allow_unregistered: bool = False,
    implicit_module: bool = True,
) -> ModuleOp:
    """Parse (and by default verify) MLIR text; errors become `SourceError` with file:line:col.

    With `implicit_module=False` the text must be one explicit `builtin.module`.
    """
    import sys

    from xdsl.utils.exceptions import ParseError, VerifyException

    from neurojit.limits import PARSE_RECURSION_LIMIT, fix_string_lexer, prescan

    # Untrusted text is bounded before xDSL sees it (string lexing, widths, splats, depth).
    fix_string_lexer()
    prescan(text, filename)
    if ctx is None:
        ctx = make_context(allow_unregistered)
    parser = None
    limit = sys.getrecursionlimit()
    try:
        # The parser lexes its first token when built: that can fail too.
        parser = _located_parser(ctx, text, filename)
        # Bounded nesting still takes ~10 frames a level in xDSL's recursive descent.
        sys.setrecursionlimit(max(limit, PARSE_RECURSION_LIMIT))
        module = parser.parse_module(implicit_module)
    except ParseError as err:
        location = err.span.get_location()
        raise SourceError(
            err.msg.strip(),
            filename,
            location.line,
            location.col,
            _caret(text, location.line, location.col),
        ) from None
    except VerifyException as err:
        # An attribute whose own verifier fails while it is being built, e.g. an unknown
        # fault kind inside #neurojit.fault: the parser is still at that attribute.
        location = _parser_location(parser)
        raise SourceError(
            str(err).strip().splitlines()[0],
            filename,
            location.line,
            location.col,
            _caret(text, location.line, location.col),
        ) from None
    except Exception as err:  # noqa: BLE001 - xDSL's own failures on odd input
        # A hex float too large (OverflowError), a dangling block label (KeyError), a depth
        # the bounds let through (RecursionError): one line at the token the parser reached.
        location = _parser_location(parser)
        what = (
            "nesting is too deep"
            if isinstance(err, RecursionError)
            else f"{type(err).__name__}: {_first_line(err)}"
        )
        raise SourceError(
            what if isinstance(err, RecursionError) else f"invalid input: {what}",
            filename,
            location.line,
            location.col,
            _caret(text, location.line, location.col),
        ) from None
    finally:
        sys.setrecursionlimit(limit)
    if verify:
        verify_module(module, filename, text)
    return module


def _parser_location(parser: object | None):  # -> xdsl Position-like (line, col)
    from types import SimpleNamespace

    try:
        return parser._current_token.span.get_location()  # type: ignore[union-attr]  # noqa: SLF001
    except Exception:  # noqa: BLE001 - no parser yet, or no token
        return SimpleNamespace(line=0, col=0)


def print_module(op: Operation, generic: bool = False) -> str:
    from xdsl.printer import Printer

    out = StringIO()
    Printer(stream=out, print_generic_format=generic).print_op(op)
    out.write("\n")
    return out.getvalue()
