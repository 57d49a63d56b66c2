"""A mutational fuzzer for `neurojit-opt` and `neurojit-run`, seeded from the `.mlir` files
under `tests/`.

Each input is a seed mutated a few times (bytes flipped, spans deleted or repeated, seeds
spliced, hostile tokens inserted: unterminated strings, huge widths and splats, deep
nesting, NUL bytes, huge numbers) plus, for `neurojit-run`, mutated `--arg`/`--timeout`
values. Inputs run in a worker process (the drivers' own `main`, in-process there); the
parent enforces a per-input time budget and restarts the worker when it hangs or dies.

Outcome classes:
  ok          exit 0
  located     a one-line error that starts with file:line:col (or a usage error, exit 2)
  unlocated   a one-line error with no location (`file: error: ...`), not an internal one
  fault       neurojit-run: an unrepaired fault report (exit 3)
  internal    "internal error" in the output: a bug somewhere
  traceback   a Python traceback
  hang        over the time budget (CPU seconds; or WALL_CAP x budget of wall time)
  signal      the worker process died

Short run (CI runs this through tests/unit/fuzz/test_drivers_fuzz.py):
    python -m tools.fuzz.drivers --inputs 300 --seed 1
Long run (docs/benchmarks.md):
    python -m tools.fuzz.drivers --inputs 100000 --seed 7 --budget 10 --save fuzz-findings/
Findings again (a hang seen under load, a fix):
    python -m tools.fuzz.drivers --replay fuzz-findings/

The budget is CPU time of the worker and its compile workers (wall time is capped at
WALL_CAP budgets): on shared cores a niced worker may wait for a CPU longer than the budget.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SEED_DIRS = [ROOT / "tests"]
MAX_SEED_BYTES = 16 * 1024

HOSTILE = [
    '"' + "a" * 40,
    '"\\',
    "i99999999999",
    "i0",
    "si1024",
    "dense<1> : memref<100000000xi64>",
    "dense<1> : tensor<99999999999x99999999999xi64>",
    "\0",
    "\xff",
    "0x7FF0000000000000000000001",
    "1e99999",
    "9223372036854775808",
    "-9223372036854775809",
    "18446744073709551616",
    "scf.if %c {\n" * 300,
    "{" * 2000,
    "(" * 2000,
    "<" * 2000,
    "[" * 2000,
    "memref<?x?x?x?x?x?x?x?xi64>",
    "memref<0xi64>",
    "memref<-1xi64>",
    "%0",
    "^bb0:",
    "@",
    "#neurojit.fault<",
    "loc(",
    "// -----\n",
    "}",
    "\u202e",
    "func.func @f() {\n",
    "affine_map<(d0) -> (d0)>",
]

RUN_ARGS = [
    "0",
    "1",
    "-1",
    "2**64",
    "--",
    "18446744073709551616",
    "-9223372036854775809",
    "9223372036854775807",
    "4611686018427387904",
    "true",
    "nan",
    "inf",
    "-inf",
    "1e999",
    "0x10",
    "[1,2,3]",
    "[[1,2],[3,4]]",
    "[]",
    "[" * 5000,
    "[1, 2.5]",
    '"x"',
    "",
    "\0",
]

TIMEOUTS = ["0.5", "inf", "nan", "-1", "0", "1e9", "x"]


@dataclass
class Input:
    tool: str  # "opt" or "run"
    text: str
    args: list[str]


def load_seeds() -> list[str]:
    seeds: list[str] = []
    for base in SEED_DIRS:
        for path in sorted(base.rglob("*.mlir")):
            try:
                data = path.read_bytes()[:MAX_SEED_BYTES]
            except OSError:
                continue
            seeds.append(data.decode("utf-8", "replace"))
    return seeds


def mutate(text: str, seeds: list[str], rng: random.Random) -> str:
    for _ in range(rng.randint(1, 4)):
        n = len(text)
        choice = rng.randrange(8)
        at = rng.randrange(n + 1)
        if choice == 0 and n:  # flip a character
            text = text[:at] + chr(rng.randrange(1, 256)) + text[at + 1 :]
        elif choice == 1 and n:  # delete a span
            text = text[:at] + text[at + rng.randint(1, 64) :]
        elif choice == 2 and n:  # repeat a span
            span = text[at : at + rng.randint(1, 200)]
            text = text[:at] + span * rng.randint(2, 20) + text[at:]
        elif choice == 3:  # insert a hostile token
            text = text[:at] + rng.choice(HOSTILE) + text[at:]
        elif choice == 4:  # splice another seed
            other = rng.choice(seeds)
            cut = rng.randrange(len(other) + 1)
            text = text[:at] + other[cut:]
        elif choice == 5:  # truncate
            text = text[:at]
        elif choice == 6:  # replace a number
            text = text[:at] + str(rng.choice([0, -1, 2**31, 2**63, 2**64, 10**30])) + text[at:]
        else:  # duplicate a line
            lines = text.splitlines(keepends=True)
            if lines:
                i = rng.randrange(len(lines))
                lines.insert(i, lines[i])
                text = "".join(lines)
    return text


def make_input(seeds: list[str], rng: random.Random) -> Input:
    text = mutate(rng.choice(seeds), seeds, rng) if rng.random() < 0.9 else rng.choice(seeds)
    if rng.random() < 0.5:
        passes = rng.choice(
            [[], [], ["-p", "neurojit-insert-checks"], ["--split-input-file"], ["--disable-verify"]]
        )
        return Input("opt", text, passes)
    args = ["--runner", "none", "--entry", rng.choice(["main", "f", "lookup", "iota", "div"])]
    for _ in range(rng.randint(0, 3)):
        args.append(f"--arg={rng.choice(RUN_ARGS)}")
    if rng.random() < 0.2:
        args += ["--timeout", rng.choice(TIMEOUTS)]
    return Input("run", text, args)


# ---- the worker ------------------------------------------------------------------------------


def worker() -> None:
    """Read JSON inputs from stdin, run each, write one JSON result line per input."""
    import contextlib
    import io

    from neurojit.cli.opt import main as opt_main
    from neurojit.cli.run import main as run_main

    path = Path(os.environ.get("NJ_FUZZ_FILE", f"/tmp/nj-fuzz-{os.getpid()}.mlir"))
    for line in sys.stdin:
        item = json.loads(line)
        path.write_bytes(item["text"].encode("utf-8", "surrogatepass"))
        err, out = io.StringIO(), io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
            try:
                main = opt_main if item["tool"] == "opt" else run_main
                code = main([str(path), *item["args"]])
            except BaseException as exc:  # noqa: BLE001 - what escapes main is a finding
                import traceback

                code = -1
                err.write("Traceback (escaped main):\n" + traceback.format_exc())
                del exc
        sys.__stdout__.write(json.dumps({"code": code, "stderr": err.getvalue()[:4000]}) + "\n")
        sys.__stdout__.flush()


WALL_CAP = 6  # an input may wait this many budgets of wall time for a core


def _tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) of `pid` and its live children, from /proc; 0 without."""
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    total = 0
    todo, seen = [pid], set()
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        try:
            with open(f"/proc/{p}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
            with open(f"/proc/{p}/task/{p}/children") as f:
                todo += [int(c) for c in f.read().split()]
        except (OSError, ValueError, IndexError):
            continue
    return total / tick


class Worker:
    def __init__(self) -> None:
        self.proc: subprocess.Popen[str] | None = None

    def start(self) -> None:
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        # Findings are reproduced with tracebacks: NJ_FUZZ_TRACEBACK=1.
        env.pop("NEUROJIT_TRACEBACK", None)
        if os.environ.get("NJ_FUZZ_TRACEBACK"):
            env["NEUROJIT_TRACEBACK"] = "1"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tools.fuzz.drivers", "--worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            cwd=str(ROOT),
            env=env,
        )

    def _wait(self, budget: float) -> bool:
        """Wait for the worker's answer: False once the input has used `budget` seconds of
        CPU (the worker and its compile workers), or `WALL_CAP` x budget of wall time.

        CPU time, because on a machine shared with other jobs a niced worker can wait
        longer than the budget for a core without doing any work: wall time alone reported
        load as hangs. The wall cap still catches an input that blocks without using CPU."""
        import select

        assert self.proc is not None and self.proc.stdout
        start_wall, start_cpu = time.perf_counter(), _tree_cpu(self.proc.pid)
        step = min(budget, 0.5)
        while True:
            ready, _, _ = select.select([self.proc.stdout], [], [], step)
            if ready:
                return True
            wall = time.perf_counter() - start_wall
            cpu = _tree_cpu(self.proc.pid) - start_cpu
            if wall >= budget and (cpu >= budget or wall >= WALL_CAP * budget):
                return False

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
            self.proc = None

    def run(self, item: Input, budget: float) -> tuple[str, dict[str, Any] | None]:
        if self.proc is None:
            self.start()
        assert self.proc is not None and self.proc.stdin and self.proc.stdout
        payload = json.dumps({"tool": item.tool, "text": item.text, "args": item.args})
        try:
            self.proc.stdin.write(payload + "\n")
            self.proc.stdin.flush()
        except BrokenPipeError:
            self.stop()
            return "signal", None
        if not self._wait(budget):
            self.stop()
            return "hang", None
        line = self.proc.stdout.readline()
        if not line:
            code = self.proc.wait()
            self.proc = None
            return "signal", {"code": code, "stderr": ""}
        return "done", json.loads(line)


