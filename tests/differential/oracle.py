"""Upstream MLIR 19 as the oracle: mlir-opt-19's lowering, then mlir-cpu-runner-19.

The pipeline is the brief's, with three upstream preparation passes in front:
`--expand-strided-metadata` (MLIR 19's finalize-memref-to-llvm does not lower
`memref.subview` on its own; this rewrites it to `memref.reinterpret_cast`) and
`--lower-affine` (for the `affine.apply` that rewrite creates for dynamic offsets) and
`--arith-expand` (MLIR 19's convert-arith-to-llvm leaves `arith.floordivsi` alone).
All three are semantics-preserving rewrites from upstream itself.
"""

from __future__ import annotations

import shutil
import subprocess

from neurojit.compiler.pipeline import upstream_flags

MLIR_OPT = "mlir-opt-19"
MLIR_CPU_RUNNER = "mlir-cpu-runner-19"
# The pipeline is defined once, in neurojit/compiler/pipeline.py: PREPARE + LOWERING.
PIPELINE = tuple(upstream_flags())


class OracleError(Exception):
    """mlir-opt-19 rejected the program or mlir-cpu-runner-19 failed running it."""


def oracle_available() -> bool:
    return shutil.which(MLIR_OPT) is not None and shutil.which(MLIR_CPU_RUNNER) is not None


def run_oracle(text: str, timeout: float = 30.0) -> int:
    """The i64 that upstream MLIR 19 computes for `@main() -> i64` in `text`."""
    lowered = subprocess.run(
        [MLIR_OPT, *PIPELINE], input=text, capture_output=True, text=True, timeout=timeout
    )
    if lowered.returncode != 0:
        raise OracleError(f"{MLIR_OPT} failed: {lowered.stderr.strip()[:2000]}")
    ran = subprocess.run(
        [MLIR_CPU_RUNNER, "-e", "main", "-entry-point-result=i64"],
        input=lowered.stdout,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if ran.returncode != 0:
        raise OracleError(f"{MLIR_CPU_RUNNER} exited {ran.returncode}: {ran.stderr.strip()[:2000]}")
    try:
        return int(ran.stdout.strip())
    except ValueError as err:
        raise OracleError(f"{MLIR_CPU_RUNNER} printed {ran.stdout!r}") from err


_MLIR22_SCRIPT = r"""
import ctypes, sys
from mlir import ir, passmanager, execution_engine
from neurojit.compiler.pipeline import native_pipeline
with ir.Context():
    m = ir.Module.parse(sys.stdin.read())
    for op in m.body.operations:
        if "sym_name" in op.attributes and ir.StringAttr(op.attributes["sym_name"]).value == "main":
            op.attributes["llvm.emit_c_interface"] = ir.UnitAttr.get()
    passmanager.PassManager.parse(native_pipeline()).run(m.operation)
    engine = execution_engine.ExecutionEngine(m, opt_level=0)
    result = ctypes.c_int64(0)
    engine.invoke("main", ctypes.pointer(result))
    print(result.value)
"""


def run_mlir22(text: str, timeout: float = 60.0) -> int | None:
    """`@main() -> i64` run by upstream MLIR 22's own ExecutionEngine (the wheel), in a
    separate process; None when the bindings are missing or it fails. A second upstream
    opinion for programs where ours and MLIR 19 disagree."""
    import sys

    try:
        ran = subprocess.run(
            [sys.executable, "-c", _MLIR22_SCRIPT],
            input=text,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        return int(ran.stdout.strip()) if ran.returncode == 0 else None
    except (subprocess.TimeoutExpired, ValueError):
        return None
