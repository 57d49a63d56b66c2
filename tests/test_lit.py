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
