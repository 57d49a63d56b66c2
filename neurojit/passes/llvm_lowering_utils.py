"""What every `*-to-llvm` pass shares: the type mapping, the one-walk driver, error helpers.

Design, chosen for speed: a conversion pass walks the IR once. Each op is replaced by LLVM ops
whose results already carry the LLVM type (index -> i64, memref -> descriptor struct), and uses
are rewired directly. Inside `neurojit-lower-to-llvm` no `builtin.unrealized_conversion_cast`
is materialised at all: an LLVM value may briefly feed an op a later pass converts (an i64 used
as a `memref.load` index), and `convert-func-to-llvm` retypes block arguments in place, so the
pipeline's output is consistently typed. A pass run on its own (`standalone`, the default for
`neurojit-opt -p <pass>`) records which uses saw a type change and afterwards seals those
boundaries with casts, so its output verifies like upstream's partial conversions.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from types import UnionType
from typing import Union, get_args, get_origin

from xdsl.dialects import builtin, llvm
from xdsl.dialects.builtin import (
    DenseArrayBase,
    FileLineColLoc,
    Float16Type,
    Float32Type,
    Float64Type,
    IndexType,
    IntegerAttr,
    IntegerType,
    MemRefType,
    ModuleOp,
    StringAttr,
    i64,
)
from xdsl.ir import Attribute, Block, Operation, SSAValue
from xdsl.pattern_rewriter import PatternRewriter, RewritePattern
from xdsl.rewriter import InsertPoint

from neurojit.errors import NeuroJITError
from neurojit.runtime.sites import Site

PTR = llvm.LLVMPointerType()
I64 = i64
I1 = IntegerType(1)
I32 = IntegerType(32)


def op_location(op: Operation) -> str | None:
    """`file:line:col` of `op` (or its closest located ancestor), if the parser recorded one."""
    cur: Operation | None = op
    while cur is not None:
        loc = cur.location
        if isinstance(loc, FileLineColLoc):
            return f"{loc.filename.data}:{loc.line.data}:{loc.column.data}"
        cur = cur.parent_op()
    return None


def unsupported(op: Operation, why: str = "") -> NeuroJITError:
    """The error for an op (or op variant) no lowering pass handles."""
    detail = f": {why}" if why else ""
    return NeuroJITError(f"cannot lower '{op.name}' to LLVM{detail}", op_location(op))


def descriptor_type(rank: int) -> llvm.LLVMStructType:
    """Upstream's ranked memref descriptor: {allocated, aligned, offset, sizes[R], strides[R]}."""
    if rank == 0:
        return llvm.LLVMStructType.from_type_list([PTR, PTR, I64])
    arr = llvm.LLVMArrayType(rank, I64)
    return llvm.LLVMStructType.from_type_list([PTR, PTR, I64, arr, arr])


_DESCRIPTORS: dict[int, llvm.LLVMStructType] = {}


def descriptor_for_rank(rank: int) -> llvm.LLVMStructType:
    """The (cached: type construction is costly in xDSL) descriptor type of a rank."""
    desc = _DESCRIPTORS.get(rank)
    if desc is None:
        desc = _DESCRIPTORS[rank] = descriptor_type(rank)
    return desc


def memref_descriptor(t: MemRefType) -> llvm.LLVMStructType:
    return descriptor_for_rank(len(t.shape))


# The float types llvmlite can print (it has no bfloat, x86_fp80 or fp128).
SUPPORTED_FLOATS = (Float16Type, Float32Type, Float64Type)


def convert_type(t: Attribute, op: Operation | None = None) -> Attribute:
    """The LLVM type that carries a value of builtin type `t` (index is i64)."""
    if isinstance(t, IndexType):
        return I64
    if isinstance(t, (IntegerType, *SUPPORTED_FLOATS)):
        return t
    if isinstance(t, MemRefType):
        element_type(t, op)
        return memref_descriptor(t)
    if isinstance(
        t, llvm.LLVMPointerType | llvm.LLVMStructType | llvm.LLVMArrayType | llvm.LLVMVoidType
    ):
        return t
    if op is not None:
        raise unsupported(op, f"type {t} has no LLVM lowering")
    raise NeuroJITError(f"type {t} has no LLVM lowering")


def element_type(t: MemRefType, op: Operation | None = None) -> Attribute:
    el = t.element_type
    if isinstance(el, IndexType):
        return I64
    if isinstance(el, (IntegerType, *SUPPORTED_FLOATS)):
        return el
    msg = f"memref element type {el} has no LLVM lowering"
    if op is not None:
        raise unsupported(op, msg)
    raise NeuroJITError(msg)


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


def retype_value(value: SSAValue, new_type: Attribute) -> None:
    """Change the type of a block argument or result in place, keeping its uses."""
    if value.type != new_type:
        record_retype(value, value.type)
        value._type = new_type  # noqa: SLF001 - uses stay valid; no new SSA value needed


