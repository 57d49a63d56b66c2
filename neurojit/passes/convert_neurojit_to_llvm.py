"""`convert-neurojit-to-llvm`: each `neurojit.check` becomes a branch to `nj_fail`.

    neurojit.check %ok, "out-of-bounds", "index {0} not in [0, {1})" (%i : index, %n : index)
becomes
    llvm.cond_br %ok, ^continue, ^fail
  ^fail:
    %site = llvm.mlir.addressof @nj_site_0 : !llvm.ptr    // "kind␟message␟file:l:c␟func␟types"
    llvm.call @nj_fail(ptrtoint %site, i64 %i, i64 %n)  // noreturn: longjmps to the guard
    llvm.unreachable

The failure block ends in `unreachable`, which LLVM's branch-probability analysis weighs as
never taken, so the check costs a compare and a predicted branch on the hot path and the cold
block is laid out of line. `nj_fail` is defined by the crash guard (neurojit/runtime/guard_ir.py);
the site descriptor is a constant in this module (see neurojit/runtime/sites.py), so a report
maps back to the op's location without any registry.

Runs after `convert-scf-to-cf` (it splits blocks, so the check must sit in a function's CFG, not
in a single-block scf region) and before `convert-arith-to-llvm` (the operand casts it emits
are arith ops). Upstream's closest relative is cf.assert's lowering to a call to `abort`.
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import arith, builtin, func, llvm
from xdsl.dialects.builtin import (
    AnyFloat,
    Float64Type,
    IndexType,
    IntegerAttr,
    IntegerType,
    i64,
)
from xdsl.ir import Block, Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import PatternRewriter, RewritePattern
from xdsl.rewriter import InsertPoint

from neurojit.dialect.neurojit import CheckOp
from neurojit.errors import NeuroJITError
from neurojit.passes.llvm_common.build import declare_functions
from neurojit.passes.llvm_common.driver import (
    apply_once,
    op_pattern,
)
from neurojit.passes.llvm_common.errors import op_location
from neurojit.passes.llvm_common.sites import SiteTable
from neurojit.passes.llvm_common.types import PTR
from neurojit.runtime.sites import Site

NJ_FAIL = "nj_fail"
_NJ_FAIL_TYPE = llvm.LLVMFunctionType([i64, i64, i64], llvm.LLVMVoidType())


def _operand_kind(value: SSAValue) -> str:
    return "float" if isinstance(value.type, AnyFloat) else "int"


def _to_i64(value: SSAValue, ops: list[Operation]) -> SSAValue:
    """The i64 bit pattern nj_fail takes: ints sign-extended, floats as f64 bits."""
    t = value.type
    op: Operation
    if isinstance(t, IndexType):
        op = arith.IndexCastOp(value, i64)
    elif isinstance(t, IntegerType):
        width = t.width.data
        if width == 64:
            return value
        if width == 1:
            op = arith.ExtUIOp(value, i64)
        elif width < 64:
            op = arith.ExtSIOp(value, i64)
        else:
            op = arith.TruncIOp(value, i64)
    elif isinstance(t, AnyFloat):
        if not isinstance(t, Float64Type):
            ext = arith.ExtFOp(value, builtin.f64)
            ops.append(ext)
            value = ext.result
        op = arith.BitcastOp(value, i64)
    else:
        raise NeuroJITError(f"neurojit.check cannot report a value of type {t}")
    ops.append(op)
    return op.results[0]


def _constant_i1(value: SSAValue) -> bool | None:
    op = value.owner
    if isinstance(op, arith.ConstantOp | llvm.ConstantOp) and isinstance(op.value, IntegerAttr):
        return bool(op.value.value.data & 1)
    return None


class CheckLowering(RewritePattern):
    """`neurojit.check` → `llvm.cond_br` to a cold block that calls `nj_fail`.

    A run of back-to-back checks (what neurojit-insert-checks emits for one op) becomes one
    branch on the conjunction of their conditions; only the cold path tests them one by one,
    in order, to report the first that fails.
    """

    def __init__(self, sites: SiteTable) -> None:
        self.sites = sites

    def _failure_block(self, check: CheckOp, function: str) -> Block:
        site = Site(
            kind=check.kind.data,
            message=check.message.data,
            location=op_location(check),
            function=function,
            operand_types=tuple(_operand_kind(v) for v in check.values),
        )
        ops: list[Operation] = []
        address = llvm.AddressOfOp(self.sites.add(site), PTR)
        site_id = llvm.PtrToIntOp(address.result, i64)
        ops += [address, site_id]
        args = [_to_i64(v, ops) for v in check.values]
        while len(args) < 2:
            zero = arith.ConstantOp(IntegerAttr(0, i64))
            ops.append(zero)
            args.append(zero.result)
        ops += [llvm.CallOp(NJ_FAIL, site_id.results[0], *args), llvm.UnreachableOp()]
        for new in ops:
            new.location = check.location
        return Block(ops)

    @op_pattern
    def match_and_rewrite(self, op: CheckOp, rewriter: PatternRewriter, /) -> None:
        block = op.parent_block()
        region = block.parent if block is not None else None
        owner = region.parent if region is not None else None
        if not isinstance(owner, func.FuncOp | llvm.FuncOp):
            where = owner.name if owner is not None else "no region"
            raise NeuroJITError(
                f"neurojit.check inside '{where}': run convert-scf-to-cf before "
                "convert-neurojit-to-llvm",
                op_location(op),
            )
        assert block is not None and region is not None
        run: list[CheckOp] = [op]
        while isinstance(run[-1].next_op, CheckOp):
            run.append(run[-1].next_op)
        live = [c for c in run if _constant_i1(c.condition) is not True]
        after = run[-1].next_op
        assert after is not None, "a check cannot end a block"
        if not live:
            for c in run:
                rewriter.erase(c)
            return
        if len(live) == 1:
            cond = live[0].condition
        else:
            conj = live[0].condition
            for c in live[1:]:
                both = arith.AndIOp(conj, c.condition)
                both.location = op.location
                rewriter.insert(both, InsertPoint.before(op))
                conj = both.result
            cond = conj
        continuation = block.split_before(after)
        function = owner.sym_name.data
        failures = [self._failure_block(c, function) for c in live]
        # Cold dispatch: the first failing check in program order reports; if all but the
        # last held, the last one failed.
        dispatch = [Block() for _ in live[:-1]]
        target_after: Block = failures[-1]
        for i in range(len(live) - 2, -1, -1):
            dispatch[i].add_op(llvm.CondBrOp(live[i].condition, target_after, (), failures[i], ()))
            target_after = dispatch[i]
        entry = target_after  # the first dispatch block, or the only failure block
        anchor = block
        for new in [*dispatch, *failures]:
            region.insert_block_after(new, anchor)
            anchor = new
        branch = llvm.CondBrOp(cond, continuation, (), entry, ())
        branch.location = op.location
        rewriter.insert(branch, InsertPoint.before(op))
        for c in run:
            rewriter.erase(c)


@dataclass(frozen=True)
class ConvertNeuroJITToLLVMPass(ModulePass):
    """Lower `neurojit.check` to a cold call of the runtime's `nj_fail`."""

    name = "convert-neurojit-to-llvm"

    def apply(self, ctx: Context, op: builtin.ModuleOp) -> None:
        sites = SiteTable(op)
        apply_once(op, [CheckLowering(sites)])
        if sites.used:
            declare_functions(op, {NJ_FAIL: _NJ_FAIL_TYPE})
