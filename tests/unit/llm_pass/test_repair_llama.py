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
