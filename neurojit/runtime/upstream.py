"""Upstream MLIR 19 as an oracle: `mlir-opt-19 <pipeline> | mlir-translate-19 --mlir-to-llvmir`.

Tests and benchmarks compare against this path. The runtime never depends on it.
"""

from __future__ import annotations

import shutil
import subprocess

from neurojit.compiler.pipeline import upstream_flags
from neurojit.errors import NeuroJITError

UPSTREAM_PIPELINE = upstream_flags(prepare=False)


def available() -> bool:
    return bool(shutil.which("mlir-opt-19") and shutil.which("mlir-translate-19"))


def upstream_llvm_ir(mlir_text: str) -> str:
    """LLVM IR for `mlir_text`, lowered by upstream MLIR 19 (two subprocesses)."""
    opt = subprocess.run(
        ["mlir-opt-19", *UPSTREAM_PIPELINE], input=mlir_text, capture_output=True, text=True
    )
    if opt.returncode != 0:
        raise NeuroJITError(f"mlir-opt-19 failed: {opt.stderr.strip()}")
    tr = subprocess.run(
        ["mlir-translate-19", "--mlir-to-llvmir"], input=opt.stdout, capture_output=True, text=True
    )
    if tr.returncode != 0:
        raise NeuroJITError(f"mlir-translate-19 failed: {tr.stderr.strip()}")
    return tr.stdout
