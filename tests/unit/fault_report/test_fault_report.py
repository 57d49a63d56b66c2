"""One report type from the guard to the repair: a real fault survives its attribute form."""

from __future__ import annotations

import pytest
from xdsl.dialects.builtin import IntegerAttr, i32

from neurojit.dialect.neurojit import FAULT_ATTR_NAME
from neurojit.fault_report import FaultReport, JITFault, signal_name
from neurojit.ir import parse_module, print_module
from neurojit.llm_pass.faults import fault_of, verifier_error

SOURCE = """\
func.func @ratio(%a: i32, %b: i32) -> i32 {
  %q = arith.divsi %a, %b : i32
  return %q : i32
}
"""


def _func(module: object, name: str) -> object:
    return next(op for op in module.ops if op.sym_name.data == name)  # type: ignore[attr-defined]


def test_a_guarded_fault_round_trips_through_its_attribute() -> None:
    from neurojit.runtime.module import compile_module

    compiled = compile_module(SOURCE, filename="ratio.mlir")
    with pytest.raises(JITFault) as caught:
        compiled.call("ratio", 7, 0)
    report = caught.value.report
    assert (report.kind, report.function) == ("division-by-zero", "ratio")
    assert report.location == "ratio.mlir:2:3"
    assert list(report.inputs) == [7, 0]

    module = parse_module(SOURCE, "ratio.mlir")
    func = _func(module, "ratio")
    typed = [IntegerAttr(v, i32) for v in report.inputs]
    func.attributes[FAULT_ATTR_NAME] = report.to_attr(typed)  # type: ignore[attr-defined]
    again = fault_of(_func(parse_module(print_module(module)), "ratio"))  # type: ignore[arg-type]

    assert again is not None
    assert (again.kind, again.message, again.location, again.function) == (
        report.kind,
        report.message,
        report.location,
        "ratio",
    )
    assert tuple(again.inputs) == (7, 0)
    assert tuple(again.input_text) == ("7 : i32", "0 : i32")


def test_a_verifier_error_is_the_same_type_with_its_site() -> None:
    text = SOURCE.replace(") -> i32 {", ") -> i64 {")
    func = _func(parse_module(text, "bad.mlir", verify=False), "ratio")
    report = verifier_error(func)  # type: ignore[arg-type]
    assert isinstance(report, FaultReport)
    assert (report.kind, report.function) == ("verifier-error", "ratio")
    assert report.location is not None and report.location == "bad.mlir:3:3"


def test_json_and_signal_spelling() -> None:
    report = FaultReport("segfault", "bad read", None, function="f", signal=11, inputs=[1])
    assert report.to_json()["signal"] == "SIGSEGV"
    assert report.diagnosis() == "segfault: bad read in @f"
    assert signal_name(None) is None