def classify(item: Input, result: dict[str, Any]) -> str:
    code, err = result["code"], result["stderr"]
    # The full header: inputs seeded from tests/ spell "Traceback" in CHECK lines, which an
    # error's source excerpt can echo.
    if "Traceback (most recent call last)" in err or "Traceback (escaped main)" in err:
        return "traceback"
    if "internal error" in err:
        return "internal"
    if code == 0:
        return "ok"
    if item.tool == "run" and code == 3:
        return "fault"
    lines = [ln for ln in err.splitlines() if ln.strip()]
    if code == 2:
        return "located"  # a usage error: the location is the command line
    first = next((ln for ln in lines if "error:" in ln), lines[0] if lines else "")
    head = first.split(" error:", 1)[0]
    if head.count(":") >= 3 or head.startswith("neurojit-run:") and ":" in head[13:]:
        return "located"
    return "unlocated"


def fuzz(
    inputs: int,
    seed: int,
    budget: float,
    save: Path | None = None,
    progress: bool = False,
    minutes: float | None = None,
) -> tuple[Counter[str], list[tuple[str, Input, str]]]:
    rng = random.Random(seed)
    seeds = load_seeds()
    counts: Counter[str] = Counter()
    findings: list[tuple[str, Input, str]] = []
    worker_ = Worker()
    start = time.perf_counter()
    try:
        for n in range(inputs):
            if minutes is not None and time.perf_counter() - start > minutes * 60:
                break
            item = make_input(seeds, rng)
            status, result = worker_.run(item, budget)
            outcome = status if result is None or status == "signal" else classify(item, result)
            counts[outcome] += 1
            counts[f"{item.tool}:{outcome}"] += 1
            if outcome in ("traceback", "internal", "hang", "signal", "unlocated"):
                findings.append((outcome, item, (result or {}).get("stderr", "")[:500]))
                if save is not None:
                    save.mkdir(parents=True, exist_ok=True)
                    (save / f"{outcome}-{n}.json").write_text(
                        json.dumps(
                            {
                                "tool": item.tool,
                                "args": item.args,
                                "text": item.text,
                                "stderr": (result or {}).get("stderr", ""),
                            }
                        )
                    )
            if progress and (n + 1) % 500 == 0:
                rate = (n + 1) / (time.perf_counter() - start)
                print(f"{n + 1} inputs, {rate:.1f}/s: {dict(_top(counts))}", flush=True)
    finally:
        worker_.stop()
    return counts, findings


