"""The repair benchmark's suite is what it claims: every program parses, covers its declared
fault kind (faulting mid-run, after good calls, with healing off), and the committed `rules`
results in tools/bench/repair/results/rules.json reproduce."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from neurojit.errors import NeuroJITError
from neurojit.healing import HealingOptions, SelfHealingModule, Unrepaired
from neurojit.ir import parse_module
from neurojit.llm_pass.faults import verifier_error

BENCH = Path(__file__).resolve().parents[3] / "tools" / "bench" / "repair"
sys.path.insert(0, str(BENCH))
import run as bench  # noqa: E402

SUITE = bench.load_suite()
RUNTIME = [p for p in SUITE if p.kind != "verifier-error"]
VERIFIER = [p for p in SUITE if p.kind == "verifier-error"]


def test_suite_size_and_kinds() -> None:
    assert len(SUITE) >= 30
    kinds = {p.kind for p in SUITE}
    wanted = {
        "division-by-zero",
        "signed-overflow",
        "out-of-bounds",
        "segfault",
        "trap",
        "stack-overflow",
        "timeout",
        "verifier-error",
    }
    assert wanted <= kinds, wanted - kinds
    assert len(VERIFIER) >= 4
    for p in RUNTIME:
        assert len(p.calls) >= 2, f"{p.name}: the fault must come after good calls"
    # Every verifier-error program says what its calls are meant to return.
    for p in VERIFIER:
        assert p.expect is not None and len(p.expect) == len(p.calls), p.name


def test_suite_has_callee_faults_chains_and_cross_block_dominance() -> None:
    callee = [p for p in RUNTIME if "callee" in p.name]
    chains = [p for p in RUNTIME if "chain" in p.name]
    assert len(callee) >= 3 and len(chains) >= 3
    messages = []
    for p in VERIFIER:
        module = parse_module(p.path.read_text(), str(p.path), verify=False)
        messages += [
            info.message for op in module.body.block.ops if (info := verifier_error(op)) is not None
        ]
    assert sum("does not dominate" in m for m in messages) >= 2, messages


@pytest.mark.parametrize(
    "program", [p for p in RUNTIME if "callee" in p.name], ids=lambda p: p.name
)
def test_callee_programs_fault_in_a_callee(program: bench.Program) -> None:
    module = SelfHealingModule(program.path, options=_off(), timeout=0.5, progress=io.StringIO())
    *good, bad = program.calls
    for values in good:
        module.call(program.entry, *bench.call_args(values))
    with pytest.raises(Unrepaired) as caught:
        module.call(program.entry, *bench.call_args(bad))
    assert caught.value.report.function != program.entry


@pytest.mark.parametrize("program", SUITE, ids=lambda p: p.name)
def test_parses(program: bench.Program) -> None:
    module = parse_module(program.path.read_text(), str(program.path), verify=False)
    names = [op.sym_name.data for op in module.body.block.ops if hasattr(op, "sym_name")]
    assert program.entry in names


def _off() -> HealingOptions:
    return HealingOptions(runner="none", cache="none", preapply=False)


@pytest.mark.parametrize("program", RUNTIME, ids=lambda p: p.name)
def test_faults_as_declared_after_good_calls(program: bench.Program) -> None:
    module = SelfHealingModule(program.path, options=_off(), timeout=0.5, progress=io.StringIO())
    *good, bad = program.calls
    for values in good:
        module.call(program.entry, *bench.call_args(values))
    with pytest.raises(Unrepaired) as caught:
        module.call(program.entry, *bench.call_args(bad))
    assert caught.value.report.kind == program.kind


@pytest.mark.parametrize("program", VERIFIER, ids=lambda p: p.name)
def test_verifier_programs_fail_to_load(program: bench.Program) -> None:
    with pytest.raises(NeuroJITError):
        SelfHealingModule(program.path, options=_off(), progress=io.StringIO())
    module = parse_module(program.path.read_text(), str(program.path), verify=False)
    # The error may sit in a callee of the entry (31_verify_callee_mismatch).
    infos = [verifier_error(op) for op in module.body.block.ops]
    assert any(info is not None and info.kind == "verifier-error" for info in infos)


def _committed(name: str) -> dict[str, Any]:
    data = json.loads((BENCH / "results" / "rules.json").read_text())
    return next(r for r in data["results"] if r["program"] == name)


@pytest.mark.parametrize(
    "name",
    [
        "01_div_ratio",
        "09_segv_handle",
        "12_stack_factorial",
        "16_verify_type_mismatch",
        "17_verify_undefined_value",
        "20_callee_div_accuracy",
        "24_chain_rem_then_empty_hist",
        "27_verify_mulf_mixed",
        "29_verify_branch_join",
    ],
)
def test_rules_results_reproduce(name: str) -> None:
    program = next(p for p in SUITE if p.name == name)
    got = bench.run_program(program, "rules")
    want = _committed(name)
    for key in ("validated", "success_at_1", "success_at_3", "accepted_source", "outputs"):
        assert got[key] == want[key], key
    for key in ("correct", "changed_recorded", "links", "evidence"):
        assert got[key] == want[key], key
    assert [f["kind"] for f in got["faults"]] == [f["kind"] for f in want["faults"]]
