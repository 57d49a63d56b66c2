"""`convert-arith-to-llvm`: every scalar `arith` op to `llvm` ops and intrinsics.

Mirrors upstream's mlir/lib/Conversion/ArithToLLVM/ArithToLLVM.cpp, plus the ops upstream
only handles after `arith-expand` (ceildivsi/ceildivui/floordivsi) so one pass covers them.
Integer overflow flags (nsw/nuw) and float fast-math flags are carried over. index is i64.
Vector operands are not supported and raise a NeuroJITError naming the op.
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.dialects import arith, llvm
from xdsl.dialects.builtin import (
    FloatAttr,
    IntegerAttr,
    IntegerType,
    MemRefType,
)
from xdsl.ir import Attribute, Operation, SSAValue
from xdsl.pattern_rewriter import PatternRewriter, RewritePattern

from neurojit.passes.llvm_common.build import (
    binop,
    call_intrinsic,
    cast,
    constant,
    icmp,
    int_attr,
    llvm_constant,
)
from neurojit.passes.llvm_common.driver import (
    LoweringPass,
    LoweringPattern,
    LoweringState,
    op_pattern,
)
from neurojit.passes.llvm_common.errors import unsupported
from neurojit.passes.llvm_common.types import I1, convert_type


def llvm_overflow(op: Operation) -> llvm.OverflowAttr:
    flags = op.properties.get("overflowFlags")
    if flags is None:
        return llvm.OverflowAttr(None)
    return llvm.OverflowAttr([llvm.OverflowFlag(f.value) for f in flags.data])  # type: ignore[attr-defined]


def llvm_fastmath(op: Operation) -> llvm.FastMathAttr | None:
    flags = op.properties.get("fastmath")
    if flags is None or not flags.data:  # type: ignore[attr-defined]
        return None
    return llvm.FastMathAttr(flags.data)  # type: ignore[attr-defined]


def result_type(op: Operation) -> Attribute:
    return convert_type(op.results[0].type, op)


class ConstantLowering(LoweringPattern):
    """`arith.constant` -> `llvm.mlir.constant` (index constants become i64)."""

    @op_pattern
    def match_and_rewrite(self, op: arith.ConstantOp, rewriter: PatternRewriter, /) -> None:
        ty = result_type(op)
        value = op.value
        if isinstance(value, IntegerAttr):
            # Index constants get an i64 attribute of their own (built directly: xDSL's
            # TypeConversionPattern would loop forever on a zero IntegerAttr).
            new_value: Attribute = value if value.type == ty else int_attr(value.value.data, ty)
        elif isinstance(value, FloatAttr):
            new_value = value
        else:
            raise unsupported(op, f"constant {value} is not a scalar")
        c = llvm_constant(new_value, ty)
        self.replace_with(op, c, rewriter)


_OVERFLOW_BINOPS: dict[type[Operation], type[Operation]] = {
    arith.AddiOp: llvm.AddOp,
    arith.SubiOp: llvm.SubOp,
    arith.MuliOp: llvm.MulOp,
    arith.ShLIOp: llvm.ShlOp,
}
_PLAIN_INT_BINOPS: dict[type[Operation], type[Operation]] = {
    arith.DivSIOp: llvm.SDivOp,
    arith.DivUIOp: llvm.UDivOp,
    arith.RemSIOp: llvm.SRemOp,
    arith.RemUIOp: llvm.URemOp,
    arith.AndIOp: llvm.AndOp,
    arith.OrIOp: llvm.OrOp,
    arith.XOrIOp: llvm.XOrOp,
    arith.ShRSIOp: llvm.AShrOp,
    arith.ShRUIOp: llvm.LShrOp,
}
_FLOAT_BINOPS: dict[type[Operation], type[Operation]] = {
    arith.AddfOp: llvm.FAddOp,
    arith.SubfOp: llvm.FSubOp,
    arith.MulfOp: llvm.FMulOp,
    arith.DivfOp: llvm.FDivOp,
}


class IntegerBinaryLowering(LoweringPattern):
    """Integer arithmetic, bitwise and shift ops -> their one-to-one `llvm` ops."""

    @op_pattern
    def match_and_rewrite(
        self,
        op: arith.AddiOp
        | arith.SubiOp
        | arith.MuliOp
        | arith.ShLIOp
        | arith.DivSIOp
        | arith.DivUIOp
        | arith.RemSIOp
        | arith.RemUIOp
        | arith.AndIOp
        | arith.OrIOp
        | arith.XOrIOp
        | arith.ShRSIOp
        | arith.ShRUIOp,
        rewriter: PatternRewriter,
        /,
    ) -> None:
        ty = result_type(op)
        lhs, rhs = op.operands
        cls = _OVERFLOW_BINOPS.get(type(op))
        if cls is not None:
            flags = llvm_overflow(op)
            # Stored as the integer bitmask, like xDSL's own constructor does.
            props: dict[str, Attribute] = (
                {"overflowFlags": IntegerAttr(flags.to_int(), 32)} if flags.data else {}
            )
            new = binop(cls, lhs, rhs, ty, props)
        else:
            new = binop(_PLAIN_INT_BINOPS[type(op)], lhs, rhs, ty)
        self.replace_with(op, new, rewriter)


class FloatBinaryLowering(LoweringPattern):
    """Float add/sub/mul/div -> `llvm.f*` with the op's fast-math flags."""

    @op_pattern
    def match_and_rewrite(
        self,
        op: arith.AddfOp | arith.SubfOp | arith.MulfOp | arith.DivfOp,
        rewriter: PatternRewriter,
        /,
    ) -> None:
        ty = result_type(op)
        fastmath = llvm_fastmath(op)
        props: dict[str, Attribute] = {"fastmathFlags": fastmath} if fastmath else {}
        new = binop(_FLOAT_BINOPS[type(op)], op.lhs, op.rhs, ty, props)
        self.replace_with(op, new, rewriter)


