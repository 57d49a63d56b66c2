"""Ours against upstream MLIR 19 on the seed corpus: one test per program.

Our path is `neurojit.compile(text).main()` in a worker process (tests/differential/ours.py);
the expected value is what mlir-cpu-runner-19 printed when the corpus was generated.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from harness import CORPUS, FRONTENDS, compare, corpus_ids, known_bug, lowering_missing
from ours import OursRunner

pytestmark = pytest.mark.skipif(lowering_missing(), reason="neurojit.lowering is not built yet")


@pytest.mark.parametrize("frontend", FRONTENDS)
@pytest.mark.parametrize("program", corpus_ids())
def test_corpus_program(program: str, frontend: str, ours: OursRunner) -> None:
    """Each front end (native: upstream MLIR 22 in-process; xdsl) against upstream MLIR 19."""
    text = (CORPUS / f"{program}.mlir").read_text()
    expected = int((CORPUS / f"{program}.expected").read_text())
    compare(f"corpus/{program}.mlir", text, expected, ours, frontend=frontend)


def test_a_wrong_value_fails(ours: OursRunner) -> None:
    """The comparison can fail: a corpus program against a wrong expectation."""
    # A program free of known bugs, so the only possible failure is the wrong value.
    program = next(
        i for i in corpus_ids() if "memref.cast" not in (CORPUS / f"{i}.mlir").read_text()
    )
    text = (CORPUS / f"{program}.mlir").read_text()
    wrong = int((CORPUS / f"{program}.expected").read_text()) + 1
    with pytest.raises(pytest.fail.Exception, match="disagree"):
        compare(f"corpus/{program}.mlir", text, wrong, ours)


def _neurojit_run() -> str | None:
    beside = Path(sys.executable).with_name("neurojit-run")
    return str(beside) if beside.exists() else shutil.which("neurojit-run")


@pytest.mark.skipif(_neurojit_run() is None, reason="neurojit-run is not installed")
@pytest.mark.parametrize("program", corpus_ids()[1:200:40])
def test_neurojit_run_cli(program: str) -> None:
    """The command-line path, on a sample: it prints main's i64 and exits 0."""
    path = CORPUS / f"{program}.mlir"
    expected = int((CORPUS / f"{program}.expected").read_text())
    run = subprocess.run(
        [str(_neurojit_run()), str(path)], capture_output=True, text=True, timeout=120
    )
    if run.returncode != 0:
        bug = known_bug(run.stderr)
        if bug is not None:
            pytest.xfail(f"known bug: {bug}")
    assert (run.returncode, run.stdout.strip()) == (0, str(expected)), (
        f"neurojit-run {path.name}: exit {run.returncode}\n"
        f"  ours:     {run.stdout.strip()!r} {run.stderr.strip()[:1500]}\n"
        f"  upstream: {expected}"
    )
