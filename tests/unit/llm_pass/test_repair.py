"""repair_module(): the Python API the healing loop calls, end to end with the mock runner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from division_case import BY_ONE, SOURCE  # tests/unit/llm_pass (on sys.path)

from neurojit.ir import parse_module, print_module
from neurojit.llm_pass.cache import CacheEntry, StrategyCache
from neurojit.llm_pass.fingerprint import fingerprint
from neurojit.llm_pass.llm_repair import RepairOptions, faulty_functions, repair_module
from neurojit.llm_pass.runners.mock import MockRunner
from neurojit.llm_pass.scoped import spec_of_grammar

# Safe, but wrong for every input: must lose against recorded good calls.
ALWAYS_ZERO = """func.func @div(%a: i64, %b: i64) -> i64 {
  %zero = arith.constant 0 : i64
  func.return %zero : i64
}"""

POISON = """func.func @div(%a: i64, %b: i64) -> i64 {
  %r = func.call @exfiltrate(%a, %b) : (i64, i64) -> i64
  func.return %r : i64
}"""


def _module():
    return parse_module(SOURCE, "t.mlir")


def _options(tmp_path: Path, **kw) -> RepairOptions:
    # These tests are about the model's path: ask it first (the default chain is rules first).
    kw.setdefault("proposers", "model,rules")
    return RepairOptions(runner="mock", cache=str(tmp_path / "cache.json"), **kw)


def test_repair_installs_strategy_and_records_attempts(tmp_path: Path) -> None:
    module = _module()
    runner = MockRunner(answers=["no idea", BY_ONE])
    outcome = repair_module(module, runner, _options(tmp_path, proposers="model"))
    assert outcome.ok
    (repair,) = outcome.repairs
    assert [(a.source, a.attempt, a.reason is None) for a in repair.attempts] == [
        ("model", 1, False),
        ("model", 2, True),
    ]
    # No location: the whole body is the hole, and prose is not a body ending in its return.
    assert "does not end with func.return" in (repair.attempts[0].reason or "")
    text = print_module(module)
    assert "neurojit.fault" not in text and 'source = "mock"' in text and "attempt = 2" in text
    # The retry told the model why its first answer was rejected.
    assert "Attempt 1 was rejected: hole: the answer does not end" in runner.prompts[1]
    assert "Attempt 1 was rejected" not in runner.prompts[0]
    # The prompt has the function, the diagnostic and the failing call, fixed prefix first.
    assert runner.prompts[0].startswith("You repair MLIR functions")
    assert "division-by-zero" in runner.prompts[0] and "@div(7 : i64, 0 : i64)" in runner.prompts[0]
    assert "neurojit.fault" not in runner.prompts[0]
    entries = StrategyCache(tmp_path / "cache.json").entries()
    assert [(e.kind, e.proposer, e.attempts) for e in entries] == [("division-by-zero", "model", 2)]


def test_recorded_good_calls_reject_a_repair_that_changes_results(tmp_path: Path) -> None:
    module = _module()
    runner = MockRunner(answers=[ALWAYS_ZERO, BY_ONE])
    outcome = repair_module(
        module,
        runner,
        _options(tmp_path, proposers="model"),
        recorded={"div": [((10, 2), 5), ((-9, 3), -3)]},
    )
    (repair,) = outcome.repairs
    assert repair.ok and repair.attempt == 2 and repair.depth == "dynamic"
    assert "returns 0, but the original returned 5" in (repair.attempts[0].reason or "")


def test_poisoned_cache_entry_is_rejected_and_dropped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    module = _module()
    func = [f for f, _ in faulty_functions(module)][0]
    fp = fingerprint(func, "division-by-zero")
    cache = StrategyCache(tmp_path / "cache.json")
    cache.store(CacheEntry(fp, "division-by-zero", "div", "", POISON, "model", "evil"))
    runner = MockRunner(answers=[BY_ONE])
    outcome = repair_module(module, runner, _options(tmp_path, proposers="model"))
    (repair,) = outcome.repairs
    assert repair.attempts[0].source == "cache"
    assert "calls @exfiltrate, which the module does not declare" in (
        repair.attempts[0].reason or ""
    )
    assert repair.ok and repair.source == "mock"
    assert "exfiltrate" not in print_module(module)
    assert "dropped cached repair" in capsys.readouterr().err
    assert all("exfiltrate" not in e.repaired for e in cache.entries())


def test_truncated_cache_file_does_not_stop_a_repair(tmp_path: Path) -> None:
    (tmp_path / "cache.json").write_text('{"version": 1, "entries": [{"fingerp')
    outcome = repair_module(
        _module(), MockRunner(answers=[BY_ONE]), _options(tmp_path, proposers="model")
    )
    assert outcome.ok
    data = json.loads((tmp_path / "cache.json").read_text())
    assert len(data["entries"]) == 1


def test_cache_hit_skips_the_runner_and_past_repairs_become_examples(tmp_path: Path) -> None:
    first = MockRunner(answers=[BY_ONE])
    assert repair_module(_module(), first, _options(tmp_path)).ok
    second = MockRunner(answers=[])
    outcome = repair_module(_module(), second, _options(tmp_path))
    assert outcome.repairs[0].source == "cache" and second.queries == 0
    # A different function with the same fault kind gets the stored repair as an example.
    other = parse_module(SOURCE.replace("%q = arith.divsi %a, %b", "%q = arith.divui %a, %b"))
    third = MockRunner(answers=[BY_ONE.replace("divsi", "divui")])
    assert repair_module(other, third, _options(tmp_path)).ok
    # In the hole format: the lines the stored repair changed, first, before the built-in
    # examples (which never name %q).
    examples = third.prompts[0].split("\nFault in @div")[0]
    first = examples.split("Example, a division-by-zero fault. Hole:\n")[1]
    assert first.startswith("%q = arith.divsi %a, %b : i64\n") and "arith.select" in first


def test_rules_reach_the_prompt_only_with_hints(tmp_path: Path) -> None:
    plain = MockRunner(answers=[BY_ONE])
    repair_module(_module(), plain, _options(tmp_path, proposers="model"), cache=None)
    hinted = MockRunner(answers=[BY_ONE])
    repair_module(
        _module(), hinted, _options(tmp_path, proposers="model", hints="rules"), cache=None
    )
    assert "Hint:" not in plain.prompts[0]
    assert "Hint:" in hinted.prompts[0]


def test_failure_leaves_the_function_unchanged(tmp_path: Path) -> None:
    module = _module()
    before = print_module(module)
    outcome = repair_module(
        module,
        MockRunner(answers=[ALWAYS_ZERO.replace("@div", "@other")] * 2),
        _options(tmp_path, proposers="model", max_attempts=2),
    )
    assert not outcome.ok
    assert print_module(module) == before
    message = outcome.failed[0].failure_message()
    assert message.count("is named @other, expected @div") == 2


SPIN = """
func.func @spin(%n: i64) -> i64 attributes {neurojit.fault = #neurojit.fault<
    kind = "timeout", message = "no progress", inputs = [5 : i64]>} {
  %z = arith.constant 0 : i64
  %r = scf.while (%x = %z) : (i64) -> i64 {
    %c = arith.cmpi slt, %x, %n : i64
    scf.condition(%c) %x : i64
  } do {
  ^bb0(%y: i64):
    scf.yield %y : i64
  }
  func.return %r : i64
}
"""


def test_a_candidate_that_still_hangs_is_stopped_by_the_watchdog_and_rules_take_over(
    tmp_path: Path,
) -> None:
    module = parse_module(SPIN, "spin.mlir")
    text = print_module(module)
    unchanged = text[text.index("func.func") : text.rindex("}")]
    # Changed (an unused constant) but still looping forever.
    still_hangs = unchanged.replace(
        "%z = arith.constant 0 : i64", "%z = arith.constant 0 : i64\n  %u = arith.constant 1 : i64"
    )
    assert still_hangs != unchanged
    outcome = repair_module(
        module,
        MockRunner(answers=[still_hangs]),
        _options(tmp_path, max_attempts=1, timeout=0.5),
        cache=None,
    )
    model, rules = outcome.repairs[0].attempts
    assert model.reason is not None and "still faults" in model.reason and "timeout" in model.reason
    assert rules.reason is None and rules.label == "bound-while"
    assert outcome.repairs[0].depth == "dynamic"


class _GrammarRunner(MockRunner):
    """A mock that poses as a sampling runner, so the pass builds it a grammar."""

    name = "llama"


def test_sampling_runners_get_the_specialised_grammar(tmp_path: Path) -> None:
    runner = _GrammarRunner(answers=[BY_ONE])
    assert repair_module(_module(), runner, _options(tmp_path, proposers="model"), cache=None).ok
    (grammar,) = runner.grammars
    # No location: the whole body is the hole, decoded line by line (scoped.py): its scope
    # is the arguments and it ends with func.return of the declared result type.
    spec = spec_of_grammar(grammar)
    assert spec is not None and spec.scope == [("%a", "i64"), ("%b", "i64")]
    assert spec.terminator == "func.return" and spec.terminator_types == ["i64"]
    # Without localized repair, the context-free grammar, its header fixed to the function's.
    runner = _GrammarRunner(answers=[BY_ONE])
    options = _options(tmp_path, proposers="model", localize=False)
    assert repair_module(_module(), runner, options, cache=None).ok
    (grammar,) = runner.grammars
    assert grammar is not None and "root" in grammar
    assert "func.func @div(%a: i64, %b: i64) -> i64" in grammar
    # Plain mock answers are replayed: no grammar is built for them.
    plain = MockRunner(answers=[BY_ONE])
    repair_module(_module(), plain, _options(tmp_path, proposers="model"), cache=None)
    assert plain.grammars == [None]


def test_reported_operand_values_reach_the_prompt(tmp_path: Path) -> None:
    runner = MockRunner(answers=[BY_ONE])
    options = _options(tmp_path, proposers="model")
    repair_module(_module(), runner, options, cache=None, operands={"div": [7, 0]})
    assert "Operand values: 7, 0" in runner.prompts[0]


class _BrokenRunner(MockRunner):
    def query(self, prompt, grammar=None, **kw):  # type: ignore[no-untyped-def]
        raise ConnectionError("connection refused\nmore")


def test_a_broken_backend_is_an_attempt_record_and_rules_still_run(tmp_path: Path) -> None:
    outcome = repair_module(_module(), _BrokenRunner(answers=[]), _options(tmp_path), cache=None)
    model, rules = outcome.repairs[0].attempts
    assert model.reason == "runner failed: ConnectionError: connection refused"
    assert rules.source == "rules" and rules.reason is None and outcome.ok


def test_rules_repair_factorial_with_its_neutral_base_case() -> None:
    from neurojit.runtime.module import compile_module

    module = parse_module(
        """