class NegfLowering(LoweringPattern):
    """`arith.negf` -> `llvm.fneg`."""

    @op_pattern
    def match_and_rewrite(self, op: arith.NegfOp, rewriter: PatternRewriter, /) -> None:
        result_type(op)
        new = llvm.FNegOp(op.operand, llvm_fastmath(op))
        rewriter.insert(new)
        self.state.replace_results(op, [new.res])


class CmpiLowering(LoweringPattern):
    """`arith.cmpi` -> `llvm.icmp` (both enumerate predicates in the same order)."""

    @op_pattern
    def match_and_rewrite(self, op: arith.CmpiOp, rewriter: PatternRewriter, /) -> None:
        convert_type(op.lhs.type, op)
        new = icmp(op.lhs, op.rhs, op.predicate.value.data)
        self.replace_with(op, new, rewriter)


class CmpfLowering(LoweringPattern):
    """`arith.cmpf` -> `llvm.fcmp`; the constant predicates fold to an i1 constant."""

    @op_pattern
    def match_and_rewrite(self, op: arith.CmpfOp, rewriter: PatternRewriter, /) -> None:
        convert_type(op.lhs.type, op)
        pred = op.predicate.value.data
        if pred in (0, 15):  # false / true: llvmlite has no spelling for them
            self.state.replace_results(op, [constant(rewriter, 0 if pred == 0 else 1, I1)])
            return
        new = llvm.FCmpOp(op.lhs, op.rhs, IntegerAttr(pred, 64))
        rewriter.insert(new)
        self.state.replace_results(op, [new.res])


class SelectLowering(LoweringPattern):
    """`arith.select` -> `llvm.select`."""

    @op_pattern
    def match_and_rewrite(self, op: arith.SelectOp, rewriter: PatternRewriter, /) -> None:
        if isinstance(op.result.type, MemRefType):
            return  # finalize-memref-to-llvm selects descriptors: it tracks memref types
        ty = convert_type(op.result.type, op)
        new = llvm.SelectOp.create(operands=[op.cond, op.lhs, op.rhs], result_types=[ty])
        rewriter.insert(new)
        self.state.replace_results(op, [new.res])


