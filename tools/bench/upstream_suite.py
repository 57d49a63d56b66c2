"""Upstream MLIR's imported CPU tests (tests/upstream): pass counts and whole-suite wall time.

    .venv/bin/python tools/bench/upstream_suite.py [--markdown] [--jobs N]

One run of lit over tests/upstream with `neurojit-run` as the runner (its object cache in a
fresh $NEUROJIT_HOME: cold, every module compiled), one with `mlir-cpu-runner-19` and
upstream's libraries (`-D runner=upstream`), back to back, the same `-j`. Both run the same
`mlir-opt-19` RUN lines, so the ratio is the runners' difference. Prints the result of every
test by upstream directory, and the wall-time ratio neurojit-run / mlir-cpu-runner-19.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SUITE = ROOT / "tests" / "upstream"
LIT = Path(sys.executable).parent / "lit"
_RESULT = re.compile(r"^(PASS|FAIL|XFAIL|XPASS|UNSUPPORTED|UNRESOLVED): [^:]+ :: (\S+)", re.M)


def run(mode: str, jobs: int) -> tuple[float, dict[str, str]]:
    """(wall seconds, {test path: result}) of one lit run in `mode` (neurojit|upstream)."""
    env = dict(os.environ)
    with tempfile.TemporaryDirectory(prefix="nj-bench-home-") as home:
        env["NEUROJIT_HOME"] = home  # cold object cache: every module compiled
        start = time.perf_counter()
        proc = subprocess.run(
            [str(LIT), "-v", "-j", str(jobs), "-D", f"runner={mode}", str(SUITE)],
            capture_output=True,
            text=True,
            env=env,
        )
        seconds = time.perf_counter() - start
    return seconds, {path: result for result, path in _RESULT.findall(proc.stdout)}


def directory(path: str) -> str:
    return str(Path(path).parent)


def table(ours: dict[str, str], theirs: dict[str, str]) -> list[tuple[str, int, int, int, int]]:
    """(directory, tests, pass under neurojit-run, xfail, pass under mlir-cpu-runner-19)."""
    rows: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for path, result in ours.items():
        row = rows[directory(path)]
        row[0] += 1
        row[1] += result == "PASS"
        row[2] += result == "XFAIL"
        row[3] += theirs.get(path) == "PASS"
    return [(d, *r) for d, r in sorted(rows.items())]  # type: ignore[misc]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args()
    ours_s, ours = run("neurojit", args.jobs)
    theirs_s, theirs = run("upstream", args.jobs)
    rows = table(ours, theirs)
    total = [sum(r[i] for r in rows) for i in range(1, 5)]
    unexpected = [p for p, r in ours.items() if r in ("FAIL", "XPASS", "UNRESOLVED")]
    if args.markdown:
        print(
            "| upstream directory | tests | pass (neurojit-run) | XFAIL "
            "| pass (mlir-cpu-runner-19) |"
        )
        print("|---|---:|---:|---:|---:|")
        for d, n, p, x, u in rows:
            print(f"| `{d}` | {n} | {p} ({100 * p / n:.0f}%) | {x} | {u} |")
        n, p, x, u = total
        print(f"| **all** | {n} | {p} ({100 * p / n:.0f}%) | {x} | {u} |")
        print()
        print(
            f"Whole suite, -j {args.jobs}: neurojit-run {ours_s:.1f} s, mlir-opt-19 | "
            f"mlir-cpu-runner-19 {theirs_s:.1f} s: ratio {ours_s / theirs_s:.2f}x "
            "(neurojit-run / mlir-cpu-runner-19; cold object cache)."
        )
    else:
        for d, n, p, x, u in rows:
            print(f"{d:55} {n:3} tests  {p:3} pass  {x:2} xfail  | upstream {u:3} pass")
        print(f"total: {total[0]} tests, {total[1]} pass, {total[2]} xfail; upstream {total[3]}")
        print(
            f"wall: neurojit-run {ours_s:.2f} s, mlir-cpu-runner-19 {theirs_s:.2f} s, "
            f"ratio {ours_s / theirs_s:.2f}x"
        )
    if unexpected:
        print(f"unexpected results under neurojit-run: {', '.join(unexpected)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
