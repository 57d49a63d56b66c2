"""Widen sub-byte integer memrefs to i8 before upstream's lowering (the native front end).

This LLVM build asserts in finalize-memref-to-llvm on `memref.load`/`memref.store` of an
element type narrower than a byte ("integralElementType.getWidth() >= 8"), killing the
process; MLIR 19 lowered them. LLVM stores an i1..i7 in a whole byte anyway, so a
`memref<..xi1>` and a `memref<..xi8>` holding 0/1 have the same memory layout (and the same
as a numpy bool array): every such memref type becomes its i8 twin, a load is followed by
`arith.trunci` back to the narrow type and a store's value is `arith.extui`ed first. The
function signatures the runtime sees are taken before this, so Python still passes bools.

Ops that touch such a memref in ways not rewritten here (vector/affine accesses, atomics,
...) make `widen` return a reason, and the module goes to the xdsl front end.
"""

from __future__ import annotations

import re
from typing import Any

# Text that may hold a sub-byte integer memref (type aliases are text too). The walk in
# `widen` costs ~20 ms per 1,000 ops, so modules without a match skip it; a false match only
# costs the walk.
_SUB_BYTE_MEMREF = re.compile(r"memref<\s*(?:[\d?*]+\s*x\s*)*i[1-7]\b")


def may_need_widening(text: str) -> bool:
    return _SUB_BYTE_MEMREF.search(text) is not None


# Ops whose sub-byte memref operands/results only need their types changed.
_TYPE_ONLY = {
    "memref.alloc",
    "memref.alloca",
    "memref.dealloc",
    "memref.cast",
    "memref.subview",
    "memref.dim",
    "memref.rank",
    "memref.copy",
    "memref.get_global",
    "memref.reinterpret_cast",
    "memref.reshape",
    "memref.expand_shape",
    "memref.collapse_shape",
    "memref.transpose",
    "memref.view",
    "memref.extract_strided_metadata",
    "memref.extract_aligned_pointer_as_index",
    "memref.memory_space_cast",
    "func.func",
    "func.call",
    "func.call_indirect",
    "func.return",
    "scf.for",
    "scf.if",
    "scf.while",
    "scf.yield",
    "scf.condition",
    "scf.execute_region",
    "scf.index_switch",
    "cf.br",
    "cf.cond_br",
    "cf.switch",
    "arith.select",
    "memref.alloca_scope",
    "memref.alloca_scope.return",
}


def _narrow(t: Any) -> bool:
    from mlir import ir

    if isinstance(t, ir.MemRefType | ir.UnrankedMemRefType):
        e = t.element_type
        return isinstance(e, ir.IntegerType) and e.width < 8
    return False


def _wide(t: Any) -> Any:
    from mlir import ir

    i8 = ir.IntegerType.get_signless(8)
    if isinstance(t, ir.UnrankedMemRefType):
        return ir.UnrankedMemRefType.get(i8, t.memory_space)
    return ir.MemRefType.get(t.shape, i8, t.layout, t.memory_space)


def _wide_function_type(ft: Any) -> Any:
    from mlir import ir

    return ir.FunctionType.get(
        [_wide(t) if _narrow(t) else t for t in ft.inputs],
        [_wide(t) if _narrow(t) else t for t in ft.results],
    )


def _touches(op: Any) -> bool:
    if any(_narrow(v.type) for v in op.operands) or any(_narrow(r.type) for r in op.results):
        return True
    for region in op.regions:
        for block in region.blocks:
            if any(_narrow(a.type) for a in block.arguments):
                return True
    return False


def widen(module: Any) -> str | None:
    """Rewrite `module` in place; None when done, else why it could not be (nothing changed
    that matters: the caller compiles the text with the other front end)."""
    from mlir import ir

    with ir.Location.unknown():
        return _widen(module)


