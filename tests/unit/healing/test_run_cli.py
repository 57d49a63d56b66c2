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


WIDENED = """func.func @widen(%x: i32) -> i64 {
  %one = arith.constant 1 : i32
  %y = arith.addi %x, %one : i32
  return %y : i32
}
"""


def test_verifier_error_repaired_at_load_then_cached(tmp_path: Path) -> None:
    source = tmp_path / "widen.mlir"
    source.write_text(WIDENED)
    env = dict(os.environ, NEUROJIT_HOME=str(tmp_path / "home"))
    report = tmp_path / "report.json"

    def run_widen(*flags: str) -> subprocess.CompletedProcess[str]:
        cmd = [sys.executable, "-m", "neurojit.cli.run", str(source), "--entry", "widen"]
        return subprocess.run(
            [*cmd, "--arg", "-5", "--report", str(report), *flags],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )

    unhealed = run_widen("--runner", "none")
    assert unhealed.returncode == 1 and f"{source}:4:3: error:" in unhealed.stderr
    healed = run_widen("--runner", "mock", "--proposers", "rules")
    # The rules insert a sign extension: -5 + 1 widened to i64.
    assert (healed.returncode, healed.stdout) == (0, "-4\n"), healed.stderr
    data = json.loads(report.read_text())
    assert data["status"] == "repaired"
    assert data["faults"][0]["kind"] == "verifier-error"
    assert data["repairs"][0]["source"] == "rules"
    again = run_widen("--runner", "mock", "--proposers", "rules")
    assert (again.returncode, again.stdout) == (0, "-4\n"), again.stderr
    assert "cache hit" in again.stderr and "rules attempt" not in again.stderr
    # Fixed from the cache before anything ran: pre-applied, not a fault of the second run.
    data = json.loads(report.read_text())
    assert data["faults"] == [] and data["repairs"] == [] and data["queries"] == 0
    assert [p["fault_kind"] for p in data["preapplied"]] == ["verifier-error"]
    assert data["status"] == "repaired"  # what runs is a repaired version


def test_report_says_what_each_repair_was_validated_with(tmp_path: Path) -> None:
    # The first call faults: nothing recorded, so the repair is compared with the original
    # on generated inputs where the original runs.
    code, out, err, report = run(
        tmp_path, "--entry", "ratio", "--arg", "7", "--arg", "0", "--runner", "mock",
        "--proposers", "rules", "--no-cache",
    )  # fmt: skip
    assert code == 0 and out.strip() == "0"
    [repair] = report["repairs"]
    assert repair["evidence"].startswith("differential on ")
    assert repair["evidence"].endswith(" generated inputs")
    assert f"validated: {repair['evidence']}" in err
    assert "warning" not in err


def test_a_static_only_repair_prints_one_warning_line(tmp_path: Path) -> None:
    source = tmp_path / "widen.mlir"
    source.write_text(
        "func.func @widen(%a: i64) -> i64 {\n"
        "  %s = arith.trunci %a : i64 to i32\n"
        "  func.return %s : i32\n"
        "}\n"
    )
    report_path = tmp_path / "r.json"
    proc = subprocess.run(
        [sys.executable, "-m", "neurojit.cli.run", str(source), "--entry", "widen", "--arg", "5",
         "--runner", "mock", "--proposers", "rules", "--no-cache", "--report", str(report_path)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    warnings = [line for line in proc.stderr.splitlines() if "warning" in line]
    assert len(warnings) == 1 and "static only" in warnings[0], proc.stderr
    [repair] = json.loads(report_path.read_text())["repairs"]
    assert repair["evidence"].startswith("static only (")
