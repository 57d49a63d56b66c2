"""Options the loop used to drop now reach its repairs: the model's prompt log, set on
`HealingOptions` or as a `neurojit-run` flag (both derived from the one declaration in
`llm_pass/options.py`)."""

from __future__ import annotations

import io
from pathlib import Path

from test_run_cli import run as run_cli  # tests/unit/healing (on sys.path)

from neurojit.healing import HealingOptions, SelfHealingModule

DATA = Path(__file__).parent / "data"
RATIO = DATA / "ratio.mlir"
SEPARATOR = "// -----"


def test_prompt_log_reaches_the_model(tmp_path: Path) -> None:
    prompts = tmp_path / "prompts.log"
    options = HealingOptions(
        runner="mock",
        responses=str(DATA / "ratio_model_fix.txt"),
        proposers="model",
        cache="none",
        prompt_log=str(prompts),
    )
    module = SelfHealingModule(RATIO, options=options, progress=io.StringIO())
    assert module.call("ratio", 10, 5) == 2
    assert module.call("ratio", 7, 0) == 7  # the model's (second) fix returns the dividend
    assert module.report()["queries"] == 2
    # One prompt per query (each followed by the separator), naming the function and fault.
    prompts_logged = prompts.read_text().split(SEPARATOR + "\n")
    assert prompts_logged[-1] == "" and len(prompts_logged) == 3
    for prompt in prompts_logged[:2]:
        assert "@ratio" in prompt and "division" in prompt


def test_neurojit_run_prompt_log_flag(tmp_path: Path) -> None:
    prompts = tmp_path / "prompts.log"
    flags = ["--entry", "ratio", "--arg", "7", "--arg", "0", "--runner", "mock"]
    flags += ["--responses", str(DATA / "ratio_model_fix.txt"), "--proposers", "model"]
    code, out, err, _ = run_cli(tmp_path, *flags, "--no-cache", "--prompt-log", str(prompts))
    assert (code, out) == (0, "7\n"), err
    assert "@ratio" in prompts.read_text()
