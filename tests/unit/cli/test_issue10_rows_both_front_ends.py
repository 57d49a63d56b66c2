"""Issue 10's table, the rows about a user's program, through `neurojit-run` on both compiler
front ends: the default (native, upstream MLIR 22) came after the issue was written, and
its parser has bounds of its own (a 10,000-deep nest crashed it; a 100M-element splat took
minutes). Each row must be one located line and a non-zero exit, within a few seconds.
(The same inputs through neurojit-opt and the xDSL parser: test_bounded_input.py.)"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from neurojit import compiler

ROOT = Path(__file__).resolve().parents[3]
MEMREFS = ROOT / "tests" / "lit" / "neurojit-run" / "memrefs.mlir"
BUDGET = 20.0  # seconds, process start included; each of these took > 60 s or crashed

FRONTENDS = [
    "xdsl",
    pytest.param(
        "native",
        marks=pytest.mark.skipif(
            not compiler.native_installed(), reason="the native front end is not installed"
        ),
    ),
]

MAIN = "func.func @main() -> i64 {\n  %c = arith.constant 1 : i64\n  return %c : i64\n}\n"

ROWS = [
    ("unterminated string, 36 bytes", '"' + "a" * 35, (1, 1), "string literal"),
    (
        "unterminated string in a function",
        'func.func @main() -> i64 {\n  "t.op"() {a = "' + "a" * 40 + "\n}\n",
        (2, 17),
        "string literal",
    ),
    ("huge integer width", "func.func @main(%a: i99999999999) {\n  return\n}\n", (1, 21), "width"),
    (
        "100M-element dense splat",
        'memref.global "private" constant @t : memref<100000000xi64> = dense<1>\n' + MAIN,
        (1, 63),
        "dense literal of 100000000 elements",
    ),
    (
        "scf.if nested 10,000 deep",
        "func.func @main() -> i64 {\n  %c = arith.constant true\n"
        + "  scf.if %c {\n" * 10_000
        + "  }\n" * 10_000
        + "  %r = arith.constant 1 : i64\n  return %r : i64\n}\n",
        None,
        "nesting is too deep",
    ),
    ("NUL byte", "func.func @main() -> i64 {\n  \0 return\n}\n", (2, 3), "NUL"),
    (
        "hex float too large",
        "func.func @main() -> f64 {\n  %c = arith.constant 0x7FF0000000000000000000001 : f64\n"
        "  return %c : f64\n}\n",
        None,  # native: at the literal (2:23); xDSL: at the next token (3:3)
        "",
    ),
]


def _run(*args: str) -> tuple[int, str, str, float]:
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "neurojit.cli.run", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )
    return proc.returncode, proc.stdout, proc.stderr, time.perf_counter() - start


@pytest.mark.parametrize("frontend", FRONTENDS)
@pytest.mark.parametrize(("row", "text", "where", "needle"), ROWS, ids=[r[0] for r in ROWS])
def test_hostile_program_is_one_located_line(
    frontend: str, row: str, text: str, where: tuple | None, needle: str, tmp_path: Path
) -> None:
    path = tmp_path / "bad.mlir"
    path.write_text(text)
    code, out, err, seconds = _run(str(path), f"--frontend={frontend}", "--runner", "none")
    assert seconds < BUDGET, (row, seconds)
    assert code == 1 and out == "", (row, code, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err and "internal error" not in err, err
    head = lines[0].split(": error: ")[0]
    assert head.startswith(f"{path}:"), err  # file:line:col
    line, col = (int(x) for x in head[len(str(path)) + 1 :].split(":"))
    if where is not None:
        assert where[0] == line and where[1] in (None, col), (row, err)
    assert needle in lines[0], (row, err)


@pytest.mark.parametrize("frontend", FRONTENDS)
@pytest.mark.parametrize("size", ["4611686018427387904", "-1"])
def test_huge_allocation_is_a_fault_report(frontend: str, size: str) -> None:
    code, out, err, _ = _run(
        str(MEMREFS),
        f"--frontend={frontend}",
        "--runner",
        "none",
        "--entry",
        "iota",
        f"--arg={size}",
    )
    assert code == 3 and out == "" and err.count("\n") == 1
    assert "out-of-bounds: memref.alloc size" in err and "memrefs.mlir:" in err
