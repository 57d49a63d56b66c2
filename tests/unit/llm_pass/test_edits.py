"""Repairs with no behaviour to compare: keep what can be kept, the smallest edit wins, and
a differential check against the original on generated inputs where it runs."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from neurojit.ir import parse_module
from neurojit.llm_pass.differential import generated_inputs
from neurojit.llm_pass.edits import check_kept, edit_size
from neurojit.llm_pass.llm_repair import RepairOptions, repair_module
from neurojit.llm_pass.runners.mock import MockRunner


def _func(text: str, name: str | None = None):  # type: ignore[no-untyped-def]
    module = parse_module(text, "t.mlir", verify=False)
    funcs = [op for op in module.ops if name is None or op.sym_name.data == name]
    return funcs[0]


GAIN = """func.func @gain(%x: f64, %g: f32, %bias: f64) -> f64 {
  %b2 = arith.mulf %bias, %bias : f64
  %y = "arith.mulf"(%x, %g) : (f64, f32) -> f64
  %r = arith.addf %y, %b2 : f64
  func.return %r : f64
}
"""


def test_edit_size_counts_added_removed_and_changed_ops() -> None:
    original = _func(GAIN)
    cast = _func(
        GAIN.replace('"arith.mulf"(%x, %g) : (f64, f32) -> f64', "arith.mulf %x, %w : f64").replace(
            "  %y =", "  %w = arith.extf %g : f32 to f64\n  %y ="
        )
    )
    assert edit_size(original, cast) == 2  # extf added, mulf's operand types changed
    assert edit_size(original, original.clone()) == 0


def test_an_op_off_the_errors_path_must_stay() -> None:
    original = _func(GAIN)
    loc = "t.mlir:3:8"  # the mixed mulf
    # Drops %b2 (not on the error's path: it feeds the addf, which the error feeds, but the
    # mulf computing it reads nothing from the error).
    dropped = _func(
        """func.func @gain(%x: f64, %g: f32, %bias: f64) -> f64 {
  %w = arith.extf %g : f32 to f64
  %y = arith.mulf %x, %w : f64
  %r = arith.addf %y, %bias : f64
  func.return %r : f64
}
"""
    )
    why = check_kept(original, dropped, loc)
    assert why is not None and "'arith.mulf'" in why
    kept = _func(
        GAIN.replace('"arith.mulf"(%x, %g) : (f64, f32) -> f64', "arith.mulf %x, %x : f64")
    )
    assert check_kept(original, kept, loc) is None


MIXED = """func.func @scale(%x: f64, %gain: f32) -> f64 {
  %y = "arith.mulf"(%x, %gain) : (f64, f32) -> f64
  func.return %y : f64
}
"""

# Verifies, but computes x * x + 5.0: three ops edited against the cast's two.
SQUARE = """func.func @scale(%x: f64, %gain: f32) -> f64 {
  %sq = arith.mulf %x, %x : f64
  %five = arith.constant 5.0 : f64
  %y = arith.addf %sq, %five : f64
  func.return %y : f64
}
"""


def test_model_and_rules_disagree_on_a_verifier_error_the_smaller_edit_wins() -> None:
    module = parse_module(MIXED, "v.mlir", verify=False)
    runner = MockRunner(answers=[SQUARE])
    options = RepairOptions(runner="mock", proposers=("model", "rules"), max_attempts=1)
    [repair] = repair_module(module, runner=runner, options=options, cache=None).repairs
    assert repair.ok and repair.source == "rules" and repair.model == "insert-casts"
    assert "arith.extf %gain : f32 to f64" in repair.text
    assert [c[0] for c in repair.candidates] == ["model", "rules"]
    assert repair.candidates[0][2] > repair.candidates[1][2]
    assert repair.selection.startswith("disagree; smallest edit wins: rules [insert-casts]")
    assert repair.evidence.startswith("static only")
    model = [a for a in repair.attempts if a.source == "model"]
    assert model[0].reason is not None and model[0].reason.startswith("selection: validated")
    assert sum(a.reason is None for a in repair.attempts) == 1


def test_with_recorded_calls_the_first_validated_candidate_wins() -> None:
    module = parse_module(
        "func.func @d(%a: i64, %b: i64) -> i64 {\n  %q = arith.divsi %a, %b : i64\n"
        "  func.return %q : i64\n}\n",
        "d.mlir",
    )
    answer = """func.func @d(%a: i64, %b: i64) -> i64 {
  %z = arith.constant 0 : i64
  %one = arith.constant 1 : i64
  %bad = arith.cmpi eq, %b, %z : i64
  %s = arith.select %bad, %one, %b : i64
  %q = arith.divsi %a, %s : i64
  func.return %q : i64
}
"""
    func = next(iter(module.ops))
    from xdsl.dialects.builtin import IntegerAttr, IntegerType

    from neurojit.dialect import FaultAttr

    i64 = IntegerType(64)
    func.attributes["neurojit.fault"] = FaultAttr(
        "division-by-zero", "zero", [IntegerAttr(3, i64), IntegerAttr(0, i64)], "d.mlir:2:8"
    )
    runner = MockRunner(answers=[answer])
    options = RepairOptions(runner="mock", proposers=("model", "rules"), max_attempts=1)
    [repair] = repair_module(
        module, runner=runner, options=options, cache=None, recorded={"d": [((8, 2), 4)]}
    ).repairs
    assert repair.ok and repair.source == "mock" and repair.selection == ""
    assert repair.evidence.startswith("replayed 1 recorded call and differential on ")
    assert not any(a.source == "rules" for a in repair.attempts)  # not asked


def test_differential_rejects_a_repair_that_changes_good_inputs() -> None:
    """No recorded call: the original is run on generated inputs; where it returns, the
    candidate must return the same. Returning 0 for every input changes most of them."""
    fault = (
        '#neurojit.fault<kind = "division-by-zero", message = "zero", '
        'inputs = [3 : i64, 0 : i64], loc = "d.mlir:2:8">'
    )
    text = """func.func @d(%a: i64, %b: i64) -> i64 attributes {neurojit.fault = FAULT} {
  %q = arith.divsi %a, %b : i64
  func.return %q : i64
}
"""
    zero = """func.func @d(%a: i64, %b: i64) -> i64 {
  %z = arith.constant 0 : i64
  func.return %z : i64
}
"""
    module = parse_module(text.replace("FAULT", fault), "d.mlir")
    runner = MockRunner(answers=[zero])
    options = RepairOptions(runner="mock", proposers=("model", "rules"), max_attempts=1)
    [repair] = repair_module(module, runner=runner, options=options, cache=None).repairs
    [model] = [a for a in repair.attempts if a.source == "model"]
    assert model.reason is not None
    assert model.reason.startswith("differential: differs from the original on a generated input")
    assert repair.ok and repair.source == "rules"
    assert repair.evidence.startswith("differential on ")
    count = int(repair.evidence.split()[2])
    assert 0 < count <= 16


def test_generated_inputs_are_the_same_every_time() -> None:
    pytest.importorskip("numpy")
    func = _func(
        "func.func @f(%a: i64, %t: memref<?xf64>, %i: index) -> i64 {\n  func.return %a : i64\n}\n"
    )
    first, second = generated_inputs(func), generated_inputs(func)
    assert first is not None and second is not None and len(first) == 16
    assert [(a, t.tolist(), i) for a, t, i in first] == [(a, t.tolist(), i) for a, t, i in second]
    assert len({a for a, _, _ in first}) > 3  # not one value repeated


def test_neurojit_opt_reports_the_evidence(tmp_path: Path) -> None:
    import subprocess
    import sys

    src = tmp_path / "m.mlir"
    src.write_text(MIXED)
    bindir = Path(sys.executable).parent
    done = subprocess.run(
        [str(bindir / "neurojit-opt"), str(src), "-p", "llm-repair{proposers=rules cache=none}"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    warnings = [line for line in done.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and "static only" in warnings[0]
    assert io.StringIO(done.stdout).read().count("arith.extf") == 1


def test_replacing_the_failing_call_costs_more_than_casting_its_result() -> None:
    """The issue's third wrong repair: the model dropped the call whose result type was
    wrong. Another op in the call's place is a removal plus an addition, the cast is two
    small edits."""
    source = """func.func @total(%a: i64, %b: i64) -> i64 {
  %s = arith.addi %a, %b : i64
  func.return %s : i64
}
func.func @low(%a: i64, %b: i64) -> i32 {
  %r = "func.call"(%a, %b) {callee = @total} : (i64, i64) -> i32
  func.return %r : i32
}
"""
    dropped = """func.func @low(%a: i64, %b: i64) -> i32 {
  %r = arith.trunci %a : i64 to i32
  func.return %r : i32
}
"""
    module = parse_module(source, "c.mlir", verify=False)
    runner = MockRunner(answers=[dropped])
    options = RepairOptions(runner="mock", proposers=("model", "rules"), max_attempts=1)
    [repair] = repair_module(module, runner=runner, options=options, cache=None).repairs
    assert repair.ok and repair.model == "cast-call-results", repair.selection
    sizes = {source: size for source, _, size in repair.candidates}
    assert sizes == {"model": 6, "rules": 2}