def matched_op_types(pattern: RewritePattern) -> tuple[type[Operation], ...] | None:
    """The op classes an `@op_type_rewrite_pattern` method matches, read from its closure."""
    impl = type(pattern).match_and_rewrite
    code = getattr(impl, "__code__", None)
    if code is None or impl.__closure__ is None:
        return None
    cells = dict(zip(code.co_freevars, impl.__closure__, strict=True))
    if "expected_type" not in cells:
        return None
    expected = cells["expected_type"].cell_contents
    if get_origin(expected) in (Union, UnionType):
        return tuple(get_args(expected))
    return (expected,)


def apply_once(module: ModuleOp, patterns: Sequence[RewritePattern]) -> None:
    """Apply `patterns` to every op of `module` in a single pre-order walk.

    Unlike xDSL's greedy driver, nothing is revisited: each pattern fully converts its op, and
    ops created by a pattern are already in their final dialect. Dispatch is a dict lookup on
    the op class, so a pass costs O(ops), not O(ops x patterns).
    """
    table: dict[type[Operation], list[RewritePattern]] = {}
    generic: list[RewritePattern] = []
    for p in patterns:
        types = matched_op_types(p)
        if types is None:
            generic.append(p)
            continue
        for t in types:
            table.setdefault(t, []).append(p)
    # Subclasses (e.g. our memref.global with upstream syntax) match like their base class;
    # the per-class answer is cached so the walk stays one dict lookup per op.
    resolved: dict[type[Operation], list[RewritePattern]] = {}

    def handlers(cls: type[Operation]) -> list[RewritePattern]:
        found = resolved.get(cls)
        if found is None:
            found = [p for base in cls.__mro__ for p in table.get(base, ())] + generic
            resolved[cls] = found
        return found

    ops = [op for op in module.walk() if handlers(type(op))]
    if not ops:
        return
    rewriter = PatternRewriter(ops[0])
    for op in ops:
        if op.parent is None:  # erased or detached by an earlier rewrite
            continue
        rewriter.current_operation = op
        rewriter.insertion_point = InsertPoint.before(op)
        rewriter.has_done_action = False
        try:
            for p in resolved[type(op)]:
                p.match_and_rewrite(op, rewriter)
                if op.parent is None:
                    break
        except NeuroJITError:
            raise
        except Exception as err:  # a lowering bug on odd input: still one line, with the op
            raise NeuroJITError(
                f"internal error lowering '{op.name}': {type(err).__name__}: {err}",
                op_location(op),
            ) from err


def replace_results(op: Operation, new_values: Sequence[SSAValue]) -> None:
    """Point every use of `op`'s results at `new_values` and erase `op` (no type checks).

    A hand-rolled `replace_all_uses_with`: xDSL's re-validates the carried-over name hint
    with a regex on every call, a visible share of a pass's time; ours copies it as is.
    """
    for old, new in zip(op.results, new_values, strict=True):
        if old.type != new.type:
            record_retype(old, old.type)
        if new is old:
            continue
        for use in tuple(old.uses):
            use.operation.operands[use.index] = new
        if new._name is None:  # noqa: SLF001 - the name was validated when it was set
            new._name = old._name  # noqa: SLF001
    block = op.parent
    if block is not None:
        block.detach_op(op)
    op.erase(safe_erase=False)


# --- Running one pass on its own -------------------------------------------------------------
# Inside the pipeline, values are retyped in place and nothing else is needed. A pass run on
# its own (`neurojit-opt -p convert-arith-to-llvm`) must leave verifiable IR, so while it runs
# we record each value whose type it changed, and afterwards seal the boundaries with
# `builtin.unrealized_conversion_cast`, as upstream's partial conversions do.

_state = threading.local()


def record_retype(value: SSAValue, old_type: Attribute) -> None:
    """Remember that the current users of `value` expect `old_type` (call before rewiring)."""
    retyped: list[tuple[Operation, int, Attribute]] | None = getattr(_state, "retyped", None)
    if retyped is not None:
        retyped.extend((use.operation, use.index, old_type) for use in value.uses)


@contextmanager
def conversion(module: ModuleOp, standalone: bool) -> Iterator[None]:
    """Run a conversion; when `standalone`, insert the casts its output needs to verify."""
    if not standalone:
        yield
        return
    outer = getattr(_state, "retyped", None)
    _state.retyped = []
    try:
        yield
        retyped: list[tuple[Operation, int, Attribute]] = _state.retyped
    finally:
        _state.retyped = outer
    seal_type_boundaries(module, retyped)


