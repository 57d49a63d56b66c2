"""`neurojit-opt` in-process: help, exit codes, and no traceback whatever goes wrong."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass

from neurojit import registry
from neurojit.cli.opt import main
from neurojit.cli.tool import main as tool_main

GOOD = "func.func @f(%a: i64) -> i64 {\n  func.return %a : i64\n}\n"


@dataclass(frozen=True)
class BoomPass(ModulePass):
    """A pass with a bug in it."""

    name = "test-boom"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        raise KeyError("bug in a pass")


@pytest.fixture
def good_file(tmp_path: Path) -> Path:
    path = tmp_path / "good.mlir"
    path.write_text(GOOD)
    return path


def test_help_lists_our_passes_and_dialect(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert "neurojit.check" in out and "#neurojit.fault" in out
    for name in registry.PASSES:
        assert name in out
    assert "canonicalize" in out  # xDSL's passes, read from its name table


def test_help_does_not_import_xdsl() -> None:
    code = (
        "import sys; from neurojit.cli.opt import main; main(['--help']); "
        "sys.exit(1 if any(m.startswith('xdsl') for m in sys.modules) else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True)
    assert result.returncode == 0


def test_runs_and_writes_output(good_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.mlir"
    assert main([str(good_file), "--cse", "-o", str(out)]) == 0
    assert "func.return %a : i64" in out.read_text()


def test_crashing_pass_is_one_line(
    good_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(registry.PASSES, "test-boom", f"{__name__}:BoomPass")
    monkeypatch.delenv("NEUROJIT_TRACEBACK", raising=False)
    assert main([str(good_file), "--test-boom"]) == 1
    err = capsys.readouterr().err
    assert err.strip() == f"{good_file}: error: internal error: KeyError: 'bug in a pass'"


def test_unloadable_pass_is_a_user_error(
    good_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(registry.PASSES, "test-missing", "neurojit.no_such_module:Pass")
    assert main([str(good_file), "--test-missing"]) == 1
    err = capsys.readouterr().err
    assert "pass 'test-missing' could not be loaded: ModuleNotFoundError" in err
    assert "Traceback" not in err


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-t", "no-such-target", "x.mlir"]) == 2
    assert "invalid choice" in capsys.readouterr().err


def test_console_script_has_no_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.mlir"
    bad.write_text("func.func @f( {\n")
    exe = Path(sys.executable).parent / "neurojit-opt"
    result = subprocess.run([str(exe), str(bad)], capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr.startswith(f"{bad}:1:")
    assert "Traceback" not in result.stderr


def test_umbrella_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert tool_main([]) == 2
    assert "models" in capsys.readouterr().out
    assert tool_main(["opt", "--help"]) == 0
    assert "neurojit-opt" in capsys.readouterr().out
    assert tool_main(["frobnicate"]) == 2
