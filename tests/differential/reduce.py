"""Shrinks a program on which ours and upstream MLIR 19 disagree, keeping the disagreement.

    .venv/bin/python tests/differential/reduce.py prog.mlir [-o small.mlir]

Greedy, text level, generator-agnostic, to a fixpoint:
- lines the generator marked `// guard` (safe divisors, masks, clamps, loop counters,
  fills) are never touched, so reductions can't introduce UB or endless loops;
- an op `%x = op %a, %b ...` is removed and `%x`'s uses rewired to one of its operands
  (mlir-opt-19 rejects the candidates where the types don't fit, so no type inference here);
- statements without results (store, assert), unused ops, result-less or unused
  regions and functions nobody calls are deleted.

A candidate is kept when upstream still accepts and runs it and the failure is still the
same kind: a wrong value stays a wrong value, an error stays an error with the same first
line. The last lines printed name the ops left, i.e. the suspects.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from oracle import OracleError, run_oracle  # noqa: E402

DEF = re.compile(r"^\s*(%[\w]+) = ([\w.]+)(.*)$")
MULTI_DEF = re.compile(r"^\s*(%[\w]+):(\d+) = ")
FUNC = re.compile(r"^func\.func @(\w+)")
VALUE = re.compile(r"%[\w]+(?:#\d+)?")

Predicate = Callable[[str], bool]
GUARD = "// guard"  # the generator's mark on ops that keep a program UB-free and finite


def _code(line: str) -> str:
    return line.split("//", 1)[0].rstrip()


def _uses(lines: list[str], name: str, skip: int) -> bool:
    pattern = re.compile(re.escape(name) + r"(?![\w])")
    return any(pattern.search(line) for i, line in enumerate(lines) if i != skip)


def _region_end(lines: list[str], start: int) -> int:
    """Index of the line closing the region(s) opened on line `start`."""
    depth = 0
    for i in range(start, len(lines)):
        depth += lines[i].count("{") - lines[i].count("}")
        if depth == 0:
            return i
    return len(lines) - 1


def _candidates(lines: list[str]) -> list[list[str]]:
    """Smaller variants of `lines`, most promising (largest cuts) first."""
    out: list[list[str]] = []
    text = "\n".join(lines)
    # Whole functions nobody calls (never main).
    for i, line in enumerate(lines):
        m = FUNC.match(line)
        if m and m.group(1) != "main" and f"@{m.group(1)}(" not in text.replace(line, ""):
            end = _region_end(lines, i)
            out.append(lines[:i] + lines[end + 1 :])
    # Regions: unused multi-result ops and result-less scf.if/for.
    for i, line in enumerate(lines):
        if not _code(line).endswith("{") or line.startswith("func.func") or GUARD in line:
            continue
        m = MULTI_DEF.match(line)
        unused = m is not None and not _uses(lines, m.group(1) + "#", i)
        resultless = re.match(r"^\s*scf\.(if|for) ", line) is not None
        if unused or resultless:
            end = _region_end(lines, i)
            out.append(lines[:i] + lines[end + 1 :])
    # Single ops, from the bottom up: delete if unused, else rewire to each operand.
    for i in range(len(lines) - 1, -1, -1):
        line = lines[i]
        if _code(line).endswith("{") or "scf.yield" in line or "scf.condition" in line:
            continue
        m = DEF.match(line)
        if GUARD in line:
            # A guard may go only once nothing uses it any more.
            if m is not None and not _uses(lines, m.group(1), i):
                out.append(lines[:i] + lines[i + 1 :])
            continue
        if m is None:
            if re.match(r"^\s*(memref\.store|cf\.assert|memref\.dealloc)", line):
                out.append(lines[:i] + lines[i + 1 :])
            continue
        name, operands = m.group(1), VALUE.findall(m.group(3))
        if not _uses(lines, name, i):
            out.append(lines[:i] + lines[i + 1 :])
            continue
        if m.group(2) == "arith.constant":
            continue
        pattern = re.compile(re.escape(name) + r"(?![\w])")
        for operand in dict.fromkeys(operands):
            rest = [pattern.sub(operand, x) for x in lines[i + 1 :]]
            out.append(lines[:i] + rest)
    return out


def reduce(text: str, interesting: Predicate, log: Callable[[str], None] = print) -> str:
    """The smallest variant of `text` found for which `interesting` stays true."""
    lines = text.splitlines()
    progress = True
    while progress:
        progress = False
        for candidate in _candidates(lines):
            if interesting("\n".join(candidate) + "\n"):
                if candidate != lines:
                    lines = candidate
                    progress = True
                    log(f"  {len(lines)} lines")
                    break
    return "\n".join(lines) + "\n"


def ops_in(text: str) -> list[str]:
    return sorted(set(re.findall(r"\b(?:arith|math|scf|cf|memref|func)\.\w+", text)))


def disagreement(ours_run: Callable[[str], tuple[int | None, str | None]], text: str) -> Predicate:
    """The predicate `reduce` keeps true: the same kind of failure as `text` shows."""
    expected = run_oracle(text)
    value, error = ours_run(text)
    if error is None and value == expected:
        raise SystemExit("ours and upstream agree on this program: nothing to reduce")
    first_line = (error or "").splitlines()[0] if error else None
    # Locations move while lines go: compare the message after "error:".
    key = first_line.split("error:", 1)[-1].strip() if first_line else None

    def interesting(candidate: str) -> bool:
        try:
            want = run_oracle(candidate, timeout=5)
        except (OracleError, OSError, ValueError, subprocess.TimeoutExpired):
            return False
        got, err = ours_run(candidate)
        if key is None:
            return err is None and got != want
        return err is not None and key in err

    return interesting


def main() -> int:
    from ours import OursRunner

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("-o", "--output", type=Path)
    args = parser.parse_args()
    text = args.file.read_text()
    runner = OursRunner(timeout=20)
    counter = iter(range(10**9))

    def ours_run(candidate: str) -> tuple[int | None, str | None]:
        outcome = runner.run(candidate, f"reduce{next(counter)}")
        return outcome.value, outcome.error

    try:
        small = reduce(text, disagreement(ours_run, text))
    finally:
        runner.close()
    (args.output or args.file.with_suffix(".min.mlir")).write_text(small)
    print(small)
    print(f"upstream: {run_oracle(small)}  ours: {ours_run_text(small)}")
    print("ops left:", " ".join(ops_in(small)))
    return 0


def ours_run_text(text: str) -> str:
    from ours import OursRunner

    runner = OursRunner(timeout=60)
    try:
        return runner.run(text, "reduced").describe()
    finally:
        runner.close()


if __name__ == "__main__":
    raise SystemExit(main())