def _cast_after_def(value: SSAValue, to_type: Attribute) -> SSAValue:
    cast_op = builtin.UnrealizedConversionCastOp.get([value], [to_type])
    owner = value.owner
    if isinstance(owner, Operation):
        assert owner.parent is not None
        owner.parent.insert_op_after(cast_op, owner)
    else:
        first = owner.first_op
        if first is None:
            owner.add_op(cast_op)
        else:
            owner.insert_op_before(cast_op, first)
    return cast_op.results[0]


def _needs_llvm_type(t: Attribute) -> bool:
    return isinstance(t, IndexType | MemRefType)


def _successor_operands(op: Operation) -> list[tuple[Block, Sequence[SSAValue]]]:
    """(destination, values passed to it) for the branch ops of cf and llvm."""
    from xdsl.dialects import cf

    from neurojit.llvm_ext import SwitchOp as LLVMSwitchOp

    if not op.successors:
        return []
    if isinstance(op, cf.BranchOp | llvm.BrOp):
        return [(op.successor, op.arguments)]
    if isinstance(op, cf.ConditionalBranchOp | llvm.CondBrOp):
        return [(op.then_block, op.then_arguments), (op.else_block, op.else_arguments)]
    if isinstance(op, LLVMSwitchOp):
        return [(op.default_block, op.default_operands)] + [
            (block, operands) for _, block, operands in op.cases()
        ]
    if isinstance(op, cf.SwitchOp):
        out: list[tuple[Block, Sequence[SSAValue]]] = [(op.default_block, op.default_operands)]
        idx = 0
        for block, n in zip(op.case_blocks, op.case_operand_segments.get_values(), strict=True):
            out.append((block, op.case_operands[idx : idx + n]))
            idx += n
        return out
    return []


def seal_type_boundaries(module: ModuleOp, retyped: list[tuple[Operation, int, Attribute]]) -> None:
    """Make a partially converted module type-correct again with conversion casts."""
    # 1. Ops this pass did not convert get back the type they saw before (one cast per value
    #    and type, right after the value's definition).
    back: dict[tuple[SSAValue, Attribute], SSAValue] = {}
    for user, index, old_type in retyped:
        if user.parent is None or user.name.startswith("llvm."):
            continue  # converted (and erased) by the pass, or an llvm op: step 2
        value = user.operands[index]
        if value.type == old_type:
            continue
        key = (value, old_type)
        cast_value = back.get(key)
        if cast_value is None:
            cast_value = back[key] = _cast_after_def(value, old_type)
        user.operands[index] = cast_value
    # 2. LLVM ops reading values that are still index/memref get LLVM-typed ones; and
    #    unconverted branches passing values to blocks whose arguments were retyped match them.
    converted: dict[SSAValue, SSAValue] = {}
    for op in list(module.walk()):
        # Values passed to a block must have its argument types, whatever the branch's dialect.
        passed: set[int] = set()
        edges = _successor_operands(op)
        # Branch operands are the leading ones (condition / flag) then each edge's values.
        index = len(op.operands) - sum(len(values) for _, values in edges)
        for block, values in edges:
            for arg, v in zip(block.args, values, strict=False):
                passed.add(index)
                if arg.type != v.type:
                    fixed = builtin.UnrealizedConversionCastOp.get([v], [arg.type])
                    assert op.parent is not None
                    op.parent.insert_op_before(fixed, op)
                    op.operands[index] = fixed.results[0]
                index += 1
        if not op.name.startswith("llvm."):
            continue
        for i, v in enumerate(op.operands):
            if i not in passed and _needs_llvm_type(v.type):
                new = converted.get(v)
                if new is None:
                    new = converted[v] = _cast_after_def(v, convert_type(v.type, op))
                op.operands[i] = new


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


class SiteTable:
    """Site descriptor globals of one module: `@nj_site_<n>`, one per check (used by
    convert-neurojit-to-llvm and neurojit-check-heap)."""

    def __init__(self, module: builtin.ModuleOp) -> None:
        self.module = module
        self.taken = {
            o.sym_name.data
            for o in module.ops
            if isinstance(getattr(o, "sym_name", None), StringAttr)
        }
        self.next = 0
        self.used = False
        self.last: Operation | None = None

    def add(self, site: Site) -> str:
        while f"nj_site_{self.next}" in self.taken:
            self.next += 1
        name = f"nj_site_{self.next}"
        self.taken.add(name)
        data = site.encode() + b"\0"
        glob = llvm.GlobalOp(
            llvm.LLVMArrayType(len(data), builtin.i8),
            name,
            "private",
            constant=True,
            value=StringAttr(data.decode()),
        )
        top = self.module.body.block
        # In creation order, ahead of the functions that use them.
        if self.last is None:
            top.insert_op_before(glob, top.first_op) if top.first_op else top.add_op(glob)
        else:
            top.insert_op_after(glob, self.last)
        self.last = glob
        self.used = True
        return name
