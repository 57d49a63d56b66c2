"""The `neurojit-lower-to-llvm` pipeline and the llvm-dialect -> LLVM IR step.

`lower_to_llvm(module)` runs the lowering passes in upstream's order (the same order as the
mlir-opt-19 oracle pipeline) and then checks that only llvm ops remain, so an op nothing
lowers is reported as a NeuroJITError at its source location instead of failing later.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass
from xdsl.utils.target import Target

from neurojit.compiler.pipeline import xdsl_pipeline
from neurojit.compiler.xdsl_translate import to_llvm_ir as _translate
from neurojit.passes.llvm_common.errors import unsupported

# Upstream's order (defined once, in neurojit/compiler/pipeline.py), with our check lowering.
PIPELINE: tuple[str, ...] = xdsl_pipeline()


def _pipeline_passes() -> list[ModulePass]:
    from neurojit.passes.convert_arith_to_llvm import ConvertArithToLLVMPass
    from neurojit.passes.convert_cf_to_llvm import ConvertCfToLLVMPass
    from neurojit.passes.convert_func_to_llvm import ConvertFuncToLLVMPass
    from neurojit.passes.convert_math_to_llvm import ConvertMathToLLVMPass
    from neurojit.passes.convert_neurojit_to_llvm import ConvertNeuroJITToLLVMPass
    from neurojit.passes.convert_scf_to_cf import ConvertScfToCfPass
    from neurojit.passes.finalize_memref_to_llvm import FinalizeMemRefToLLVMPass
    from neurojit.passes.reconcile_unrealized_casts import ReconcileUnrealizedCastsPass

    passes: list[ModulePass] = [
        ConvertScfToCfPass(),
        ConvertNeuroJITToLLVMPass(),
        ConvertMathToLLVMPass(standalone=False),
        ConvertArithToLLVMPass(standalone=False),
        FinalizeMemRefToLLVMPass(standalone=False),
        ConvertFuncToLLVMPass(standalone=False),
        ConvertCfToLLVMPass(standalone=False),
        ReconcileUnrealizedCastsPass(),
    ]
    assert tuple(p.name for p in passes) == PIPELINE
    return passes


def check_lowered(module: ModuleOp) -> None:
    """Raise NeuroJITError at the first op that is not in the llvm dialect."""
    for op in module.walk():
        if op is module:
            continue
        if not op.name.startswith("llvm."):
            raise unsupported(op)


def lower_to_llvm(module: ModuleOp, ctx: Context | None = None) -> None:
    """Lower func/arith/math/scf/cf/memref in `module` to the llvm dialect, in place."""
    ctx = ctx or Context()
    for p in _pipeline_passes():
        p.apply(ctx, module)
    check_lowered(module)


def to_llvm_ir(module: ModuleOp) -> str:
    """LLVM IR text for an llvm-dialect module (see neurojit.compiler.xdsl_translate).

    The translator itself rejects any non-llvm op with a NeuroJITError at its location.
    """
    return _translate(module)


def mlir_to_llvm_ir(module: ModuleOp) -> str:
    """Lower (if needed) and translate: what `neurojit-opt -t llvm` prints."""
    lower_to_llvm(module)
    return _translate(module)


@dataclass(frozen=True)
class LowerToLLVMPass(ModulePass):
    """The whole lowering pipeline as one pass (`-p neurojit-lower-to-llvm`)."""

    name = "neurojit-lower-to-llvm"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        lower_to_llvm(op, ctx)


@dataclass(frozen=True)
class LLVMIRTarget(Target):
    """`-t llvm`: lower whatever is not llvm yet, then print LLVM IR."""

    name = "llvm"

    def emit(self, ctx: Context, module: ModuleOp, output: IO[str]) -> None:
        output.write(mlir_to_llvm_ir(module))
