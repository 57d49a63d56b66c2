"""Name → lazy loader tables for passes, pipelines and targets.

A table instead of xDSL's 800-line function file: the driver imports a pass only when the
pipeline names it, which keeps `neurojit-opt --help` fast. Each value is
"module:attribute"; add a row when you add a pass file.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

PASSES: dict[str, str] = {
    # name                        module:class (one file per pass, named after the pass)
    "llm-repair": "neurojit.llm_pass.llm_repair:LLMRepairPass",
    "convert-scf-to-cf": "neurojit.passes.convert_scf_to_cf:ConvertScfToCfPass",
    "convert-math-to-llvm": "neurojit.passes.convert_math_to_llvm:ConvertMathToLLVMPass",
    "convert-arith-to-llvm": "neurojit.passes.convert_arith_to_llvm:ConvertArithToLLVMPass",
    "finalize-memref-to-llvm": "neurojit.passes.finalize_memref_to_llvm:FinalizeMemRefToLLVMPass",
    "convert-func-to-llvm": "neurojit.passes.convert_func_to_llvm:ConvertFuncToLLVMPass",
    "convert-cf-to-llvm": "neurojit.passes.convert_cf_to_llvm:ConvertCfToLLVMPass",
    "reconcile-unrealized-casts": (
        "neurojit.passes.reconcile_unrealized_casts:ReconcileUnrealizedCastsPass"
    ),
    "neurojit-lower-to-llvm": "neurojit.lowering:LowerToLLVMPass",
    "neurojit-insert-checks": "neurojit.passes.neurojit_insert_checks:NeuroJITInsertChecksPass",
    "neurojit-check-heap": "neurojit.passes.neurojit_check_heap:NeuroJITCheckHeapPass",
    "convert-neurojit-to-llvm": (
        "neurojit.passes.convert_neurojit_to_llvm:ConvertNeuroJITToLLVMPass"
    ),
    # Upstream MLIR 22's passes, in-process: spelled `mlir(canonicalize,cse)` in -p.
    "mlir": "neurojit.passes.upstream_mlir:UpstreamMLIRPass",
}

# How the repair pass runs candidates when its caller gives it nothing to run them with
# (`neurojit.llm_pass.candidates.default_runtime`): llm_pass never imports the runtime.
CANDIDATE_RUNTIME = "neurojit.runtime.candidates:NativeCandidates"

TARGETS: dict[str, str] = {
    # name  module:function or Target class
    "llvm": "neurojit.lowering:LLVMIRTarget",
}


def load(spec: str) -> Any:
    module_name, _, attr = spec.partition(":")
    return getattr(importlib.import_module(module_name), attr)


def pass_loaders() -> dict[str, Callable[[], Any]]:
    return {name: (lambda s=spec: load(s)) for name, spec in PASSES.items()}
