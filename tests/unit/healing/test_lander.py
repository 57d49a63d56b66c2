"""The Lunar Lander demo end to end, through its driver, as a user runs it.

Each flight is a subprocess (exit codes and the never-killed process are part of the
contract) with its own NEUROJIT_HOME, so no test sees another's strategy cache.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
DRIVER = ROOT / "examples" / "lander" / "driver.py"
DATA = Path(__file__).parent / "data"


def fly(tmp_path: Path, *flags: str, name: str = "run") -> tuple[int, str, str, dict]:
    report = tmp_path / f"{name}.json"
    plot = tmp_path / f"{name}.png"
    env = dict(os.environ, NEUROJIT_HOME=str(tmp_path / "home"))
    proc = subprocess.run(
        [sys.executable, str(DRIVER), "--report", str(report), "--plot", str(plot), *flags],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    data = json.loads(report.read_text()) if report.exists() else {}
    if data:
        assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", "the plot is not a PNG"
    return proc.returncode, proc.stdout, proc.stderr, data


def test_runner_none_shows_the_fault_and_exits_3(tmp_path: Path) -> None:
    code, out, err, report = fly(tmp_path, "--runner", "none")
    assert code == 3, err
    assert "division-by-zero" in err and "@autopilot" in err
    assert report["status"] == "fault"
    [fault] = report["faults"]
    assert fault["function"] == "autopilot" and fault["kind"] == "division-by-zero"
    # The fault is at the top of the hop: the lander climbed first (positive velocity).
    assert any(row["velocity"] > 0 for row in report["trajectory"])
    assert report["trajectory"][-1]["altitude"] > 100


def test_rules_repair_lands_and_the_second_flight_does_not_fault(tmp_path: Path) -> None:
    code, out, err, report = fly(tmp_path, "--runner", "mock", "--proposers", "rules")
    assert code == 0, err
    assert report["status"] == "landed"
    assert len(report["faults"]) == 1
    [repair] = report["repairs"]
    assert repair["function"] == "autopilot" and repair["source"] == "rules"
    assert repair["accepted"] is True and repair["attempts"]
    assert [e["kind"] for e in report["events"]] == ["fault", "swap"]
    last = report["trajectory"][-1]
    assert last["altitude"] == 0.0 and abs(last["velocity"]) <= 3.0
    assert "resuming from the checkpoint" in out and "LANDED" in out
    # The flight went on well past the fault: the fault is mid-flight, not at touchdown.
    fault_step = report["events"][0]["step"]
    assert report["steps"] > 3 * fault_step

    code, out, err, second = fly(tmp_path, "--runner", "mock", "--proposers", "rules", name="again")
    assert code == 0, err
    assert second["faults"] == [] and second["repairs"] == [] and second["queries"] == 0
    assert [p["function"] for p in second["preapplied"]] == ["autopilot"]
    assert second["trajectory"] == report["trajectory"]  # same repair, same flight


def test_model_repair_lands(tmp_path: Path) -> None:
    code, out, err, report = fly(
        tmp_path,
        "--runner",
        "mock",
        "--responses",
        str(DATA / "autopilot_model_fix.txt"),
        "--proposers",
        "model,rules",
        "--no-cache",
    )
    assert code == 0, err
    [repair] = report["repairs"]
    assert repair["source"] == "model" and repair["runner"] == "mock"
    assert [a["accepted"] for a in repair["attempts"]] == [False, True]
    assert report["queries"] == 2


def test_all_model_attempts_rejected_exits_3(tmp_path: Path) -> None:
    code, out, err, report = fly(
        tmp_path,
        "--runner",
        "mock",
        "--responses",
        str(DATA / "ratio_model_bad.txt"),
        "--proposers",
        "model",
        "--max-attempts",
        "2",
    )
    assert code == 3, err
    [repair] = report["repairs"]
    assert repair["accepted"] is False and len(repair["attempts"]) == 2
    assert report["status"] == "fault"


@pytest.mark.parametrize("flag", ["--max-attempts=0", "--runner=bogus"])
def test_usage_errors_exit_2(tmp_path: Path, flag: str) -> None:
    code, _, err, _ = fly(tmp_path, flag)
    assert code == 2 and "Traceback" not in err
