"""MLIR-style expected-* designators and their matching."""

from __future__ import annotations

from neurojit.cli.verify_diagnostics import Diagnostic, check, parse_expectations

TEXT = """\
func.func @f() {
  // expected-error @+1 {{first}}
  op1
  op2 // expected-error {{second}}
  // expected-error @-2 {{third}}
  // expected-warning@below {{fourth}}
  op3
  // expected-remark @above {{fifth}} expected-note {{sixth}}
}
"""


def test_designators_resolve_to_lines() -> None:
    got = [(e.severity, e.line, e.text) for e in parse_expectations(TEXT)]
    assert got == [
        ("error", 3, "first"),
        ("error", 4, "second"),
        ("error", 3, "third"),
        ("warning", 7, "fourth"),
        ("remark", 7, "fifth"),
        ("note", 8, "sixth"),
    ]


def test_first_line_offset_shifts_lines() -> None:
    (exp,) = parse_expectations("// expected-error @+1 {{x}}\n", first_line=10)
    assert (exp.line, exp.at_line, exp.at_column) == (11, 10, 4)


def test_not_in_a_comment_is_not_an_expectation() -> None:
    assert parse_expectations('"expected-error {{x}}"\n') == []


def test_match_by_severity_line_and_substring() -> None:
    expected = parse_expectations("x\n// expected-error @-1 {{is zero}}\n")
    assert check("f.mlir", expected, [Diagnostic("error", 1, "divisor is zero", 3)]) == []


def test_missing_and_unexpected_are_both_reported() -> None:
    expected = parse_expectations("x\n// expected-error @-1 {{is zero}}\n")
    problems = check("f.mlir", expected, [Diagnostic("error", 2, "divisor is zero", 5)])
    assert problems == [
        'f.mlir:2:4: error: expected error "is zero" was not produced',
        "f.mlir:2:5: error: unexpected error: divisor is zero",
    ]


def test_wrong_severity_does_not_match() -> None:
    expected = parse_expectations("x // expected-warning {{w}}\n")
    assert len(check("f", expected, [Diagnostic("error", 1, "w")])) == 2


def test_each_diagnostic_satisfies_one_expectation() -> None:
    expected = parse_expectations("x // expected-error {{a}} expected-error {{a}}\n")
    assert len(check("f", expected, [Diagnostic("error", 1, "a")])) == 1
    assert check("f", expected, [Diagnostic("error", 1, "a"), Diagnostic("error", 1, "ab")]) == []
