"""Latency of one `llm-repair` of a division-by-zero, by where the repair comes from.

    .venv/bin/python tools/bench/repair_latency.py [--runs 9] [--markdown]

Each row repairs a fresh copy of the same faulty function through `repair_module()` and
reports the median and minimum wall time. "dynamic" rows include the native validation
(compile with checks, run the triggering inputs and one recorded good call); "static" rows
turn it off, so the difference is the cost of running candidates. The model row uses the
mock runner (a replayed answer), so it measures the pass, not a model.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from neurojit.ir import parse_module
from neurojit.llm_pass import validate
from neurojit.llm_pass.llm_repair import RepairOptions, repair_module
from neurojit.llm_pass.runners.mock import MockRunner

SOURCE = """
func.func @div(%a: i64, %b: i64) -> i64 attributes {neurojit.fault = #neurojit.fault<
    kind = "division-by-zero", message = "divisor is 0", inputs = [7 : i64, 0 : i64]>} {
  %q = arith.divsi %a, %b : i64
  func.return %q : i64
}
"""

ANSWER = """func.func @div(%a: i64, %b: i64) -> i64 {
  %zero = arith.constant 0 : i64
  %one = arith.constant 1 : i64
  %z = arith.cmpi eq, %b, %zero : i64
  %d = arith.select %z, %one, %b : i64
  %q = arith.divsi %a, %d : i64
  func.return %q : i64
}"""


def _time(options: RepairOptions, runs: int, dynamic: bool) -> tuple[float, float, str]:
    # validate_candidate looks run_behaviour up at call time: replacing it turns the native
    # run off for the static rows.
    original = validate.run_behaviour
    if not dynamic:
        validate.run_behaviour = lambda *a, **k: ("static only: off", "static only (off)")  # type: ignore[assignment]
    try:
        times: list[float] = []
        source = ""
        for _ in range(runs + 1):  # the first run warms imports and the JIT
            module = parse_module(SOURCE)
            start = time.perf_counter()
            outcome = repair_module(
                module,
                MockRunner(answers=[ANSWER]),
                options,
                recorded={"div": [((10, 2), 5)]},
            )
            times.append(time.perf_counter() - start)
            assert outcome.ok, outcome.failed[0].failure_message()
            source = outcome.repairs[0].source
        return statistics.median(times[1:]), min(times[1:]), source
    finally:
        validate.run_behaviour = original


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    cache = str(Path(tempfile.mkdtemp()) / "cache.json")
    rows = []
    for label, options in [
        ("rules", RepairOptions(runner="mock", proposers="rules", cache="none")),
        ("model (mock)", RepairOptions(runner="mock", proposers="model", cache="none")),
        ("cache hit", RepairOptions(runner="mock", proposers="model", cache=cache)),
    ]:
        for dynamic in (False, True):
            median, best, source = _time(options, args.runs, dynamic)
            rows.append((label, "dynamic" if dynamic else "static", median, best, source))
    if args.markdown:
        print("| proposer | validation | median ms | min ms |")
        print("|---|---|---:|---:|")
        for label, depth, median, best, _ in rows:
            print(f"| {label} | {depth} | {median * 1e3:.1f} | {best * 1e3:.1f} |")
    else:
        for label, depth, median, best, source in rows:
            print(
                f"{label:14} {depth:8} median {median * 1e3:7.1f} ms  min {best * 1e3:7.1f} ms"
                f"  ({source})"
            )


if __name__ == "__main__":
    main()
