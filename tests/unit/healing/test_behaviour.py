"""Behaviour recorded where it is observable, and repairs checked against it.

Good calls are recorded at the entry the user called; a repair of a callee replays them at
the entry (results and the arrays it wrote). A fault met after the first one is removed is
repaired in turn, as a chain, cached whole and pre-applied whole. Expected values come from
the programs' arithmetic.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from neurojit.healing import HealingOptions, SelfHealingModule

np = pytest.importorskip("numpy")

TEAM = """
func.func @accuracy(%hits: i64, %shots: i64) -> i64 {
  %c100 = arith.constant 100 : i64
  %scaled = arith.muli %hits, %c100 : i64
  %pct = arith.divsi %scaled, %shots : i64
  func.return %pct : i64
}
func.func @team_accuracy(%hits: i64, %shots: i64, %bonus: i64) -> i64 {
  %a = func.call @accuracy(%hits, %shots) : (i64, i64) -> i64
  %r = arith.addi %a, %bonus : i64
  func.return %r : i64
}
"""

# Divides by 100 instead of by %shots: no fault on shots = 0, but every good call of
# @team_accuracy changes (43 -> 13 for hits=13, shots=30).
WRONG_ACCURACY = """func.func @accuracy(%hits: i64, %shots: i64) -> i64 {
  %c100 = arith.constant 100 : i64
  %scaled = arith.muli %hits, %c100 : i64
  %pct = arith.divsi %scaled, %c100 : i64
  func.return %pct : i64
}
"""


def _options(tmp_path: Path, answers: str | None = None, **extra: object) -> HealingOptions:
    if answers is None:
        return HealingOptions(runner="mock", proposers="rules", **extra)  # type: ignore[arg-type]
    responses = tmp_path / "answers.txt"
    responses.write_text(answers)
    return HealingOptions(
        runner="mock",
        responses=str(responses),
        proposers="model,rules",
        max_attempts=1,
        **extra,  # type: ignore[arg-type]
    )


def test_a_wrong_callee_repair_that_changes_the_callers_results_is_rejected(
    tmp_path: Path,
) -> None:
    opts = _options(tmp_path, WRONG_ACCURACY, cache="none")
    log = io.StringIO()
    module = SelfHealingModule(TEAM, options=opts, progress=log)
    good = [(13, 30, 0), (9, 10, 0), (3, 10, 0)]
    assert [module.call("team_accuracy", *args) for args in good] == [43, 90, 30]
    # The fault is in @accuracy, which Python never called: it has no calls of its own.
    assert module.call("team_accuracy", 5, 0, 1) == 1  # repaired by the rules: 0 + bonus
    [record] = module.repairs
    assert record.function == "accuracy"
    model = [a for a in record.attempts if a.proposer == "model"]
    assert len(model) == 1 and not model[0].accepted
    assert model[0].reason.startswith(
        "run: @team_accuracy(13, 30, 0) returns 13, but it returned 43"
    )
    assert record.source == "rules"
    assert record.evidence.startswith("replayed 3 recorded calls and differential on ")
    # And the earlier good calls still give what they gave.
    assert [module.call("team_accuracy", *args) for args in good] == [43, 90, 30]


def test_the_right_callee_repair_passes_the_entry_replay(tmp_path: Path) -> None:
    module = SelfHealingModule(TEAM, options=_options(tmp_path, cache="none"), progress=None)
    assert module.call("team_accuracy", 13, 30, 2) == 45
    assert module.call("team_accuracy", 1, 0, 2) == 2
    [record] = module.repairs
    assert record.accepted
    assert record.evidence.startswith("replayed 1 recorded call and differential on ")


STEP = """
func.func @step(%v: i64, %d: i64) -> i64 {
  %q = arith.divsi %v, %d : i64
  func.return %q : i64
}
func.func @fill(%out: memref<4xi64>, %d: i64) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c10 = arith.constant 10 : i64
  scf.for %i = %c0 to %c4 step %c1 {
    %k = arith.index_cast %i : index to i64
    %v = arith.addi %k, %c10 : i64
    %q = func.call @step(%v, %d) : (i64, i64) -> i64
    memref.store %q, %out[%i] : memref<4xi64>
  }
  func.return
}
"""

# Returns %v whatever %d is: @fill returns nothing, so only the array it wrote shows it.
WRONG_STEP = """func.func @step(%v: i64, %d: i64) -> i64 {
  func.return %v : i64
}
"""


def test_a_callee_repair_that_changes_the_entrys_array_output_is_rejected(
    tmp_path: Path,
) -> None:
    opts = _options(tmp_path, WRONG_STEP, cache="none")
    module = SelfHealingModule(STEP, options=opts, progress=io.StringIO())
    out = np.zeros(4, dtype=np.int64)
    module.call("fill", out, 2)
    assert out.tolist() == [5, 5, 6, 6]
    out = np.zeros(4, dtype=np.int64)
    module.call("fill", out, 0)
    assert out.tolist() == [0, 0, 0, 0]  # the rules' zero result, not the model's 10..13
    [record] = module.repairs
    [model] = [a for a in record.attempts if a.proposer == "model"]
    assert "leaves argument #0 as [10, 11, 12, 13], but it left [5, 5, 6, 6] before" in (
        model.reason
    )


def test_rings_are_bounded_per_entry(tmp_path: Path) -> None:
    opts = _options(tmp_path, cache="none", ring_size=2)
    module = SelfHealingModule(TEAM, options=opts, progress=None)
    for shots in (10, 20, 30, 40):
        module.call("team_accuracy", 5, shots, 0)
    assert [c.inputs[1] for c in module.rings["team_accuracy"]] == [30, 40]
    assert "accuracy" not in module.rings  # recorded at the entry, not at the callee


HIST = """
func.func @bucket(%hist: memref<?xi64>, %x: i64, %n: i64) -> i64 {
  %r = arith.remui %x, %n : i64
  %i = arith.index_cast %r : i64 to index
  %v = memref.load %hist[%i] : memref<?xi64>
  func.return %v : i64
}
"""


def test_a_chain_of_two_faults_on_one_input_is_repaired_cached_and_preapplied_whole(
    tmp_path: Path,
) -> None:
    cache = str(tmp_path / "cache.json")
    log = io.StringIO()
    first = SelfHealingModule(HIST, options=_options(tmp_path, cache=cache), progress=log)
    hist = np.array([5, 6, 7], dtype=np.int64)
    assert first.call("bucket", hist, 4, 3) == 6
    empty = np.zeros(0, dtype=np.int64)
    # remui by zero; once guarded (x rem 0 -> 0), the same input reads hist[0] of an empty
    # histogram. One repair, two links: no candidate removes both faults in one step.
    assert first.call("bucket", empty, 4, 0) == 0
    assert len(first.faults) == 1
    [record] = first.repairs
    assert record.accepted
    assert [link["fault_kind"] for link in record.links] == ["division-by-zero", "out-of-bounds"]
    assert all(link["source"] == "rules" for link in record.links)
    assert record.evidence.startswith("replayed 1 recorded call and differential on ")
    said = log.getvalue()
    assert "chain link 1/2: division-by-zero" in said and "chain link 2/2: out-of-bounds" in said
    assert first.call("bucket", hist, 5, 3) == 7

    # Cached whole: one entry, from the original text to the last link.
    entries = json.loads(Path(cache).read_text())["entries"]
    assert len(entries) == 1 and entries[0]["kind"] == "division-by-zero"

    second = SelfHealingModule(HIST, options=_options(tmp_path, cache=cache), progress=None)
    assert [p["fault_kind"] for p in second.preapplied] == ["division-by-zero"]
    assert second.call("bucket", empty, 4, 0) == 0
    assert second.call("bucket", hist, 4, 3) == 6
    assert second.faults == [] and second.repairs == []


def test_report_carries_the_evidence(tmp_path: Path) -> None:
    module = SelfHealingModule(TEAM, options=_options(tmp_path, cache="none"), progress=None)
    module.call("team_accuracy", 1, 2, 0)
    module.call("team_accuracy", 1, 0, 0)
    [repair] = module.report()["repairs"]
    assert repair["evidence"].startswith("replayed 1 recorded call and differential on ")
    assert repair["links"] == []


MIXED = """
func.func @amplify(%x: f64, %gain: f32) -> f64 {
  %y = "arith.mulf"(%x, %gain) : (f64, f32) -> f64
  func.return %y : f64
}
"""

# Verifies, but squares the sample and adds 5 (the model answer).
SQUARE = """func.func @amplify(%x: f64, %gain: f32) -> f64 {
  %sq = arith.mulf %x, %x : f64
  %five = arith.constant 5.0 : f64
  %y = arith.addf %sq, %five : f64
  func.return %y : f64
}
"""


def test_a_verifier_error_the_smaller_edit_wins_and_the_report_says_so(tmp_path: Path) -> None:
    log = io.StringIO()
    module = SelfHealingModule(
        MIXED, options=_options(tmp_path, SQUARE, cache="none"), progress=log
    )
    assert module.call("amplify", 2.0, 1.5) == 3.0  # x * gain, not x * x + 5
    [repair] = module.report()["repairs"]
    assert repair["source"] == "rules" and repair["rule"] == "insert-casts"
    assert repair["selection"].startswith("disagree; smallest edit wins: rules [insert-casts]")
    assert repair["evidence"].startswith("static only")
    [model] = [a for a in repair["attempts"] if a["proposer"] == "model"]
    assert not model["accepted"] and model["reason"].startswith("selection: validated, but rules")
    said = log.getvalue()
    assert "selection: disagree; smallest edit wins: rules" in said
    assert sum("warning:" in line for line in said.splitlines()) == 1