def _width(t: Attribute) -> int:
    t = convert_type(t)
    return t.width.data if isinstance(t, IntegerType) else t.bitwidth  # type: ignore[union-attr]


class IndexCastLowering(LoweringPattern):
    """`arith.index_cast`: sign-extend, truncate, or nothing when widths agree (index is i64)."""

    @op_pattern
    def match_and_rewrite(self, op: arith.IndexCastOp, rewriter: PatternRewriter, /) -> None:
        src = _width(op.input.type)
        dst_t = result_type(op)
        dst = _width(dst_t)
        if src == dst:
            self.state.replace_results(op, [op.input])
            return
        new = cast(llvm.TruncOp if dst < src else llvm.SExtOp, op.input, dst_t)
        self.replace_with(op, new, rewriter)


_CASTS: dict[type[Operation], type[Operation]] = {
    arith.ExtSIOp: llvm.SExtOp,
    arith.ExtUIOp: llvm.ZExtOp,
    arith.TruncIOp: llvm.TruncOp,
    arith.ExtFOp: llvm.FPExtOp,
    arith.TruncFOp: llvm.FPTruncOp,
    arith.SIToFPOp: llvm.SIToFPOp,
    arith.BitcastOp: llvm.BitcastOp,
}


def _ext_casts() -> dict[type[Operation], type[Operation]]:
    from neurojit.dialect.llvm import FPToSIOp, FPToUIOp, UIToFPOp

    return {arith.FPToSIOp: FPToSIOp, arith.FPToUIOp: FPToUIOp, arith.UIToFPOp: UIToFPOp}


class CastLowering(LoweringPattern):
    """Width and int/float conversions -> the `llvm` cast of the same name."""

    def __init__(self, state: LoweringState | None = None) -> None:
        super().__init__(state)
        self.casts = {**_CASTS, **_ext_casts()}

    @op_pattern
    def match_and_rewrite(
        self,
        op: arith.ExtSIOp
        | arith.ExtUIOp
        | arith.TruncIOp
        | arith.ExtFOp
        | arith.TruncFOp
        | arith.SIToFPOp
        | arith.UIToFPOp
        | arith.FPToSIOp
        | arith.FPToUIOp
        | arith.BitcastOp,
        rewriter: PatternRewriter,
        /,
    ) -> None:
        dst = result_type(op)
        src = op.operands[0]
        if isinstance(op, arith.BitcastOp) and convert_type(src.type, op) == dst:
            self.state.replace_results(op, [src])
            return
        new = cast(self.casts[type(op)], src, dst)
        self.replace_with(op, new, rewriter)


_MINMAX_INTRINSICS: dict[type[Operation], str] = {
    arith.MaxSIOp: "llvm.smax",
    arith.MinSIOp: "llvm.smin",
    arith.MaxUIOp: "llvm.umax",
    arith.MinUIOp: "llvm.umin",
    arith.MaximumfOp: "llvm.maximum",
    arith.MinimumfOp: "llvm.minimum",
    arith.MaxnumfOp: "llvm.maxnum",
    arith.MinnumfOp: "llvm.minnum",
}


class MinMaxLowering(LoweringPattern):
    """Integer and float min/max -> `llvm.{s,u}{min,max}`, `minimum`, `maximum`, `minnum`..."""

    @op_pattern
    def match_and_rewrite(
        self,
        op: arith.MaxSIOp
        | arith.MinSIOp
        | arith.MaxUIOp
        | arith.MinUIOp
        | arith.MaximumfOp
        | arith.MinimumfOp
        | arith.MaxnumfOp
        | arith.MinnumfOp,
        rewriter: PatternRewriter,
        /,
    ) -> None:
        ty = result_type(op)
        res = call_intrinsic(rewriter, _MINMAX_INTRINSICS[type(op)], list(op.operands), ty)
        self.state.replace_results(op, [res])


def _insert(rewriter: PatternRewriter, op: Operation) -> SSAValue:
    rewriter.insert(op)
    return op.results[0]


