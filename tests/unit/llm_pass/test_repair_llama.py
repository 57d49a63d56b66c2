"""The pass with the real llama runner on SmolLM2-135M, under the specialised grammar.

A 135M model rarely repairs anything (ARCHITECTURE.md measured 0 of ~110), so this does not
ask for a repair. It checks the seam: the pass builds the grammar, the runner samples under
it, and no answer fails the stages the grammar rules out (extraction, parsing, signature).
Skipped when the llama runner or the model is not there.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from neurojit.ir import parse_module
from neurojit.llm_pass.llm_repair import RepairOptions, repair_module

MODEL = Path(__file__).resolve().parents[3] / "models" / "SmolLM2-135M-Instruct.Q4_1.gguf"

SOURCE = """
func.func @div(%a: i64, %b: i64) -> i64 attributes {neurojit.fault = #neurojit.fault<
    kind = "division-by-zero", message = "divisor is 0", inputs = [7 : i64, 0 : i64]>} {
  %q = arith.divsi %a, %b : i64
  func.return %q : i64
}
"""


def test_llama_answers_under_the_grammar_always_parse() -> None:
    pytest.importorskip("llama_cpp")
    pytest.importorskip("neurojit.llm_pass.runners.llama")
    if not MODEL.exists():
        pytest.skip(f"{MODEL.name} not fetched")
    options = RepairOptions(
        runner="llama",
        model=str(MODEL),
        proposers="model",
        max_attempts=1,
        max_tokens=96,
        cache="none",
    )
    outcome = repair_module(parse_module(SOURCE, "t.mlir"), options=options)
    (repair,) = outcome.repairs
    assert len(repair.attempts) == 1
    for attempt in repair.attempts:
        assert attempt.source == "model"
        assert attempt.tokens > 0
        reason = attempt.reason or ""
        assert not reason.startswith(("runner", "extract", "parse", "signature")), reason


def test_the_same_fault_gets_the_same_greedy_answer_whatever_the_addresses() -> None:
    """Two runs report the same fault with different addresses (ASLR) and paths; the prompt
    carries neither, so greedy decoding gives the same answer."""
    pytest.importorskip("llama_cpp")
    llama = pytest.importorskip("neurojit.llm_pass.runners.llama")
    if not MODEL.exists():
        pytest.skip(f"{MODEL.name} not fetched")
    runner = llama.LlamaRunner(model=str(MODEL))
    seen: list[str] = []
    prompts: list[str] = []

    class Recording:
        name, model = "llama", str(MODEL)

        def query(self, prompt: str, grammar: str | None = None, **kw: object) -> object:
            prompts.append(prompt)
            result = runner.query(prompt, grammar, **kw)
            seen.append(result.text)
            return result

    for pc, where in (("0x7f3a9c0e1234", "/tmp/a/t.mlir"), ("0x7ffd00c0ffee", "/srv/b/t.mlir")):
        source = SOURCE.replace(
            'message = "divisor is 0"',
            f'message = "integer division by zero at pc {pc} (SIGFPE)", loc = "{where}:6:8"',
        )
        options = RepairOptions(
            runner="llama", proposers="model", max_attempts=1, max_tokens=64, cache="none"
        )
        repair_module(parse_module(source, "t.mlir"), runner=Recording(), options=options)
    assert len(prompts) == 2 and prompts[0] == prompts[1]
    assert "0x7f" not in prompts[0] and "<address>" in prompts[0]
    assert seen[0] == seen[1]


SOURCE_AT = """
func.func @div(%a: i64, %b: i64) -> i64 attributes {neurojit.fault = #neurojit.fault<
    kind = "division-by-zero", message = "divisor is 0", inputs = [7 : i64, 0 : i64],
    loc = "t.mlir:5:3">} {
  %q = arith.divsi %a, %b : i64
  func.return %q : i64
}
"""


def test_localized_attempts_each_report_their_scope_and_reason() -> None:
    """SmolLM2 on one program, localized: the hole attempts come first (a safe divisor,
    then the op), then the whole body as a hole; every attempt is decoded under the
    scope-checked grammar, so none fails a stage that grammar rules out; the report names
    the scope and reason of every attempt."""
    pytest.importorskip("llama_cpp")
    if not MODEL.exists():
        pytest.skip(f"{MODEL.name} not fetched")
    options = RepairOptions(
        runner="llama", model=str(MODEL), proposers="model", max_tokens=400, cache="none"
    )
    outcome = repair_module(parse_module(SOURCE_AT, "t.mlir"), options=options)
    (repair,) = outcome.repairs
    for attempt in repair.attempts:  # the report: every attempt's scope and reason
        print(
            f"model #{attempt.attempt} [{attempt.scope}] {attempt.tokens} tokens: "
            f"{attempt.reason or 'accepted'}"
        )
    scopes = [a.scope for a in repair.attempts]
    assert scopes[0] == "operand" and set(scopes) <= {"operand", "op", "function"}
    syntax = ("runner", "extract", "parse", "hole", "signature", "verify", "dominance")
    for attempt in repair.attempts:
        assert attempt.source == "model" and attempt.tokens > 0
        # Every scope is decoded line by line now, the function's too.
        assert not (attempt.reason or "").startswith(syntax), attempt.reason
    if not repair.ok:
        message = repair.failure_message()
        print(message)
        for attempt in repair.attempts:
            assert str(attempt.reason) in message
            shown = f"[{attempt.scope} hole]" in message
            assert shown == (attempt.scope in ("operand", "op"))
