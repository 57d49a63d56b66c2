"""The `neurojit` dialect's Python API: construction, verification, printing, parsing."""

from __future__ import annotations

import pytest
from xdsl.dialects import test as xdsl_test
from xdsl.dialects.builtin import FloatAttr, IntegerAttr, MemRefType, StringAttr, f64, i1, i32, i64
from xdsl.utils.exceptions import VerifyException

from neurojit.dialect import (
    FAULT_KINDS,
    CheckOp,
    FaultAttr,
    NeuroJIT,
    StrategyAttr,
)
from neurojit.errors import NeuroJITError
from neurojit.ir import SourceError, parse_module, print_module


def test_fault_kinds_are_the_documented_ten() -> None:
    assert set(FAULT_KINDS) == {
        "division-by-zero",
        "signed-overflow",
        "out-of-bounds",
        "segfault",
        "bus-error",
        "trap",
        "stack-overflow",
        "timeout",
        "verifier-error",
        "invalid-free",
    }


def test_dialect_registers_ops_and_attributes() -> None:
    assert NeuroJIT.name == "neurojit"
    assert {op.name for op in NeuroJIT.operations} == {"neurojit.check"}
    assert {attr.name for attr in NeuroJIT.attributes} == {"neurojit.fault", "neurojit.strategy"}


def test_fault_attr_fields_and_print() -> None:
    fault = FaultAttr(
        "division-by-zero", "divisor is zero", [IntegerAttr(7, i64), IntegerAttr(0, i64)], "f:3:5"
    )
    assert fault.kind.data == "division-by-zero"
    assert [v.value.data for v in fault.inputs.data] == [7, 0]
    assert fault.location == "f:3:5"
    assert str(fault) == (
        '#neurojit.fault<kind = "division-by-zero", message = "divisor is zero", '
        'inputs = [7 : i64, 0 : i64], loc = "f:3:5">'
    )
    assert FaultAttr("trap", "t").location is None
    assert "loc" not in str(FaultAttr("trap", "t"))


def test_fault_attr_rejects_unknown_kind_and_untyped_inputs() -> None:
    with pytest.raises(VerifyException, match="unknown fault kind"):
        FaultAttr("division-by-one", "m")
    with pytest.raises(VerifyException, match="typed integer or float"):
        FaultAttr("trap", "m", [StringAttr("x")])


def test_strategy_attr_print() -> None:
    strategy = StrategyAttr("model", "smollm2-135m", 2, "ab12")
    assert strategy.attempt.data == 2
    assert str(strategy) == (
        '#neurojit.strategy<source = "model", model = "smollm2-135m", attempt = 2, '
        'fingerprint = "ab12">'
    )


def _values(*types):  # -> list[SSAValue]
    return xdsl_test.TestOp(result_types=list(types)).results


def test_check_op_verifies_good_and_bad() -> None:
    cond, a, x = _values(i1, i64, f64)
    CheckOp(cond, "division-by-zero", "{0} / {1}", [a, x]).verify()
    with pytest.raises(VerifyException, match="condition must be i1"):
        CheckOp(a, "trap", "m").verify()
    with pytest.raises(VerifyException, match="unknown fault kind"):
        CheckOp(cond, "nope", "m").verify()
    with pytest.raises(VerifyException, match="at most 2"):
        CheckOp(cond, "trap", "m", [a, a, a]).verify()
    with pytest.raises(VerifyException, match=r"names \{1\}"):
        CheckOp(cond, "trap", "{1}", [a]).verify()
    (narrow,) = _values(i32)
    CheckOp(cond, "trap", "{0}", [narrow]).verify()
    with pytest.raises(VerifyException, match="integer, index or float"):
        CheckOp(cond, "trap", "m", _values(MemRefType(i64, [2]))).verify()


FUNC = """\
func.func @f(%a: i64, %b: f64) -> i64 attributes {{neurojit.fault = {fault}}} {{
  func.return %a : i64
}}
"""


def test_fault_inputs_must_match_arguments() -> None:
    good = '#neurojit.fault<kind = "trap", message = "m", inputs = [1 : i64, 2.5 : f64]>'
    module = parse_module(FUNC.format(fault=good), "f.mlir")
    fault = next(iter(module.body.ops)).attributes["neurojit.fault"]
    assert isinstance(fault, FaultAttr)
    assert isinstance(fault.inputs.data[1], FloatAttr)
    empty = '#neurojit.fault<kind = "verifier-error", message = "m", inputs = []>'
    parse_module(FUNC.format(fault=empty))
    with pytest.raises(SourceError, match="has 1 input"):
        parse_module(
            FUNC.format(fault='#neurojit.fault<kind = "trap", message = "m", inputs = [1 : i64]>')
        )
    with pytest.raises(NeuroJITError, match="input #1 has type i64"):
        parse_module(
            FUNC.format(
                fault='#neurojit.fault<kind = "trap", message = "m", inputs = [1 : i64, 2 : i64]>'
            ),
            "f.mlir",
        )


def test_errors_carry_file_line_col() -> None:
    # Generic form: the op parses, then the verifier rejects it at the op's own position.
    text = (
        "func.func @f(%c: i64) {\n"
        '  "neurojit.check"(%c) <{kind = "trap", message = "m"}> : (i64) -> ()\n'
        "  func.return\n}\n"
    )
    with pytest.raises(SourceError) as info:
        parse_module(text, "g.mlir")
    assert (info.value.filename, info.value.line, info.value.column) == ("g.mlir", 2, 3)
    assert str(info.value).startswith("g.mlir:2:3: error: 'neurojit.check' op condition must be i1")
    # Custom form: the condition is i1 by syntax, so the parser points at the operand.
    text = 'func.func @f(%c: i64) {\n  neurojit.check %c, "trap", "m"\n  func.return\n}\n'
    with pytest.raises(SourceError) as info:
        parse_module(text, "g.mlir")
    assert (info.value.line, info.value.column) == (2, 18)


def test_round_trip_custom_and_generic() -> None:
    text = (
        "func.func @f(%a: i64, %b: i64) -> i64 {\n"
        "  %z = arith.constant 0 : i64\n"
        "  %ok = arith.cmpi ne, %b, %z : i64\n"
        '  neurojit.check %ok, "division-by-zero", "{0} / {1}" (%a : i64, %b : i64)\n'
        "  %q = arith.divsi %a, %b : i64\n"
        "  func.return %q : i64\n"
        "}\n"
    )
    module = parse_module(text)
    custom = print_module(module)
    assert 'neurojit.check %ok, "division-by-zero", "{0} / {1}" (%a : i64, %b : i64)' in custom
    generic = print_module(module, generic=True)
    assert '"neurojit.check"(%ok, %a, %b)' in generic
    assert print_module(parse_module(generic)) == custom
    assert print_module(parse_module(custom)) == custom