class RoundingDivLowering(LoweringPattern):
    """`ceildivsi`, `ceildivui`, `floordivsi`: a division plus a remainder-based correction."""

    @op_pattern
    def match_and_rewrite(
        self,
        op: arith.CeilDivSIOp | arith.CeilDivUIOp | arith.FloorDivSIOp,
        rewriter: PatternRewriter,
        /,
    ) -> None:
        ty = result_type(op)
        a, b = op.operands
        r = rewriter
        zero = constant(r, 0, ty)
        if isinstance(op, arith.CeilDivUIOp):
            q = _insert(r, binop(llvm.UDivOp, a, b, ty))
            rem = _insert(r, binop(llvm.URemOp, a, b, ty))
            adjust = _insert(r, icmp(rem, zero, 1))  # ne
            bump = _insert(r, cast(llvm.ZExtOp, adjust, ty))
            self.state.replace_results(op, [_insert(r, binop(llvm.AddOp, q, bump, ty))])
            return
        q = _insert(r, binop(llvm.SDivOp, a, b, ty))
        rem = _insert(r, binop(llvm.SRemOp, a, b, ty))
        nonzero = _insert(r, icmp(rem, zero, 1))  # ne
        rem_neg = _insert(r, icmp(rem, zero, 2))  # slt
        b_neg = _insert(r, icmp(b, zero, 2))  # slt
        if isinstance(op, arith.FloorDivSIOp):
            # Truncation rounded toward zero; step down when the signs of r and b differ.
            signs = _insert(r, binop(llvm.XOrOp, rem_neg, b_neg, I1))
            fix = _insert(r, binop(llvm.AndOp, nonzero, signs, I1))
            step = _insert(r, cast(llvm.ZExtOp, fix, ty))
            self.state.replace_results(op, [_insert(r, binop(llvm.SubOp, q, step, ty))])
        else:
            # Step up when r and b have the same sign.
            same = _insert(r, icmp(rem_neg, b_neg, 0))  # eq
            fix = _insert(r, binop(llvm.AndOp, nonzero, same, I1))
            step = _insert(r, cast(llvm.ZExtOp, fix, ty))
            self.state.replace_results(op, [_insert(r, binop(llvm.AddOp, q, step, ty))])


class ExtendedArithLowering(LoweringPattern):
    """`addui_extended`, `mul{s,u}i_extended`: via a carry compare or a 2N-bit product."""

    @op_pattern
    def match_and_rewrite(
        self,
        op: arith.AddUIExtendedOp | arith.MulUIExtendedOp | arith.MulSIExtendedOp,
        rewriter: PatternRewriter,
        /,
    ) -> None:
        ty = result_type(op)
        a, b = op.operands
        r = rewriter
        if isinstance(op, arith.AddUIExtendedOp):
            s = _insert(r, binop(llvm.AddOp, a, b, ty))
            carry = _insert(r, icmp(s, a, 6))  # ult
            self.state.replace_results(op, [s, carry])
            return
        assert isinstance(ty, IntegerType)
        wide = IntegerType(2 * ty.width.data)
        ext = llvm.SExtOp if isinstance(op, arith.MulSIExtendedOp) else llvm.ZExtOp
        p = _insert(r, binop(llvm.MulOp, _insert(r, ext(a, wide)), _insert(r, ext(b, wide)), wide))
        low = _insert(r, cast(llvm.TruncOp, p, ty))
        shifted = _insert(r, binop(llvm.LShrOp, p, constant(r, ty.width.data, wide), wide))
        high = _insert(r, cast(llvm.TruncOp, shifted, ty))
        self.state.replace_results(op, [low, high])


ARITH_PATTERNS: tuple[type[RewritePattern], ...] = (
    ConstantLowering,
    IntegerBinaryLowering,
    FloatBinaryLowering,
    NegfLowering,
    CmpiLowering,
    CmpfLowering,
    SelectLowering,
    IndexCastLowering,
    CastLowering,
    MinMaxLowering,
    RoundingDivLowering,
    ExtendedArithLowering,
)


@dataclass(frozen=True)
class ConvertArithToLLVMPass(LoweringPass):
    """Lower the arith dialect to the llvm dialect in one walk."""

    name = "convert-arith-to-llvm"
    patterns = ARITH_PATTERNS
