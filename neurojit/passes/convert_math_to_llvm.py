"""`convert-math-to-llvm`: math ops to LLVM intrinsics, or to libm calls where LLVM has none.

Mirrors upstream's mlir/lib/Conversion/MathToLLVM (intrinsics) and, for the functions LLVM
has no intrinsic for (tanh, atan2, ...), upstream's MathToLibm: `tanh` for f64, `tanhf` for
f32. Fast-math flags are dropped (always correct; they only permit optimisations).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from xdsl.context import Context
from xdsl.dialects import builtin, llvm, math
from xdsl.dialects.builtin import Float32Type, Float64Type, FloatAttr
from xdsl.ir import Attribute, Operation
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import PatternRewriter, RewritePattern, op_type_rewrite_pattern

from neurojit.passes.convert_arith_to_llvm import call_intrinsic, intrinsic_suffix
from neurojit.passes.llvm_lowering_utils import (
    I1,
    apply_once,
    constant,
    conversion,
    convert_type,
    declare_functions,
    replace_results,
    unsupported,
)

_FLOAT_INTRINSICS: dict[type[Operation], str] = {
    math.SqrtOp: "llvm.sqrt",
    math.AbsFOp: "llvm.fabs",
    math.ExpOp: "llvm.exp",
    math.Exp2Op: "llvm.exp2",
    math.LogOp: "llvm.log",
    math.Log2Op: "llvm.log2",
    math.Log10Op: "llvm.log10",
    math.SinOp: "llvm.sin",
    math.CosOp: "llvm.cos",
    math.FloorOp: "llvm.floor",
    math.CeilOp: "llvm.ceil",
    math.RoundOp: "llvm.round",
    math.RoundEvenOp: "llvm.roundeven",
    math.TruncOp: "llvm.trunc",
    math.PowFOp: "llvm.pow",
    math.CopySignOp: "llvm.copysign",
    math.FmaOp: "llvm.fma",
}

_INT_INTRINSICS: dict[type[Operation], tuple[str, bool]] = {
    # name, whether it takes the trailing `i1 false` ("zero/poison is not UB") flag
    math.CountLeadingZerosOp: ("llvm.ctlz", True),
    math.CountTrailingZerosOp: ("llvm.cttz", True),
    math.CtPopOp: ("llvm.ctpop", False),
    math.AbsIOp: ("llvm.abs", True),
}

_LIBM: dict[type[Operation], str] = {
    math.TanhOp: "tanh",
    math.TanOp: "tan",
    math.AtanOp: "atan",
    math.Atan2Op: "atan2",
    math.AcosOp: "acos",
    math.AsinOp: "asin",
    math.SinhOp: "sinh",
    math.CoshOp: "cosh",
    math.AsinhOp: "asinh",
    math.AcoshOp: "acosh",
    math.AtanhOp: "atanh",
    math.ErfOp: "erf",
    math.CbrtOp: "cbrt",
    math.ExpM1Op: "expm1",
    math.Log1pOp: "log1p",
}


class FloatIntrinsicLowering(RewritePattern):
    """Float math with an LLVM intrinsic -> `llvm.call_intrinsic "llvm.<fn>.<type>"`."""

    @op_type_rewrite_pattern
    def match_and_rewrite(
        self,
        op: math.SqrtOp
        | math.AbsFOp
        | math.ExpOp
        | math.Exp2Op
        | math.LogOp
        | math.Log2Op
        | math.Log10Op
        | math.SinOp
        | math.CosOp
        | math.FloorOp
        | math.CeilOp
        | math.RoundOp
        | math.RoundEvenOp
        | math.TruncOp
        | math.PowFOp
        | math.CopySignOp
        | math.FmaOp,
        rewriter: PatternRewriter,
        /,
    ) -> None:
        ty = convert_type(op.results[0].type, op)
        res = call_intrinsic(rewriter, _FLOAT_INTRINSICS[type(op)], list(op.operands), ty)
        replace_results(op, [res])


class IntIntrinsicLowering(RewritePattern):
    """`ctlz`, `cttz`, `ctpop`, `absi` -> the bit-counting and `abs` intrinsics."""

    @op_type_rewrite_pattern
    def match_and_rewrite(
        self,
        op: math.CountLeadingZerosOp | math.CountTrailingZerosOp | math.CtPopOp | math.AbsIOp,
        rewriter: PatternRewriter,
        /,
    ) -> None:
        ty = convert_type(op.results[0].type, op)
        name, has_flag = _INT_INTRINSICS[type(op)]
        args = list(op.operands)
        if has_flag:
            args.append(constant(rewriter, 0, I1))
        replace_results(op, [call_intrinsic(rewriter, name, args, ty)])


class RsqrtLowering(RewritePattern):
    """`math.rsqrt` -> `1.0 / llvm.sqrt(x)`."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: math.RsqrtOp, rewriter: PatternRewriter, /) -> None:
        ty = convert_type(op.results[0].type, op)
        root = call_intrinsic(rewriter, "llvm.sqrt", [op.operand], ty)
        one = llvm.ConstantOp(FloatAttr(1.0, ty), ty)  # type: ignore[arg-type]
        div = llvm.FDivOp(one, root)
        rewriter.insert([one, div])
        replace_results(op, [div.res])


