"""neurojit-run's mlir-cpu-runner command line: the pieces lit cannot reach."""

from __future__ import annotations

import os
import pty
import sys
from pathlib import Path

from neurojit.cli import runner_compat

NEUROJIT_RUN = str(Path(sys.executable).parent / "neurojit-run")


def test_no_file_at_a_terminal_is_a_usage_error_not_a_wait() -> None:
    """mlir-cpu-runner reads stdin without a FILE; at a terminal neurojit-run says what is
    missing instead of waiting for typed input."""
    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child
        os.execv(NEUROJIT_RUN, ["neurojit-run", "--runner", "none"])
    out = b""
    while True:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 2
    assert b"no input: name a FILE, or pipe MLIR into stdin" in out


def test_single_dash_spellings_are_normalised() -> None:
    argv = ["-entry-point-result=void", "-shared-libs=a.so,b.so", "--O3", "-e", "main", "x"]
    assert runner_compat.normalise(argv) == [
        "--entry-point-result=void",
        "--shared-libs=a.so,b.so",
        "-O3",
        "-e",
        "main",
        "x",
    ]


def test_entry_result_lines_match_mlir_cpu_runner_format() -> None:
    """raw_ostream's `%e` for floats (values checked against mlir-cpu-runner-19 by hand:
    42.5f prints 4.250000e+01, -0.125 prints -1.250000e-01)."""
    assert runner_compat.format_entry_result(42.5, "f32") == "4.250000e+01"
    assert runner_compat.format_entry_result(-0.125, "f64") == "-1.250000e-01"
    assert runner_compat.format_entry_result(-7, "i32") == "-7"
