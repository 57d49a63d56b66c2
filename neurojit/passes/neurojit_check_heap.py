"""`neurojit-check-heap`: heap allocation and deallocation through the runtime's checked
heap (neurojit/runtime/heap_ir.py), on a module already lowered to the llvm dialect.

    %p = llvm.call @malloc(%n)          →  %p = llvm.call @nj_malloc(%n)
    llvm.call @free(%allocated)         →  llvm.call @nj_dealloc(%allocated, ptrtoint @nj_site_0,
                                                                  ptrtoint @nj_site_1)

(`aligned_alloc` → `nj_aligned_alloc` likewise). `nj_dealloc` frees only a pointer the
running call allocated and has not freed; a double free, or a free of an argument, a global
or a stack buffer, fails like a `neurojit.check` with kind `invalid-free` at the
`memref.dealloc`'s location (site 0: not allocated by this call; site 1: freed already),
instead of glibc aborting the process inside `free`.

Runs after `neurojit-lower-to-llvm` (finalize-memref-to-llvm gives each `free` call the
location of its `memref.dealloc`). The native front end does the same in
`compiler/native_checks.check_heap`. Upstream has no equivalent: its closest relative is
AddressSanitizer's allocator, which reports the same errors and aborts.
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import builtin, llvm
from xdsl.dialects.builtin import SymbolRefAttr, i64
from xdsl.ir import Operation
from xdsl.passes import ModulePass

from neurojit.passes.llvm_common.build import declare_functions
from neurojit.passes.llvm_common.errors import op_location
from neurojit.passes.llvm_common.sites import SiteTable
from neurojit.passes.llvm_common.types import PTR
from neurojit.runtime import heap_ir
from neurojit.runtime.sites import Site

_DEALLOC_TYPE = llvm.LLVMFunctionType([PTR, i64, i64], None)


def _function_of(op: Operation) -> str:
    cur = op.parent_op()
    while cur is not None and not isinstance(cur, llvm.FuncOp):
        cur = cur.parent_op()
    return cur.sym_name.data if cur is not None else "?"


def check_heap(module: builtin.ModuleOp) -> int:
    """Rewrite `module` in place; returns how many frees it checks."""
    calls = [
        op
        for op in module.walk()
        if isinstance(op, llvm.CallOp)
        and op.callee is not None
        and (
            op.callee.root_reference.data == "free"
            or op.callee.root_reference.data in heap_ir.ALLOCATORS
        )
    ]
    if not calls:
        return 0
    sites = SiteTable(module)
    declarations: dict[str, llvm.LLVMFunctionType] = {}
    frees = 0
    for call in calls:
        callee = call.callee.root_reference.data  # type: ignore[union-attr]
        if callee != "free":
            checked = heap_ir.ALLOCATORS[callee]
            call.callee = SymbolRefAttr(checked)
            declarations[checked] = _declared_type(module, callee)
            continue
        location = op_location(call)
        function = _function_of(call)
        ops: list[Operation] = []
        ids = []
        for message in (heap_ir.FOREIGN_MESSAGE, heap_ir.DOUBLE_MESSAGE):
            site = Site(kind=heap_ir.KIND, message=message, location=location, function=function)
            address = llvm.AddressOfOp(sites.add(site), PTR)
            as_int = llvm.PtrToIntOp(address.result, i64)
            ops += [address, as_int]
            ids.append(as_int.results[0])
        ops.append(llvm.CallOp(heap_ir.NJ_DEALLOC, call.args[0], *ids))
        block = call.parent_block()
        assert block is not None
        for new in ops:
            new.location = call.location
            block.insert_op_before(new, call)
        call.detach()
        call.erase()
        frees += 1
    if frees:
        declarations[heap_ir.NJ_DEALLOC] = _DEALLOC_TYPE
    declare_functions(module, declarations)
    _drop_unused_declarations(module, {"free", *heap_ir.ALLOCATORS})
    return frees


def _drop_unused_declarations(module: builtin.ModuleOp, names: set[str]) -> None:
    """The libc declarations nothing calls any more (and nothing else refers to)."""
    used = {
        attr.root_reference.data
        for op in module.walk()
        if not isinstance(op, llvm.FuncOp)
        for attr in op.attributes.values()
        if isinstance(attr, SymbolRefAttr)
    }
    used |= {
        op.callee.root_reference.data
        for op in module.walk()
        if isinstance(op, llvm.CallOp) and op.callee is not None
    }
    for op in list(module.ops):
        if isinstance(op, llvm.FuncOp) and op.sym_name.data in names - used and not op.body.blocks:
            module.body.block.erase_op(op)


def _declared_type(module: builtin.ModuleOp, name: str) -> llvm.LLVMFunctionType:
    for op in module.ops:
        if isinstance(op, llvm.FuncOp) and op.sym_name.data == name:
            return op.function_type
    if name == "aligned_alloc":
        return llvm.LLVMFunctionType([i64, i64], PTR)
    return llvm.LLVMFunctionType([i64], PTR)


@dataclass(frozen=True)
class NeuroJITCheckHeapPass(ModulePass):
    """Allocate through `nj_malloc` and free through the checking `nj_dealloc`."""

    name = "neurojit-check-heap"

    def apply(self, ctx: Context, op: builtin.ModuleOp) -> None:
        check_heap(op)
