"""A repair model that dies never takes the program down: through `neurojit-run` and the
lander, with a worker told to fail on every query (NEUROJIT_WORKER_INJECT), the model attempt
is rejected with its reason, the rules repair the function, and the report says both."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "llm_pass"))
from tiny_gguf import build_tiny_gguf  # noqa: E402

ROOT = Path(__file__).resolve().parents[3]
RATIO = Path(__file__).parent / "data" / "ratio.mlir"
DRIVER = ROOT / "examples" / "lander" / "driver.py"

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("llama_cpp") is None, reason="llama-cpp-python is not installed"
)

REASONS = {
    "segv": "model worker died: SIGSEGV (llama.cpp)",
    "abort": "model worker died: SIGABRT (llama.cpp)",
    "hang": "model worker hung",
    "garbage": "model worker sent malformed output",
    "exit": "model worker exited with status 3 mid-answer",
}


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_gguf(tmp_path_factory.mktemp("gguf") / "tiny.gguf")


@pytest.mark.parametrize("inject", sorted(REASONS))
def test_neurojit_run_survives_a_dying_model(tmp_path: Path, tiny: Path, inject: str) -> None:
    report = tmp_path / "report.json"
    env = dict(os.environ, NEUROJIT_HOME=str(tmp_path / "home"), NEUROJIT_WORKER_INJECT=inject)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "neurojit.cli.run",
            str(RATIO),
            "--entry",
            "ratio",
            "--arg",
            "7",
            "--arg",
            "0",
            "--runner",
            "llama",
            "--model",
            str(tiny),
            "--proposers",
            "model,rules",  # the model first (the default asks the rules first)
            "--query-timeout",
            "2",
            "--report",
            str(report),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "0\n"  # the rules' repair: a zero divisor gives 0
    assert "Traceback" not in proc.stderr
    data = json.loads(report.read_text())
    [repair] = data["repairs"]
    assert repair["accepted"] and repair["source"] == "rules"
    model = [a for a in repair["attempts"] if a["proposer"] == "model"]
    assert len(model) == 1  # a dead model is not asked again for this fault
    assert not model[0]["accepted"] and REASONS[inject] in model[0]["reason"]
    assert REASONS[inject] in proc.stderr


def test_the_lander_lands_with_a_model_that_crashes_on_every_query(
    tmp_path: Path, tiny: Path
) -> None:
    report = tmp_path / "flight.json"
    env = dict(os.environ, NEUROJIT_HOME=str(tmp_path / "home"), NEUROJIT_WORKER_INJECT="segv")
    proc = subprocess.run(
        [
            sys.executable,
            str(DRIVER),
            "--runner",
            "llama",
            "--model",
            str(tiny),
            "--proposers",
            "model,rules",
            "--report",
            str(report),
            "--plot",
            str(tmp_path / "flight.png"),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(report.read_text())
    assert data["status"] == "landed"
    [repair] = data["repairs"]
    assert repair["source"] == "rules" and repair["accepted"]
    [model] = [a for a in repair["attempts"] if a["proposer"] == "model"]
    assert "model worker died: SIGSEGV (llama.cpp)" in model["reason"]
