"""The xDSL front end: our parser, `neurojit-insert-checks`, `neurojit-lower-to-llvm`, and
our llvm-dialect translator (the pure-Python path; see compiler/__init__.py)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from neurojit.compiler import Lowered
from neurojit.errors import NeuroJITError

if TYPE_CHECKING:
    from xdsl.dialects.builtin import ModuleOp

    from neurojit.runtime.module import FunctionInfo


def function_infos(module: ModuleOp) -> dict[str, FunctionInfo]:
    from xdsl.dialects.func import FuncOp

    from neurojit.runtime import abi
    from neurojit.runtime.module import FunctionInfo

    out: dict[str, FunctionInfo] = {}
    for op in module.body.block.ops:
        if not isinstance(op, FuncOp) or op.is_declaration:
            continue
        visibility = op.sym_visibility.data if op.sym_visibility else "public"
        try:
            sig, why = abi.signature_from_func(op), None
        except abi.UnsupportedSignature as err:
            sig, why = None, err.message
        out[op.sym_name.data] = FunctionInfo(
            op.sym_name.data, str(op.function_type), visibility == "public", sig, why
        )
    return out


def insert_checks(module: ModuleOp, check_float: bool = False) -> None:
    from neurojit.ir import make_context
    from neurojit.passes.neurojit_insert_checks import NeuroJITInsertChecksPass

    NeuroJITInsertChecksPass(check_float=check_float).apply(make_context(), module)


def lower(module: ModuleOp, checks: bool = False) -> str:
    """The module's LLVM IR through our own lowering (neurojit.lowering), in place; with
    `checks`, allocations and frees then go through the checked heap (neurojit-check-heap)."""
    from neurojit.lowering import lower_to_llvm, to_llvm_ir

    lower_to_llvm(module)
    if checks:
        from neurojit.passes.neurojit_check_heap import check_heap

        check_heap(module)
    return to_llvm_ir(module)


def compile_text(
    text: str,
    filename: str,
    checks: bool,
    check_float: bool = False,
    lowerer: Callable[[Any], str] | None = None,
) -> Lowered:
    from xdsl.dialects.memref import GlobalOp

    from neurojit.ir import parse_module
    from neurojit.runtime.module import paused_gc

    with paused_gc():
        module = parse_module(text, filename)
        functions = function_infos(module)
        # Kept for swaps: a new function version refers to the module's globals.
        global_ops = [op.clone() for op in module.body.block.ops if isinstance(op, GlobalOp)]
        if checks:
            insert_checks(module, check_float)
        llvm_ir = lowerer(module) if lowerer else lower(module, checks)
        del module  # garbage now: freed by the first collection after the pause
    return Lowered(llvm_ir, functions, "xdsl", global_ops)


def compile_swap(
    fname: str,
    text: str,
    functions: dict[str, FunctionInfo],
    global_ops: list[Any] | None,
    source: tuple[str, str] | None,
    checks: bool,
    lowerer: Callable[[Any], str] | None = None,
) -> tuple[Lowered, list[Any]]:
    from neurojit.runtime.module import paused_gc

    if global_ops is None:
        global_ops = module_globals(source)
    with paused_gc():  # as in compile_text: the IR dies young
        module = _swap_module(text, functions, global_ops)
        infos = function_infos(module)
        if checks:
            insert_checks(module)
        llvm_ir = lowerer(module) if lowerer else lower(module, checks)
        del module
    return Lowered(llvm_ir, infos, "xdsl"), global_ops


def module_globals(source: tuple[str, str] | None) -> list[Any]:
    from xdsl.dialects.memref import GlobalOp

    from neurojit.ir import parse_module

    if source is None:
        return []
    parsed = parse_module(*source)
    return [op.clone() for op in parsed.body.block.ops if isinstance(op, GlobalOp)]


def _swap_module(text: str, functions: dict[str, FunctionInfo], global_ops: list[Any]) -> Any:
    """Parse the new function with declarations of the module's other functions added."""
    from xdsl.dialects.builtin import FunctionType
    from xdsl.dialects.func import FuncOp
    from xdsl.parser import Parser

    from neurojit.ir import make_context, parse_module, verify_module

    # `module {` on the text's first line: a fault's line is the line in `text`.
    body = text if re.match(r"\s*(module\b|builtin\.module\b)", text) else f"module {{{text}\n}}"
    module = parse_module(body, "<swap>", verify=False)
    present = {
        op.sym_name.data
        for op in module.body.block.ops
        if hasattr(op, "sym_name") and op.sym_name is not None
    }
    block = module.body.block
    first = block.first_op
    ctx = make_context()
    for f, other in functions.items():
        if f in present:
            continue
        ftype = Parser(ctx, other.type_text).parse_type()
        if not isinstance(ftype, FunctionType):
            raise NeuroJITError(f"swap: bad recorded type of @{f}: {other.type_text}")
        decl = FuncOp.external(f, list(ftype.inputs.data), list(ftype.outputs.data))
        _insert(block, first, decl)
    for g in global_ops:
        if g.sym_name.data not in present:
            _insert(block, first, g.clone())
    verify_module(module, "<swap>", body)
    return module


def _insert(block: Any, first: Any, op: Any) -> None:
    if first is None:
        block.add_op(op)
    else:
        block.insert_op_before(op, first)