def replay(directory: Path, budget: float) -> int:
    """Run each saved finding again (e.g. a hang seen under load); print what it is now."""
    counts: Counter[str] = Counter()
    worker_ = Worker()
    try:
        for path in sorted(directory.glob("*.json")):
            saved = json.loads(path.read_text())
            item = Input(saved["tool"], saved["text"], saved["args"])
            start = time.perf_counter()
            status, result = worker_.run(item, budget)
            outcome = status if result is None or status == "signal" else classify(item, result)
            counts[outcome] += 1
            first = ((result or {}).get("stderr") or "").strip().splitlines()[:1]
            print(f"{path.name}: {outcome} ({time.perf_counter() - start:.1f} s) {first}")
    finally:
        worker_.stop()
    print(f"replayed {sum(counts.values())}: {dict(sorted(counts.items()))}")
    return 1 if any(counts[k] for k in ("traceback", "internal", "hang", "signal")) else 0


def _top(counts: Counter[str]) -> list[tuple[str, int]]:
    return sorted((k, v) for k, v in counts.items() if ":" not in k)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--budget", type=float, default=10.0, help="seconds per input")
    parser.add_argument("--save", type=Path, help="write findings here as JSON")
    parser.add_argument("--minutes", type=float, help="stop after this long")
    parser.add_argument(
        "--replay", type=Path, help="run the findings saved in this directory again instead"
    )
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker()
        return 0
    if args.replay is not None:
        return replay(args.replay, args.budget)
    start = time.perf_counter()
    counts, findings = fuzz(
        args.inputs, args.seed, args.budget, args.save, progress=True, minutes=args.minutes
    )
    seconds = time.perf_counter() - start
    done = sum(v for k, v in counts.items() if ":" not in k)
    print(f"{done} inputs in {seconds:.0f} s ({done / seconds:.1f}/s), seed {args.seed}")
    for key, value in sorted(counts.items()):
        print(f"  {key}: {value}")
    for outcome, item, err in findings[:20]:
        print(f"{outcome}: {item.tool} {item.args} :: {err.strip().splitlines()[:1]}")
    bad = sum(counts[k] for k in ("traceback", "internal", "hang", "signal"))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