def _widen(module: Any) -> str | None:
    from mlir import ir

    ops: list[Any] = []

    def collect(op: Any) -> Any:
        ops.append(op)
        return ir.WalkResult.ADVANCE

    module.operation.walk(collect)
    work: list[Any] = []
    for op in ops:
        name = op.operation.name
        if name == "memref.global":
            if _narrow(ir.TypeAttr(op.attributes["type"]).value):
                work.append(op)
            continue
        if name == "func.func":
            ft = ir.TypeAttr(op.attributes["function_type"]).value
            if any(_narrow(t) for t in [*ft.inputs, *ft.results]) or _touches(op):
                work.append(op)
            continue
        if not _touches(op):
            continue
        if name not in _TYPE_ONLY and name not in ("memref.load", "memref.store"):
            return f"'{name}' on a sub-byte integer memref"
        work.append(op)
    # Which accesses are narrow, decided before any type changes.
    narrow_load = [
        op.operation.name == "memref.load" and _narrow(op.operands[0].type) for op in work
    ]
    narrow_store = [
        op.operation.name == "memref.store" and _narrow(op.operands[1].type) for op in work
    ]
    if not work:
        return None
    i8 = ir.IntegerType.get_signless(8)
    for k, op in enumerate(work):
        name = op.operation.name
        loc = op.location
        if name == "memref.global":
            reason = _widen_global(op)
            if reason:
                return reason
            continue
        if name == "func.func":
            ft = ir.TypeAttr(op.attributes["function_type"]).value
            op.attributes["function_type"] = ir.TypeAttr.get(_wide_function_type(ft))
        for region in op.regions:
            for block in region.blocks:
                for arg in block.arguments:
                    if _narrow(arg.type):
                        arg.set_type(_wide(arg.type))
        if narrow_store[k]:
            value = op.operands[0]
            with ir.InsertionPoint(op):
                ext = ir.Operation.create("arith.extui", results=[i8], operands=[value], loc=loc)
            op.operands[0] = ext.result
        for r in op.results:
            if _narrow(r.type):
                r.set_type(_wide(r.type))
        if narrow_load[k]:
            result = op.results[0]
            narrow_type = result.type
            result.set_type(i8)
            with ir.InsertionPoint.after(op):
                trunc = ir.Operation.create(
                    "arith.trunci", results=[narrow_type], operands=[result], loc=loc
                )
            result.replace_all_uses_except(trunc.result, trunc)
    # Operand types follow their producers; the memref operands of loads/stores were
    # checked against the original types above, so widen what is still narrow now.
    for op in work:
        for v in op.operands:
            if _narrow(v.type):
                v.set_type(_wide(v.type))
    try:
        module.operation.verify()
    except ir.MLIRError as err:
        return f"widening sub-byte memrefs failed to verify: {str(err).splitlines()[0][:200]}"
    return None


def _widen_global(op: Any) -> str | None:
    from mlir import ir

    t = ir.TypeAttr(op.attributes["type"]).value
    wide = _wide(t)
    op.attributes["type"] = ir.TypeAttr.get(wide)
    if "initial_value" not in op.attributes:
        return None
    init = op.attributes["initial_value"]
    if isinstance(init, ir.UnitAttr):
        return None
    if not isinstance(init, ir.DenseIntElementsAttr):
        return "a sub-byte memref.global with a non-dense initial value"
    shape = "x".join(str(d) for d in wide.shape)
    tensor = f"tensor<{shape}{'x' if shape else ''}i8>"
    mask = (1 << t.element_type.width) - 1  # zero-extended, as stores extui
    if init.is_splat:
        values = [int(init.get_splat_value().value) & mask]
        text = f"dense<{values[0]}> : {tensor}"
    else:
        values = [int(init[i]) & mask for i in range(len(init))]
        text = f"dense<[{', '.join(map(str, values))}]> : {tensor}"
    if len(wide.shape) > 1 and not init.is_splat:
        # A flat list with an n-d tensor type does not parse; n-d dense literals nest.
        text = f"dense<{_nest(values, list(wide.shape))}> : {tensor}"
    op.attributes["initial_value"] = ir.Attribute.parse(text)
    return None


def _nest(values: list[int], shape: list[int]) -> str:
    if len(shape) == 1:
        return "[" + ", ".join(map(str, values)) + "]"
    step = len(values) // shape[0] if shape[0] else 0
    parts = [_nest(values[i * step : (i + 1) * step], shape[1:]) for i in range(shape[0])]
    return "[" + ", ".join(parts) + "]"
