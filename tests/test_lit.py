"""Runs the whole lit suite from pytest; fails when lit fails."""

import os
import subprocess
import sys
from pathlib import Path

LIT_DIR = Path(__file__).parent / "lit"


def test_lit_suite() -> None:
    lit = Path(sys.executable).parent / "lit"
    jobs = str(os.cpu_count() or 2)
    proc = subprocess.run(
        [str(lit), "-sv", "-j", jobs, str(LIT_DIR)],
        capture_output=True,
        text=True,
    )
    # lit prints its own summary; show it so a failure is readable from the pytest log.
    print(proc.stdout[-20000:])
    print(proc.stderr[-5000:], file=sys.stderr)
    assert proc.returncode == 0, "lit suite failed"
    assert "Passed" in proc.stdout or "Total Discovered Tests" in proc.stdout


def test_lit_run_tests_on_the_xdsl_front_end() -> None:
    """The suite above compiles with the default front end (native where installed); the
    tests that run code (neurojit-run, the lander, the healing loop) must hold on the xdsl
    front end too: same results, same fault reports."""
    lit = Path(sys.executable).parent / "lit"
    jobs = str(os.cpu_count() or 2)
    env = dict(os.environ, NEUROJIT_FRONTEND="xdsl")
    dirs = [str(LIT_DIR / d) for d in ("neurojit-run", "lander", "llm-repair")]
    proc = subprocess.run(
        [str(lit), "-sv", "-j", jobs, *dirs], capture_output=True, text=True, env=env
    )
    print(proc.stdout[-20000:])
    print(proc.stderr[-5000:], file=sys.stderr)
    assert proc.returncode == 0, "lit suite failed on the xdsl front end"
