"""Runs upstream MLIR's imported CPU execution tests (tests/upstream) from pytest.

Under neurojit-run (the point of the suite) and under mlir-cpu-runner-19 with upstream's
libraries (the oracle: every imported test is a valid LLVM 19 test, or says why not).
Unexpected failures and unexpected passes both fail.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SUITE = Path(__file__).parent / "upstream"


def _lit(*extra: str) -> subprocess.CompletedProcess:
    lit = Path(sys.executable).parent / "lit"
    jobs = str(os.cpu_count() or 2)
    proc = subprocess.run(
        [str(lit), "-sv", "-j", jobs, *extra, str(SUITE)], capture_output=True, text=True
    )
    print(proc.stdout[-20000:])
    print(proc.stderr[-5000:], file=sys.stderr)
    return proc


@pytest.mark.skipif(shutil.which("mlir-opt-19") is None, reason="needs mlir-opt-19")
def test_upstream_tests_pass_under_neurojit_run() -> None:
    proc = _lit()
    assert proc.returncode == 0, "imported upstream tests failed under neurojit-run"
    assert "Passed" in proc.stdout


@pytest.mark.skipif(
    shutil.which("mlir-opt-19") is None
    or shutil.which("mlir-cpu-runner-19") is None
    or not Path("/usr/lib/llvm-19/lib/libmlir_c_runner_utils.so.19.1").exists(),
    reason="needs mlir-opt-19, mlir-cpu-runner-19 and libmlir-19's runner utils",
)
def test_upstream_tests_pass_under_mlir_cpu_runner_19() -> None:
    proc = _lit("-D", "runner=upstream")
    assert proc.returncode == 0, "imported upstream tests failed under mlir-cpu-runner-19"
    assert "Passed" in proc.stdout