class FPowILowering(RewritePattern):
    """`math.fpowi` -> `llvm.powi.<float>.<int>`."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: math.FPowIOp, rewriter: PatternRewriter, /) -> None:
        ty = convert_type(op.results[0].type, op)
        exp_ty = convert_type(op.operands[1].type, op)
        name = f"llvm.powi.{intrinsic_suffix(ty)}.{intrinsic_suffix(exp_ty)}"
        call = llvm.CallIntrinsicOp(name, list(op.operands), [ty])
        rewriter.insert(call)
        assert call.ress is not None
        replace_results(op, [call.ress])


@dataclass
class LibmLowering(RewritePattern):
    """Float math without an intrinsic -> a call to libm (`tanh`, `tanhf`, ...)."""

    declarations: dict[str, llvm.LLVMFunctionType] = field(default_factory=dict)

    @op_type_rewrite_pattern
    def match_and_rewrite(
        self,
        op: math.TanhOp
        | math.TanOp
        | math.AtanOp
        | math.Atan2Op
        | math.AcosOp
        | math.AsinOp
        | math.SinhOp
        | math.CoshOp
        | math.AsinhOp
        | math.AcoshOp
        | math.AtanhOp
        | math.ErfOp
        | math.CbrtOp
        | math.ExpM1Op
        | math.Log1pOp,
        rewriter: PatternRewriter,
        /,
    ) -> None:
        ty = convert_type(op.results[0].type, op)
        if isinstance(ty, Float64Type):
            fn = _LIBM[type(op)]
        elif isinstance(ty, Float32Type):
            fn = _LIBM[type(op)] + "f"
        else:
            raise unsupported(op, f"libm has no {_LIBM[type(op)]} for {ty}")
        args: list[Attribute] = [ty] * len(op.operands)
        self.declarations[fn] = llvm.LLVMFunctionType(args, ty)
        call = llvm.CallOp(fn, *op.operands, return_type=ty)
        rewriter.insert(call)
        assert call.returned is not None
        replace_results(op, [call.returned])


@dataclass(frozen=True)
class ConvertMathToLLVMPass(ModulePass):
    """Lower the math dialect to LLVM intrinsics and libm calls in one walk."""

    name = "convert-math-to-llvm"

    # False inside neurojit-lower-to-llvm: no boundary casts are needed there.
    standalone: bool = True

    def apply(self, ctx: Context, op: builtin.ModuleOp) -> None:
        with conversion(op, self.standalone):
            libm = LibmLowering()
            apply_once(
                op,
                [
                    FloatIntrinsicLowering(),
                    IntIntrinsicLowering(),
                    RsqrtLowering(),
                    FPowILowering(),
                    libm,
                ],
            )
            declare_functions(op, libm.declarations)
