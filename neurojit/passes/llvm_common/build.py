"""Builders for the llvm ops the lowering emits, without the IRDL constructors' checks.

The values passed in are already well-typed (the patterns computed the types), and the
constructors' argument checking is most of an op's construction cost; the few distinct
attributes (small integers, positions, segment sizes) are built once.
"""

from __future__ import annotations

from collections.abc import Sequence

from xdsl.dialects import llvm
from xdsl.dialects.builtin import AnyFloat, DenseArrayBase, IntegerAttr, IntegerType, ModuleOp
from xdsl.ir import Attribute, Block, Operation, SSAValue
from xdsl.pattern_rewriter import PatternRewriter

from neurojit.passes.llvm_common.types import I1, I32, I64, PTR

# Building an IntegerAttr normalises and verifies it (tens of microseconds); programs reuse a
# handful of small constants, so they are built once.
_INT_ATTRS: dict[tuple[int, int], IntegerAttr] = {}


def int_attr(value: int, type_: Attribute = I64) -> IntegerAttr:
    # Keyed on the width: hashing an xDSL type is itself costly. Only signless integer
    # types reach here (index was already mapped to i64).
    key = (value, type_.width.data) if isinstance(type_, IntegerType) else None
    if key is None:
        return IntegerAttr(value, type_)  # type: ignore[arg-type]
    attr = _INT_ATTRS.get(key)
    if attr is None:
        attr = IntegerAttr(value, type_)  # type: ignore[arg-type]
        if len(_INT_ATTRS) < 4096:
            _INT_ATTRS[key] = attr
    return attr


def llvm_constant(value: Attribute, type_: Attribute) -> Operation:
    """`llvm.mlir.constant` without the IRDL constructor's checks (the value is well-typed)."""
    return llvm.ConstantOp.create(result_types=[type_], properties={"value": value})


def icmp(lhs: SSAValue, rhs: SSAValue, predicate: int) -> Operation:
    """`llvm.icmp` with arith's predicate numbering (identical to LLVM's)."""
    return llvm.ICmpOp.create(
        operands=[lhs, rhs], result_types=[I1], properties={"predicate": int_attr(predicate)}
    )


def cast(cls: type[Operation], value: SSAValue, result_type: Attribute) -> Operation:
    """A one-operand llvm conversion op (sext, trunc, fptosi, ...)."""
    return cls.create(operands=[value], result_types=[result_type])


_SEGMENTS: dict[tuple[int, ...], DenseArrayBase] = {}
_ZERO_I32 = IntegerAttr(0, 32)
_ORDERING_NONE = IntegerAttr(0, 64)
_GEP_ONE_SSA = DenseArrayBase.from_list(I32, [llvm.GEP_USE_SSA_VAL])


def segments(*sizes: int) -> DenseArrayBase:
    found = _SEGMENTS.get(sizes)
    if found is None:
        found = _SEGMENTS[sizes] = DenseArrayBase.from_list(I32, sizes)
    return found


def br(dest: Block, args: Sequence[SSAValue]) -> Operation:
    return llvm.BrOp.create(operands=list(args), successors=[dest])


def cond_br(
    cond: SSAValue,
    then_block: Block,
    then_args: Sequence[SSAValue],
    else_block: Block,
    else_args: Sequence[SSAValue],
) -> Operation:
    return llvm.CondBrOp.create(
        operands=[cond, *then_args, *else_args],
        successors=[then_block, else_block],
        properties={"operandSegmentSizes": segments(1, len(then_args), len(else_args))},
    )


def gep(base: SSAValue, index: SSAValue, element: Attribute) -> Operation:
    """`&base[index]` in elements of `element`."""
    return llvm.GEPOp.create(
        operands=[base, index],
        result_types=[PTR],
        properties={
            "rawConstantIndices": _GEP_ONE_SSA,
            "elem_type": element,
            "noWrapFlags": _ZERO_I32,
        },
    )


def load(ptr: SSAValue, result_type: Attribute) -> Operation:
    return llvm.LoadOp.create(
        operands=[ptr], result_types=[result_type], properties={"ordering": _ORDERING_NONE}
    )


def store(value: SSAValue, ptr: SSAValue) -> Operation:
    return llvm.StoreOp.create(operands=[value, ptr])


def constant(rewriter: PatternRewriter, value: int, type_: Attribute = I64) -> SSAValue:
    """Insert an `llvm.mlir.constant` at the rewriter's insertion point."""
    c = llvm_constant(int_attr(value, type_), type_)
    rewriter.insert(c)
    return c.results[0]


def binop(
    cls: type[Operation],
    lhs: SSAValue,
    rhs: SSAValue,
    result_type: Attribute,
    properties: dict[str, Attribute] | None = None,
) -> Operation:
    """A two-operand llvm op with an explicit result type.

    xDSL's constructors take the type from `lhs`, which may still be an index-typed block
    argument that `convert-func-to-llvm` retypes later; `create` also skips the IRDL
    constructor's argument checking, which is most of an op's construction cost.
    """
    return cls.create(operands=[lhs, rhs], result_types=[result_type], properties=properties or {})


_POSITIONS: dict[tuple[int, ...], DenseArrayBase] = {}


def pos(*indices: int) -> DenseArrayBase:
    """extractvalue/insertvalue position; the few distinct ones are built once."""
    found = _POSITIONS.get(indices)
    if found is None:
        found = _POSITIONS[indices] = DenseArrayBase.from_list(I64, indices)
    return found


def declare_functions(module: ModuleOp, decls: dict[str, llvm.LLVMFunctionType]) -> None:
    """Add `llvm.func` declarations for external functions the module does not define yet."""
    if not decls:
        return
    existing = {o.sym_name.data for o in module.ops if hasattr(o, "sym_name")}  # type: ignore[attr-defined]
    for name, fn_type in decls.items():
        if name not in existing:
            module.body.block.add_op(
                llvm.FuncOp(name, fn_type, linkage=llvm.LinkageAttr("external"))
            )


def intrinsic_suffix(t: Attribute) -> str:
    """LLVM's overload suffix for a scalar type: i32, f64, ..."""
    if isinstance(t, IntegerType):
        return f"i{t.width.data}"
    if isinstance(t, AnyFloat):
        return {16: "f16", 32: "f32", 64: "f64", 80: "f80", 128: "f128"}[t.bitwidth]
    raise ValueError(f"no intrinsic suffix for {t}")


def call_intrinsic(
    rewriter: PatternRewriter, base: str, args: list[SSAValue], result_type: Attribute
) -> SSAValue:
    """Insert `llvm.call_intrinsic "<base>.<suffix>"` typed on `result_type`."""
    call = llvm.CallIntrinsicOp(f"{base}.{intrinsic_suffix(result_type)}", args, [result_type])
    rewriter.insert(call)
    res = call.ress
    assert res is not None
    return res
