"""Start-up time of `neurojit-opt` against `xdsl-opt` and `mlir-opt-19`, in one run.

    .venv/bin/python tools/bench/startup.py [--runs 15] [--markdown]

Each command runs `--runs` times (after one warm-up run that fills the OS file cache); the
table shows the median and the minimum wall time and the ratio of medians to mlir-opt-19 and
to xdsl-opt. Besides `--help`, it times a small real job (parse, `cse`, print) so the cost
of the lazy imports that `--help` avoids is visible too.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SMALL_MODULE = """\
func.func @f(%a: i64, %b: i64) -> i64 {
  %c = arith.addi %a, %b : i64
  %d = arith.addi %a, %b : i64
  %e = arith.muli %c, %d : i64
  func.return %e : i64
}
"""


def _tool(name: str) -> str | None:
    """Prefer the tool next to this interpreter (the project's .venv), then PATH."""
    local = Path(sys.executable).parent / name
    return str(local) if local.exists() else shutil.which(name)


def _time(cmd: list[str], runs: int) -> list[float]:
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    times: list[float] = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - start)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--markdown", action="store_true", help="print a markdown table")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        small = Path(tmp) / "small.mlir"
        small.write_text(SMALL_MODULE)
        tools = {"neurojit-opt": _tool("neurojit-opt"), "xdsl-opt": _tool("xdsl-opt")}
        tools["mlir-opt-19"] = shutil.which("mlir-opt-19")
        jobs = {
            "--help": {name: [path, "--help"] for name, path in tools.items() if path},
            "parse + cse + print": {
                name: (
                    [path, str(small), "--cse"]
                    if name != "xdsl-opt"
                    else [path, str(small), "-p", "cse"]
                )
                for name, path in tools.items()
                if path
            },
        }
        rows: list[tuple[str, str, float, float, str, str]] = []
        for job, commands in jobs.items():
            medians: dict[str, float] = {}
            minima: dict[str, float] = {}
            for name, cmd in commands.items():
                times = _time(cmd, args.runs)
                medians[name], minima[name] = statistics.median(times), min(times)
            for name in commands:
                vs_mlir = (
                    f"{medians[name] / medians['mlir-opt-19']:.1f}x"
                    if "mlir-opt-19" in medians
                    else "-"
                )
                vs_xdsl = (
                    f"{medians[name] / medians['xdsl-opt']:.2f}x" if "xdsl-opt" in medians else "-"
                )
                rows.append((job, name, medians[name], minima[name], vs_mlir, vs_xdsl))

    if args.markdown:
        print("| command | tool | median | min | vs mlir-opt-19 | vs xdsl-opt |")
        print("|---|---|---:|---:|---:|---:|")
        for job, name, median, minimum, vs_mlir, vs_xdsl in rows:
            print(
                f"| `{job}` | {name} | {median * 1000:.0f} ms | {minimum * 1000:.0f} ms "
                f"| {vs_mlir} | {vs_xdsl} |"
            )
    else:
        for job, name, median, minimum, vs_mlir, vs_xdsl in rows:
            print(
                f"{job:22} {name:14} median {median * 1000:6.0f} ms  min {minimum * 1000:6.0f} ms"
                f"  vs mlir-opt {vs_mlir:>6}  vs xdsl-opt {vs_xdsl:>6}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
