"""`convert-math-to-llvm`: math ops to LLVM intrinsics, or to libm calls where LLVM has none.

Mirrors upstream's mlir/lib/Conversion/MathToLLVM (intrinsics) and, for the functions LLVM
has no intrinsic for (tanh, atan2, ...), upstream's MathToLibm: `tanh` for f64, `tanhf` for
f32. Fast-math flags are dropped (always correct; they only permit optimisations).
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.dialects import llvm, math
from xdsl.dialects.builtin import Float32Type, Float64Type, FloatAttr
from xdsl.ir import Attribute, Block, Operation, SSAValue
from xdsl.pattern_rewriter import PatternRewriter
from xdsl.rewriter import InsertPoint

from neurojit.passes.llvm_common.build import (
    binop,
    br,
    call_intrinsic,
    cond_br,
    constant,
    icmp,
    int_attr,
    intrinsic_suffix,
    llvm_constant,
)
from neurojit.passes.llvm_common.driver import (
    LoweringPass,
    LoweringPattern,
    op_pattern,
)
from neurojit.passes.llvm_common.errors import unsupported
from neurojit.passes.llvm_common.types import I1, convert_type

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


class FloatIntrinsicLowering(LoweringPattern):
    """Float math with an LLVM intrinsic -> `llvm.call_intrinsic "llvm.<fn>.<type>"`."""

    @op_pattern
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
        self.state.replace_results(op, [res])


class IntIntrinsicLowering(LoweringPattern):
    """`ctlz`, `cttz`, `ctpop`, `absi` -> the bit-counting and `abs` intrinsics."""

    @op_pattern
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
        self.state.replace_results(op, [call_intrinsic(rewriter, name, args, ty)])


class RsqrtLowering(LoweringPattern):
    """`math.rsqrt` -> `1.0 / llvm.sqrt(x)`."""

    @op_pattern
    def match_and_rewrite(self, op: math.RsqrtOp, rewriter: PatternRewriter, /) -> None:
        ty = convert_type(op.results[0].type, op)
        root = call_intrinsic(rewriter, "llvm.sqrt", [op.operand], ty)
        one = llvm.ConstantOp(FloatAttr(1.0, ty), ty)  # type: ignore[arg-type]
        div = llvm.FDivOp(one, root)
        rewriter.insert([one, div])
        self.state.replace_results(op, [div.res])


class FPowILowering(LoweringPattern):
    """`math.fpowi` -> `llvm.powi.<float>.<int>`."""

    @op_pattern
    def match_and_rewrite(self, op: math.FPowIOp, rewriter: PatternRewriter, /) -> None:
        ty = convert_type(op.results[0].type, op)
        exp_ty = convert_type(op.operands[1].type, op)
        name = f"llvm.powi.{intrinsic_suffix(ty)}.{intrinsic_suffix(exp_ty)}"
        call = llvm.CallIntrinsicOp(name, list(op.operands), [ty])
        rewriter.insert(call)
        assert call.ress is not None
        self.state.replace_results(op, [call.ress])


class IPowILowering(LoweringPattern):
    """`math.ipowi` -> an exponentiation-by-squaring loop (LLVM has no integer pow).

    Negative exponents follow upstream's math-to-funcs: 1 for base 1, +-1 for base -1,
    else 0 (the truncated value of 1 / b^n).
    """

    @op_pattern
    def match_and_rewrite(self, op: math.IPowIOp, rewriter: PatternRewriter, /) -> None:
        ty = convert_type(op.results[0].type, op)
        base, exponent = op.operands
        block = op.parent_block()
        assert block is not None and block.parent is not None
        region = block.parent
        after = block.split_before(op)
        loop = Block(arg_types=[ty, ty, ty])
        body = Block()
        done = Block(arg_types=[ty])
        region.insert_block_before(loop, after)
        region.insert_block_before(body, after)
        region.insert_block_before(done, after)
        one = llvm_constant(int_attr(1, ty), ty)
        block.add_ops([one, br(loop, [base, exponent, one.results[0]])])

        x, k, acc = loop.args
        zero = llvm_constant(int_attr(0, ty), ty)
        more = icmp(k, zero.results[0], 4)  # sgt
        loop.add_ops([zero, more, cond_br(more.results[0], body, [], done, [acc])])

        low_bit = binop(llvm.AndOp, k, one.results[0], ty)
        odd = icmp(low_bit.results[0], zero.results[0], 1)  # ne
        product = binop(llvm.MulOp, acc, x, ty)
        picked = llvm.SelectOp.create(
            operands=[odd.results[0], product.results[0], acc], result_types=[ty]
        )
        square = binop(llvm.MulOp, x, x, ty)
        halved = binop(llvm.AShrOp, k, one.results[0], ty)
        body.add_ops(
            [
                low_bit,
                odd,
                product,
                picked,
                square,
                halved,
                br(loop, [square.results[0], halved.results[0], picked.results[0]]),
            ]
        )

        # Negative exponents, decided after the loop (which did no iteration for them).
        rewriter.insertion_point = InsertPoint.at_start(done)
        minus_one = constant(rewriter, -1, ty)
        c0 = constant(rewriter, 0, ty)
        c1 = constant(rewriter, 1, ty)
        ops: list[Operation] = []

        def add(new: Operation) -> SSAValue:
            ops.append(new)
            return new.results[0]

        def select(c: SSAValue, a: SSAValue, b: SSAValue) -> SSAValue:
            return add(llvm.SelectOp.create(operands=[c, a, b], result_types=[ty]))

        negative = add(icmp(exponent, c0, 2))  # slt
        base_one = add(icmp(base, c1, 0))  # eq
        base_minus_one = add(icmp(base, minus_one, 0))
        exp_odd = add(icmp(add(binop(llvm.AndOp, exponent, c1, ty)), c0, 1))
        sign = select(exp_odd, minus_one, c1)
        small = select(base_one, c1, select(base_minus_one, sign, c0))
        result = select(negative, small, done.args[0])
        done.add_ops(ops)
        done.add_op(br(after, []))
        self.state.replace_results(op, [result])


class LibmLowering(LoweringPattern):
    """Float math without an intrinsic -> a call to libm (`tanh`, `tanhf`, ...)."""

    @op_pattern
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
        self.state.declarations[fn] = llvm.LLVMFunctionType(args, ty)
        call = llvm.CallOp(fn, *op.operands, return_type=ty)
        rewriter.insert(call)
        assert call.returned is not None
        self.state.replace_results(op, [call.returned])


MATH_PATTERNS: tuple[type[LoweringPattern], ...] = (
    FloatIntrinsicLowering,
    IntIntrinsicLowering,
    RsqrtLowering,
    FPowILowering,
    IPowILowering,
    LibmLowering,
)


@dataclass(frozen=True)
class ConvertMathToLLVMPass(LoweringPass):
    """Lower the math dialect to LLVM intrinsics and libm calls in one walk."""

    name = "convert-math-to-llvm"
    patterns = MATH_PATTERNS
