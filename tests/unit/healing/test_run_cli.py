"""`neurojit-run` with the self-healing flags: exit codes, stdout results, the JSON report."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

RATIO = Path(__file__).parent / "data" / "ratio.mlir"


def run(tmp_path: Path, *flags: str) -> tuple[int, str, str, dict]:
    report = tmp_path / "report.json"
    report.unlink(missing_ok=True)
    env = dict(os.environ, NEUROJIT_HOME=str(tmp_path / "home"))
    proc = subprocess.run(
        [sys.executable, "-m", "neurojit.cli.run", str(RATIO), "--report", str(report), *flags],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    data = json.loads(report.read_text()) if report.exists() else {}
    return proc.returncode, proc.stdout, proc.stderr, data


def test_unhealed_fault_exits_3(tmp_path: Path) -> None:
    code, out, err, report = run(
        tmp_path, "--entry", "ratio", "--arg", "7", "--arg", "0", "--runner", "none"
    )
    assert code == 3 and out == ""
    assert "division-by-zero" in err and "Traceback" not in err
    assert report["status"] == "fault" and report["faults"][0]["kind"] == "division-by-zero"


def test_callee_fault_repaired_then_cached(tmp_path: Path) -> None:
    flags = (
        "--entry",
        "sum_ratios",
        "--arg",
        "4",
        "--arg",
        "2",
        "--runner",
        "mock",
        "--proposers",
        "rules",
    )
    code, out, err, report = run(tmp_path, *flags)
    # 4/2 + 4/1 + 4/0 + 4/-1 with the zero-divisor case repaired to 0.
    assert (code, out) == (0, "2\n"), err
    assert report["status"] == "repaired"
    [repair] = report["repairs"]
    assert repair["function"] == "ratio" and repair["source"] == "rules"
    for key in ("fault_kind", "runner", "model", "attempts", "accepted", "seconds"):
        assert key in repair
    assert "resumed" in err
    # Second run: the cache is applied at load; no fault, no repair.
    code, out, err, report = run(tmp_path, *flags)
    assert (code, out) == (0, "2\n"), err
    assert report["faults"] == [] and report["repairs"] == []
    assert "cache hit at load" in err


def test_no_cache_flag(tmp_path: Path) -> None:
    flags = (
        "--entry",
        "ratio",
        "--arg",
        "9",
        "--arg",
        "0",
        "--runner",
        "mock",
        "--proposers",
        "rules",
        "--no-cache",
    )
    for _ in range(2):
        code, out, err, report = run(tmp_path, *flags)
        assert (code, out) == (0, "0\n"), err
        assert len(report["faults"]) == 1
    assert not (tmp_path / "home" / "cache.json").exists()
