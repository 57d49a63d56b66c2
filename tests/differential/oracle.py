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
