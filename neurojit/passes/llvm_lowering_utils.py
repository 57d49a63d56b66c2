"""What every `*-to-llvm` pass shares: the type mapping, the one-walk driver, error helpers.

Design, chosen for speed: a conversion pass walks the IR once. Each op is replaced by LLVM ops
whose results already carry the LLVM type (index -> i64, memref -> descriptor struct), and uses
are rewired directly, without materialising `builtin.unrealized_conversion_cast` pairs. Between
passes of the pipeline an LLVM value may therefore feed an op that a later pass converts (e.g. an
i64 used as a `memref.load` index); `convert-func-to-llvm` retypes block arguments last, so the
output of the full pipeline is consistently typed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from types import UnionType
from typing import Union, get_args, get_origin

from xdsl.dialects import builtin, llvm
from xdsl.dialects.builtin import (
    AnyFloat,
    DenseArrayBase,
    FileLineColLoc,
    IndexType,
    IntegerAttr,
    IntegerType,
    MemRefType,
    ModuleOp,
    i64,
)
from xdsl.ir import Attribute, Operation, SSAValue
from xdsl.pattern_rewriter import PatternRewriter, RewritePattern
from xdsl.rewriter import InsertPoint

from neurojit.errors import NeuroJITError

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


def memref_descriptor(t: MemRefType) -> llvm.LLVMStructType:
    rank = len(t.shape)
    desc = _DESCRIPTORS.get(rank)
    if desc is None:
        desc = _DESCRIPTORS[rank] = descriptor_type(rank)
    return desc


def convert_type(t: Attribute, op: Operation | None = None) -> Attribute:
    """The LLVM type that carries a value of builtin type `t` (index is i64)."""
    if isinstance(t, IndexType):
        return I64
    if isinstance(t, IntegerType | AnyFloat):
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
    if isinstance(el, IntegerType | AnyFloat):
        return el
    msg = f"memref element type {el} has no LLVM lowering"
    if op is not None:
        raise unsupported(op, msg)
    raise NeuroJITError(msg)


def convert_types(types: Iterable[Attribute], op: Operation | None = None) -> list[Attribute]:
    return [convert_type(t, op) for t in types]


# Building an IntegerAttr normalises and verifies it (tens of microseconds); programs reuse a
# handful of small constants, so they are built once.
_INT_ATTRS: dict[tuple[int, Attribute], IntegerAttr] = {}


def int_attr(value: int, type_: Attribute = I64) -> IntegerAttr:
    key = (value, type_)
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
        for p in resolved[type(op)]:
            p.match_and_rewrite(op, rewriter)
            if op.parent is None:
                break


def replace_results(op: Operation, new_values: Sequence[SSAValue]) -> None:
    """Point every use of `op`'s results at `new_values` and erase `op` (no type checks)."""
    for old, new in zip(op.results, new_values, strict=True):
        old.replace_all_uses_with(new)
    op.detach()
    op.erase(safe_erase=False)


def is_llvm_or_builtin(op: Operation) -> bool:
    name = op.name
    return name.startswith("llvm.") or isinstance(op, builtin.ModuleOp)


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
