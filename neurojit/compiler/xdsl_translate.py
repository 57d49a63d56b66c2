"""llvm dialect -> LLVM IR text, on xDSL's llvmlite backend plus the ops it lacks.

xDSL's `convert_op` is a fixed `match`; we put our own dispatcher in front of it for
`llvm.switch`, `fptosi`/`fptoui`/`uitofp`, intrinsics of any arity (incl. void ones such as
`llvm.trap`), i1 constants, and function linkage, and fall back to xDSL for the rest.
Globals are emitted here too: flat dense initialisers, zero-initialised globals without one.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import llvmlite.ir as ir
from xdsl.backend.llvm.convert import _declare_func  # the signature/arg-attr logic we reuse
from xdsl.backend.llvm.convert_op import convert_op as xdsl_convert_op
from xdsl.backend.llvm.convert_type import convert_type
from xdsl.dialects import llvm
from xdsl.dialects.builtin import (
    DenseIntOrFPElementsAttr,
    FloatAttr,
    IntegerAttr,
    IntegerType,
    ModuleOp,
    StringAttr,
)
from xdsl.dialects.llvm import ATOMIC_ORDERING_KEYWORDS
from xdsl.ir import Block, Operation, SSAValue
from xdsl.utils.exceptions import LLVMTranslationException

from neurojit.dialect.llvm import FPToSIOp, FPToUIOp, SwitchOp, UIToFPOp
from neurojit.errors import NeuroJITError
from neurojit.passes.llvm_common.errors import op_location, unsupported

ValMap = dict[SSAValue, ir.Value]
BlockMap = dict[Block, ir.Block]


@cache
def host_triple() -> str:
    from llvmlite import binding

    return binding.get_default_triple()


def _cast(name: str) -> Callable[[Operation, ir.IRBuilder, ValMap, BlockMap], None]:
    def emit(op: Operation, b: ir.IRBuilder, vals: ValMap, _: BlockMap) -> None:
        vals[op.results[0]] = getattr(b, name)(
            vals[op.operands[0]], convert_type(op.results[0].type)
        )

    return emit


def _add_incoming(
    dest: Block, args: tuple[SSAValue, ...] | list[SSAValue], src: ir.Block, vals: ValMap
) -> None:
    for arg, v in zip(dest.args, args, strict=True):
        phi = vals[arg]
        assert isinstance(phi, ir.PhiInstr)
        phi.add_incoming(vals[v], src)


def _edges(
    b: ir.IRBuilder,
    src: ir.Block,
    edges: list[tuple[Block, list[SSAValue]]],
    vals: ValMap,
    blocks: BlockMap,
) -> list[ir.Block]:
    """LLVM targets for a terminator's successor edges, adding phi entries.

    A phi has one entry per predecessor block, so when one terminator reaches the same block
    by several edges that pass arguments, all but the first go through a fresh block that
    just branches on (what upstream's llvm-legalize-for-export does).
    """
    seen: set[Block] = set()
    targets: list[ir.Block] = []
    for dest, args in edges:
        if dest in seen and dest.args:
            hop = b.function.append_basic_block(name=f"{src.name}.edge")
            ir.IRBuilder(hop).branch(blocks[dest])
            _add_incoming(dest, args, hop, vals)
            targets.append(hop)
            continue
        seen.add(dest)
        _add_incoming(dest, args, src, vals)
        targets.append(blocks[dest])
    return targets


def _switch(op: Operation, b: ir.IRBuilder, vals: ValMap, blocks: BlockMap) -> None:
    assert isinstance(op, SwitchOp)
    parent = op.parent_block()
    assert parent is not None
    cases = op.cases()
    edges = [(op.default_block, list(op.default_operands))]
    edges += [(dest, list(operands)) for _, dest, operands in cases]
    targets = _edges(b, blocks[parent], edges, vals, blocks)
    switch = b.switch(vals[op.flag], targets[0])
    flag_type = vals[op.flag].type
    for (value, _, _), target in zip(cases, targets[1:], strict=True):
        switch.add_case(ir.Constant(flag_type, value), target)


def _cond_br(op: Operation, b: ir.IRBuilder, vals: ValMap, blocks: BlockMap) -> None:
    assert isinstance(op, llvm.CondBrOp)
    parent = op.parent_block()
    assert parent is not None
    edges = [
        (op.then_block, list(op.then_arguments)),
        (op.else_block, list(op.else_arguments)),
    ]
    then_target, else_target = _edges(b, blocks[parent], edges, vals, blocks)
    b.cbranch(vals[op.cond], then_target, else_target)


def _call_intrinsic(op: Operation, b: ir.IRBuilder, vals: ValMap, _: BlockMap) -> None:
    assert isinstance(op, llvm.CallIntrinsicOp)
    args = [vals[a] for a in op.args]
    ret = convert_type(op.ress.type) if op.ress is not None else ir.VoidType()
    name = op.intrin.data
    module = b.module
    fn = module.globals.get(name)
    if fn is None:
        fn = ir.Function(module, ir.FunctionType(ret, [a.type for a in args]), name=name)
    result = b.call(fn, args)
    if op.ress is not None:
        vals[op.ress] = result


def _constant(op: Operation, b: ir.IRBuilder, vals: ValMap, _: BlockMap) -> None:
    assert isinstance(op, llvm.ConstantOp)
    value = op.value
    ty = op.result.type
    if isinstance(value, IntegerAttr) and isinstance(ty, IntegerType):
        width = ty.width.data
        # i1 true is stored as -1 by xDSL; LLVM wants the unsigned bit pattern.
        vals[op.result] = ir.Constant(ir.IntType(width), value.value.data & ((1 << width) - 1))
    elif isinstance(value, FloatAttr):
        vals[op.result] = ir.Constant(convert_type(ty), value.value.data)
    else:
        xdsl_convert_op(op, b, vals)


def _atomic_ordering(op: Operation) -> str | None:
    attr = op.properties.get("ordering")
    if not isinstance(attr, IntegerAttr) or attr.value.data == 0:
        return None
    return ATOMIC_ORDERING_KEYWORDS[attr.value.data]


def _natural_align(t: ir.Type) -> int:
    # Atomic accesses need an explicit alignment; scalars and pointers are naturally aligned.
    bits = getattr(t, "width", None) or {"double": 64, "float": 32, "half": 16}.get(str(t), 64)
    return max(1, bits // 8)


def _load_or_store(op: Operation, b: ir.IRBuilder, vals: ValMap, blocks: BlockMap) -> None:
    """An atomic load or store ourselves (xDSL's translation drops the ordering); a plain one
    through xDSL's."""
    ordering = _atomic_ordering(op)
    if ordering is None:
        xdsl_convert_op(op, b, vals, blocks)
    elif isinstance(op, llvm.LoadOp):
        ty = convert_type(op.dereferenced_value.type)
        align = op.alignment.value.data if op.alignment is not None else _natural_align(ty)
        vals[op.dereferenced_value] = b.load_atomic(vals[op.ptr], ordering, align, typ=ty)
    else:
        assert isinstance(op, llvm.StoreOp)
        value = vals[op.value]
        align = op.alignment.value.data if op.alignment is not None else _natural_align(value.type)
        b.store_atomic(value, vals[op.ptr], ordering, align)


_EXTRA: dict[type[Operation], Callable[[Operation, ir.IRBuilder, ValMap, BlockMap], None]] = {
    FPToSIOp: _cast("fptosi"),
    FPToUIOp: _cast("fptoui"),
    UIToFPOp: _cast("uitofp"),
    SwitchOp: _switch,
    llvm.CondBrOp: _cond_br,
    llvm.LoadOp: _load_or_store,
    llvm.StoreOp: _load_or_store,
    llvm.CallIntrinsicOp: _call_intrinsic,
    llvm.ConstantOp: _constant,
}


def convert_op(op: Operation, b: ir.IRBuilder, vals: ValMap, blocks: BlockMap) -> None:
    extra = _EXTRA.get(type(op))
    if extra is not None:
        extra(op, b, vals, blocks)
        return
    try:
        xdsl_convert_op(op, b, vals, blocks)
    except NotImplementedError as err:
        raise unsupported(op, f"no LLVM IR translation ({err})") from None


def _convert_func(op: llvm.FuncOp, module: ir.Module) -> None:
    fn = module.get_global(op.sym_name.data)
    blocks: BlockMap = {}
    vals: ValMap = {}
    body = list(op.body.blocks)
    for i, block in enumerate(body):
        blocks[block] = fn.append_basic_block(name=block.name_hint or "")
        if i == 0:
            for arg, llvm_arg in zip(block.args, fn.args, strict=True):
                vals[arg] = llvm_arg
    # Phi nodes first, so branches anywhere can add their incoming values.
    for block in body[1:]:
        if block.args:
            b = ir.IRBuilder(blocks[block])
            for arg in block.args:
                vals[arg] = b.phi(convert_type(arg.type))
    for block in body:
        b = ir.IRBuilder(blocks[block])
        for inner in block.ops:
            convert_op(inner, b, vals, blocks)


def _flat_values(value: DenseIntOrFPElementsAttr, ty: ir.Type) -> list[object]:
    values = list(value.get_values())
    if isinstance(ty, ir.IntType):
        mask = (1 << ty.width) - 1
        values = [int(v) & mask for v in values]
    return values


def _convert_global(op: llvm.GlobalOp, module: ir.Module) -> None:
    ty = convert_type(op.global_type)
    gvar = ir.GlobalVariable(module, ty, name=op.sym_name.data, addrspace=0)
    linkage = op.linkage.linkage.data
    gvar.linkage = "" if linkage == "external" else linkage
    if op.constant is not None:
        gvar.global_constant = True
    if op.alignment is not None:
        gvar.align = op.alignment.value.data
    value = op.value
    if value is None:
        if linkage != "external" or op.constant is not None:
            gvar.initializer = ir.Constant(ty, None)
        else:
            gvar.initializer = ir.Constant(ty, None)
        return
    if isinstance(value, StringAttr):
        raw = value.data.encode("utf-8")
        gvar.initializer = ir.Constant(ir.ArrayType(ir.IntType(8), len(raw)), bytearray(raw))
    elif isinstance(value, DenseIntOrFPElementsAttr):
        if isinstance(ty, ir.ArrayType):
            values = _flat_values(value, ty.element)
            if len(values) == 1 and ty.count > 1:  # splat
                values = values * ty.count
            gvar.initializer = ir.Constant(ty, [ir.Constant(ty.element, v) for v in values])
        else:
            gvar.initializer = ir.Constant(ty, _flat_values(value, ty)[0])
    elif isinstance(value, IntegerAttr | FloatAttr):
        gvar.initializer = ir.Constant(ty, value.value.data)
    else:
        raise unsupported(op, f"global initialiser {value}")


def _set_linkage(op: llvm.FuncOp, module: ir.Module) -> None:
    fn = module.get_global(op.sym_name.data)
    linkage = op.linkage.linkage.data
    if op.body.blocks and linkage in ("internal", "private", "linkonce_odr", "weak"):
        fn.linkage = linkage


def translate_module(module: ModuleOp) -> ir.Module:
    """Build the llvmlite module for an llvm-dialect `module`."""
    out = ir.Module()
    triple = module.attributes.get("llvm.target_triple")
    out.triple = triple.data if isinstance(triple, StringAttr) else host_triple()
    globals_: list[llvm.GlobalOp] = []
    funcs: list[llvm.FuncOp] = []
    for op in module.ops:
        if isinstance(op, llvm.GlobalOp):
            globals_.append(op)
        elif isinstance(op, llvm.FuncOp):
            funcs.append(op)
        else:
            raise unsupported(op, "only llvm.func and llvm.mlir.global may remain at top level")
    for g in globals_:
        _convert_global(g, out)
    for f in funcs:
        _declare_func(f, out)
        _set_linkage(f, out)
    for f in funcs:
        if f.body.blocks:
            _convert_func(f, out)
    return out


def to_llvm_ir(module: ModuleOp) -> str:
    """LLVM IR text of an llvm-dialect module; NeuroJITError for anything untranslatable."""
    try:
        return str(translate_module(module))
    except NeuroJITError:
        raise
    except (
        KeyError,
        AssertionError,
        TypeError,
        ValueError,
        NotImplementedError,
        LLVMTranslationException,
    ) as err:
        # A malformed llvm-dialect module (e.g. a value used before its definition).
        where = None
        raise NeuroJITError(
            f"cannot translate to LLVM IR: {type(err).__name__}: {err}", where
        ) from None


__all__ = ["to_llvm_ir", "translate_module", "op_location"]
