"""The default path, for real: the llama runner on SmolLM2-135M, three attempts, then rules.

Slow-ish (a few seconds of generation), so it runs on the smallest program. Skipped when
llama-cpp-python or the model is missing (`make test` fetches it).
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from neurojit.healing import HealingOptions, SelfHealingModule

pytest.importorskip("llama_cpp")
RATIO = Path(__file__).parent / "data" / "ratio.mlir"


def _smollm2() -> Path:
    from neurojit.errors import NeuroJITError
    from neurojit.models import resolve_model

    try:
        return resolve_model("smollm2-135m")
    except NeuroJITError as err:
        pytest.skip(str(err))


def test_llama_attempts_are_reported_then_the_fault_is_healed(tmp_path: Path) -> None:
    model = _smollm2()
    log = io.StringIO()
    opts = HealingOptions(
        runner="llama",
        model=str(model),
        proposers="model,rules",  # the model first: this test is about its attempts
        max_attempts=3,
        cache=str(tmp_path / "cache.json"),
        query_timeout=60.0,
    )
    module = SelfHealingModule(RATIO, options=opts, progress=log)
    assert module.call("ratio", 12, 3) == 4
    result = module.call("ratio", 5, 0)
    [record] = module.repairs
    assert record.accepted
    model_attempts = [a for a in record.attempts if a.proposer == "model"]
    # Either the model fixed it (then fewer attempts) or all three were tried and rejected.
    assert 1 <= len(model_attempts) <= 3 and module.queries == len(model_attempts)
    assert all(a.tokens > 0 and a.tokens_per_second > 0 for a in model_attempts)
    if record.source == "rules":
        assert len(model_attempts) == 3 and not any(a.accepted for a in model_attempts)
        assert all(a.reason for a in model_attempts)
        assert result == 0
    else:
        assert record.source == "model" and record.model
        assert module.call("ratio", 12, 3) == 4  # still right where the original was
    text = log.getvalue()
    assert "tok/s" in text and "resumed" in text