func.func @fact(%n: i64) -> i64 attributes {neurojit.fault = #neurojit.fault<
    kind = "stack-overflow", message = "stack overflow", inputs = [5 : i64]>} {
  %one = arith.constant 1 : i64
  %m = arith.subi %n, %one : i64
  %r = func.call @fact(%m) : (i64) -> i64
  %p = arith.muli %n, %r : i64
  func.return %p : i64
}""",
        "fact.mlir",
    )
    outcome = repair_module(module, options=RepairOptions(proposers="rules"), cache=None)
    assert outcome.ok and outcome.repairs[0].attempt == 1
    fact = compile_module(print_module(module))
    assert [fact.call("fact", n) for n in range(7)] == [1, 1, 2, 6, 24, 120, 720]


def test_a_shared_store_keeps_an_entry_this_run_rejects(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One process's failed validation never deletes a shared (sqlite, redis) entry: it is
    skipped here and stays for the others; a private file drops it (the test above)."""
    from neurojit.llm_pass.store import open_store

    module = _module()
    func = [f for f, _ in faulty_functions(module)][0]
    fp = fingerprint(func, "division-by-zero")
    store = open_store(f"sqlite:///{tmp_path / 'fleet.db'}")
    assert store is not None and store.shared
    store.store(CacheEntry(fp, "division-by-zero", "div", "", POISON, "model", "evil"))
    outcome = repair_module(
        module,
        MockRunner(answers=[BY_ONE]),
        _options(tmp_path, proposers="model"),
        cache=store,
    )
    (repair,) = outcome.repairs
    assert repair.attempts[0].source == "cache" and repair.attempts[0].reason
    assert repair.ok and repair.source == "mock"
    assert "exfiltrate" not in print_module(module)
    assert "kept in the shared store" in capsys.readouterr().err
    assert any("exfiltrate" in e.repaired for e in store.entries())
