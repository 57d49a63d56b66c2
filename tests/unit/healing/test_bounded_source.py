"""`compile_module(Path)` and `SelfHealingModule(Path)` read a user's file through the same
bounds as the CLIs (limits.read_source_text): a regular file, at most MAX_SOURCE_BYTES,
UTF-8; anything else is a one-line NeuroJITError naming the file, never a hang.

Each case runs in a child process with a deadline, so a regression (reading /dev/zero or a
FIFO forever) fails the test instead of hanging the suite.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from neurojit.limits import MAX_SOURCE_BYTES

_CHILD = """
import json, sys
from pathlib import Path
from neurojit.errors import NeuroJITError
from neurojit.healing import HealingOptions, SelfHealingModule
from neurojit.runtime.module import compile_module
path = sys.argv[1]
out = {}
for api, load in (
    ("compile_module(Path)", lambda: compile_module(Path(path))),
    # A one-line string ending in .mlir is a file name too (else it is MLIR text).
    ("compile_module(str)", lambda: compile_module(path) if path.endswith(".mlir") else 1 / 0),
    ("SelfHealingModule(Path)", lambda: SelfHealingModule(Path(path),
        options=HealingOptions(runner="none"), progress=None)),
):
    try:
        load()
        out[api] = "loaded"
    except NeuroJITError as err:
        out[api] = str(err)
    except ZeroDivisionError:
        pass
print(json.dumps(out))
"""

GOOD = "func.func @f() -> i64 {\n  %c = arith.constant 1 : i64\n  return %c : i64\n}\n"


def _load(path: str) -> dict[str, str]:
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD, path], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout)


def _fifo(tmp_path: Path) -> str:
    path = tmp_path / "pipe.mlir"
    os.mkfifo(path)
    return str(path)


def _directory(tmp_path: Path) -> str:
    path = tmp_path / "dir.mlir"
    path.mkdir()
    return str(path)


def _oversized(tmp_path: Path) -> str:
    path = tmp_path / "big.mlir"
    with open(path, "wb") as f:
        f.truncate(MAX_SOURCE_BYTES + 1)  # sparse: costs no disk
    return str(path)


def _not_utf8(tmp_path: Path) -> str:
    path = tmp_path / "latin1.mlir"
    path.write_bytes(b"// caf\xe9\n" + GOOD.encode())
    return str(path)


CASES = [
    ("/dev/zero", lambda tmp: "/dev/zero", "not a regular file"),
    ("a directory", _directory, "a directory"),
    ("a FIFO", _fifo, "not a regular file"),
    ("an oversized file", _oversized, f"over the limit of {MAX_SOURCE_BYTES}"),
    ("a non-UTF-8 file", _not_utf8, "input is not UTF-8"),
    ("a missing file", lambda tmp: str(tmp / "missing.mlir"), "could not open input file"),
]


@pytest.mark.parametrize(("what", "make", "reason"), CASES, ids=[c[0] for c in CASES])
def test_bad_files_are_one_line_errors(tmp_path: Path, what: str, make, reason: str) -> None:
    path = make(tmp_path)
    for api, message in _load(path).items():
        assert "\n" not in message, (api, message)
        assert message.startswith(f"{path}: error: "), (api, message)
        assert reason in message, (api, message)


def test_a_good_file_still_loads(tmp_path: Path) -> None:
    path = tmp_path / "good.mlir"
    path.write_text(GOOD)
    assert set(_load(str(path)).values()) == {"loaded"}
