"""The adversarial-candidate catalog (tools/fuzz/adversarial.py): every case is rejected, for
its expected reason, in this process (a case that killed the process would fail the run)."""

from __future__ import annotations

import pytest

from tools.fuzz.adversarial import cases, run_case

CASES = cases()


def test_the_catalog_is_large_and_covers_every_row_of_the_issue() -> None:
    assert len(CASES) >= 40
    rows = {case.row for case in CASES}
    assert {"global", "views", "constant", "dealloc", "string", "size", "nesting"} <= rows


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_candidate_is_rejected_for_its_reason(case) -> None:  # noqa: ANN001
    outcome = run_case(case)
    assert outcome.stage is not None, f"accepted: {outcome.reason}"
    stage, text = case.expect
    assert (outcome.stage, text in outcome.reason) == (stage, True), outcome.reason
    # Bounded work: nothing waits beyond the 1 s watchdog (plus compile time).
    assert outcome.seconds < 20


def test_an_honest_repair_of_the_same_module_is_accepted() -> None:
    # The catalog's rejections are not a validator that rejects everything.
    from tools.fuzz.adversarial import Case, _div, _div_inputs

    outcome = run_case(Case("guarded division", "div", _div(""), ("", ""), **_div_inputs()))
    assert outcome.stage is None, outcome.reason
    outcome = run_case(
        Case("guarded division, sampled", "div", _div(""), ("", ""), trigger=[10, 0])
    )
    assert outcome.stage is None, outcome.reason
