"""MLIR's `-verify-diagnostics`: match `// expected-error {{...}}` against what was reported.

Supported designators, as in upstream: `expected-error`, `expected-warning`,
`expected-remark` and `expected-note`, each optionally followed by `@+N`, `@-N`, `@above` or
`@below`, and one `{{substring}}`. A diagnostic matches when severity and line agree and the
expected text is a substring of its message. Whatever is left on either side is an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_EXPECTED = re.compile(
    r"expected-(?P<severity>error|warning|remark|note)"
    r"\s*(?:@(?P<offset>[+-]\d+|above|below))?"
    r"\s*\{\{(?P<text>.*?)\}\}"
)


@dataclass(frozen=True)
class Diagnostic:
    """One reported diagnostic; `line` is 1-based in the whole input file, 0 if unknown."""

    severity: str
    line: int
    message: str
    column: int = 0


@dataclass(frozen=True)
class Expected:
    severity: str
    line: int
    text: str
    # Where the `expected-...` comment itself is, for reporting a missing diagnostic.
    at_line: int
    at_column: int


def parse_expectations(text: str, first_line: int = 1) -> list[Expected]:
    """Expectations in `text`, whose first line is line `first_line` of the file."""
    expectations: list[Expected] = []
    for index, source in enumerate(text.splitlines()):
        line = first_line + index
        comment = source.find("//")
        if comment < 0:
            continue
        for match in _EXPECTED.finditer(source, comment):
            offset = match.group("offset")
            if offset is None:
                target = line
            elif offset == "above":
                target = line - 1
            elif offset == "below":
                target = line + 1
            else:
                target = line + int(offset)
            expectations.append(
                Expected(
                    match.group("severity"), target, match.group("text"), line, match.start() + 1
                )
            )
    return expectations


def check(filename: str, expected: list[Expected], produced: list[Diagnostic]) -> list[str]:
    """Error lines (MLIR wording) for unmatched expectations and unexpected diagnostics."""
    remaining = list(produced)
    problems: list[str] = []
    for want in expected:
        found = next(
            (
                d
                for d in remaining
                if d.severity == want.severity and d.line == want.line and want.text in d.message
            ),
            None,
        )
        if found is None:
            problems.append(
                f"{filename}:{want.at_line}:{want.at_column}: error: expected {want.severity} "
                f'"{want.text}" was not produced'
            )
        else:
            remaining.remove(found)
    for diag in remaining:
        where = filename
        if diag.line:
            where += f":{diag.line}:{diag.column}" if diag.column else f":{diag.line}"
        problems.append(f"{where}: error: unexpected {diag.severity}: {diag.message}")
    return problems
