"""The symbolic proposer: repair templates per fault kind, instantiated at the faulting op.

Each template edits a clone of the faulty function with xDSL builders and yields its text;
the pass validates it exactly as it validates a model's answer. Templates are deliberately
plain (what a careful engineer would try first), ordered from the most local to the most
sweeping, and every one keeps the signature.

- division-by-zero, signed-overflow: make the divisor safe (zero, and INT_MIN / -1), either
  returning 0 for the bad case or dividing by 1;
- out-of-bounds, segfault, bus-error: guard the access (a load yields 0, a store is
  skipped), or clamp each index into its dimension;
- timeout: force a positive `scf.for` step; bound an `scf.while`, or a cf loop, with an
  iteration counter;
- stack-overflow: add a base case on an integer argument ahead of the recursion;
- trap: drop `cf.assert`;
- verifier-error: insert the cast a type mismatch asks for (returns, yields, call operands,
  arith operands); call with the callee's declared result types and cast the results to
  the written ones; move a definition above a use that comes before it, or, when it sits in
  a block that does not dominate the use (one branch, used at the join), to the end of the
  nearest block that dominates both, or, when it cannot move (a division), pass it to the
  join as a block argument (zero from the other predecessors); end a block that lacks a
  terminator by returning the values it computed last.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from xdsl.dialects import arith, cf, func, memref, scf
from xdsl.dialects.builtin import (
    AnyFloat,
    FloatAttr,
    IndexType,
    IntegerAttr,
    IntegerType,
    MemRefType,
    ModuleOp,
)
from xdsl.dialects.func import FuncOp
from xdsl.ir import Attribute, Block, Operation, OpResult, Region, SSAValue
from xdsl.rewriter import InsertPoint, Rewriter
from xdsl.traits import IsTerminator

from neurojit.fault_report import FaultReport
from neurojit.llm_pass.faults import op_at
from neurojit.llm_pass.fingerprint import print_op, strip_checks, strip_run_attrs

# A template: the function (a private clone), the chosen sites in it -> whether it changed it.
Template = Callable[[FuncOp, list[Operation]], bool]

DIVISIONS = frozenset(
    {
        "arith.divsi",
        "arith.divui",
        "arith.remsi",
        "arith.remui",
        "arith.ceildivsi",
        "arith.ceildivui",
        "arith.floordivsi",
    }
)
SIGNED_DIVISIONS = frozenset({"arith.divsi", "arith.remsi", "arith.ceildivsi", "arith.floordivsi"})
ACCESSES = frozenset({"memref.load", "memref.store"})
LOOP_BOUND = 1 << 20


# -- small builders ------------------------------------------------------------------------
def _before(target: Operation, *ops: Operation) -> None:
    Rewriter.insert_op(list(ops), InsertPoint.before(target))


def _const(value: int | float, typ: Attribute) -> arith.ConstantOp:
    if isinstance(typ, IntegerType | IndexType):
        return arith.ConstantOp(IntegerAttr(value, typ))
    assert isinstance(typ, AnyFloat)
    return arith.ConstantOp(FloatAttr(float(value), typ))


def _int_min(typ: Attribute) -> int:
    width = typ.width.data if isinstance(typ, IntegerType) else 64
    return -(1 << (width - 1))


# Arith ops whose operands and result have one type (MLIR's SameOperandsAndResultType).
SAME_TYPE_BINARY: frozenset[str] = frozenset(
    f"arith.{name}"
    for name in (
        "addi subi muli divsi divui remsi remui ceildivsi floordivsi andi ori xori shli shrsi "
        "shrui maxsi minsi maxui minui addf subf mulf divf maximumf minimumf maxnumf minnumf"
    ).split()
)


def _is_scalar(typ: Attribute) -> bool:
    return isinstance(typ, IntegerType | IndexType | AnyFloat)


def _cast(value: SSAValue, to: Attribute) -> Operation | None:
    """The single arith cast from value's type to `to`, or None when there is none."""
    src = value.type
    if isinstance(src, IntegerType) and isinstance(to, IntegerType):
        if src.width.data < to.width.data:
            return arith.ExtSIOp(value, to)
        if src.width.data > to.width.data:
            return arith.TruncIOp(value, to)
        return None
    if isinstance(src, IntegerType | IndexType) and isinstance(to, IntegerType | IndexType):
        return arith.IndexCastOp(value, to)
    if isinstance(src, IntegerType) and isinstance(to, AnyFloat):
        return arith.SIToFPOp(value, to)
    if isinstance(src, AnyFloat) and isinstance(to, IntegerType):
        return arith.FPToSIOp(value, to)
    if isinstance(src, AnyFloat) and isinstance(to, AnyFloat):
        if src.bitwidth < to.bitwidth:
            return arith.ExtFOp(value, to)
        if src.bitwidth > to.bitwidth:
            return arith.TruncFOp(value, to)
    return None


# -- division ------------------------------------------------------------------------------
def _bad_divisor(div: Operation) -> tuple[list[Operation], SSAValue]:
    """Ops computing "this division would fault", and that i1 value."""
    lhs, rhs = div.operands[0], div.operands[1]
    zero = _const(0, rhs.type)
    is_zero = arith.CmpiOp(rhs, zero, "eq")
    ops: list[Operation] = [zero, is_zero]
    bad: SSAValue = is_zero.result
    if div.name in SIGNED_DIVISIONS:
        minus_one = _const(-1, rhs.type)
        int_min = _const(_int_min(rhs.type), lhs.type)
        is_m1 = arith.CmpiOp(rhs, minus_one, "eq")
        is_min = arith.CmpiOp(lhs, int_min, "eq")
        overflow = arith.AndIOp(is_m1, is_min)
        either = arith.OrIOp(is_zero, overflow)
        ops += [minus_one, int_min, is_m1, is_min, overflow, either]
        bad = either.result
    return ops, bad


def _divide_by_one_if_bad(div: Operation) -> SSAValue:
    """Make `div` divide by 1 when its divisor would fault; returns the "would fault" flag."""
    ops, bad = _bad_divisor(div)
    one = _const(1, div.operands[1].type)
    safe = arith.SelectOp(bad, one, div.operands[1])
    _before(div, *ops, one, safe)
    div.operands[1] = safe.result
    return bad


def divide_by_one(fn: FuncOp, sites: list[Operation]) -> bool:
    """Divide by 1 when the divisor is 0 (or the division is INT_MIN / -1)."""
    for div in sites:
        _divide_by_one_if_bad(div)
    return bool(sites)


def zero_result(fn: FuncOp, sites: list[Operation]) -> bool:
    """Return 0 from the division when it would fault (dividing by 1 instead, so no trap)."""
    for div in sites:
        bad = _divide_by_one_if_bad(div)
        zero = _const(0, div.results[0].type)
        pick = arith.SelectOp(bad, zero, div.results[0])
        Rewriter.insert_op([zero, pick], InsertPoint.after(div))
        div.results[0].replace_uses_with_if(pick.result, lambda use, p=pick: use.operation is not p)
    return bool(sites)


# -- memory accesses -----------------------------------------------------------------------
def _mem_and_indices(op: Operation) -> tuple[SSAValue, Sequence[SSAValue]]:
    if op.name == "memref.load":
        return op.operands[0], op.operands[1:]
    return op.operands[1], op.operands[2:]


def _dim(ref: SSAValue, axis: int, at: Operation) -> SSAValue:
    typ = ref.type
    assert isinstance(typ, MemRefType)
    size = typ.get_shape()[axis]
    if size >= 0:
        c = _const(size, IndexType())
        _before(at, c)
        return c.result
    idx = _const(axis, IndexType())
    dim = memref.DimOp(ref, idx)
    _before(at, idx, dim)
    return dim.result


def _in_bounds(op: Operation) -> SSAValue:
    ref, indices = _mem_and_indices(op)
    ok: SSAValue | None = None
    for axis, index in enumerate(indices):
        size = _dim(ref, axis, op)
        zero = _const(0, IndexType())
        ge = arith.CmpiOp(index, zero, "sge")
        lt = arith.CmpiOp(index, size, "slt")
        both = arith.AndIOp(ge, lt)
        _before(op, zero, ge, lt, both)
        if ok is None:
            ok = both.result
        else:
            conj = arith.AndIOp(ok, both)
            _before(op, conj)
            ok = conj.result
    if ok is None:
        true = arith.ConstantOp(IntegerAttr(1, IntegerType(1)))
        _before(op, true)
        ok = true.result
    return ok


def guard_access(fn: FuncOp, sites: list[Operation]) -> bool:
    """Do the access only when every index is in bounds; a skipped load yields 0."""
    changed = False
    for op in sites:
        ref, _ = _mem_and_indices(op)
        assert isinstance(ref.type, MemRefType)
        element = ref.type.element_type
        if op.name == "memref.load" and not _is_scalar(element):
            continue
        # A load or store is never a terminator, so there is always an op after it.
        at, anchor = op.parent_block(), op.next_op
        assert at is not None and anchor is not None
        ok = _in_bounds(op)
        op.detach()
        if op.name == "memref.load":
            zero = _const(0, element)
            then = Region(Block([op, scf.YieldOp(op.results[0])]))
            guarded = scf.IfOp(ok, [element], then, Region(Block([zero, scf.YieldOp(zero)])))
            at.insert_op_before(guarded, anchor)
            op.results[0].replace_uses_with_if(
                guarded.results[0], lambda use, g=guarded: not g.is_ancestor(use.operation)
            )
        else:
            guarded = scf.IfOp(ok, [], Region(Block([op, scf.YieldOp()])))
            at.insert_op_before(guarded, anchor)
        changed = True
    return changed


def clamp_indices(fn: FuncOp, sites: list[Operation]) -> bool:
    """Clamp each index into [0, size - 1]."""
    for op in sites:
        ref, indices = _mem_and_indices(op)
        first = 1 if op.name == "memref.load" else 2
        for axis, index in enumerate(list(indices)):
            size = _dim(ref, axis, op)
            zero = _const(0, IndexType())
            one = _const(1, IndexType())
            last = arith.SubiOp(size, one)
            low = arith.MaxSIOp(index, zero)
            high = arith.MinSIOp(low, last)
            _before(op, zero, one, last, low, high)
            op.operands[first + axis] = high.result
    return bool(sites)


# -- loops and recursion -------------------------------------------------------------------
def positive_step(fn: FuncOp, sites: list[Operation]) -> bool:
    """An `scf.for` whose step is not positive never progresses: use 1 then."""
    loops = [op for op in fn.walk() if isinstance(op, scf.ForOp)]
    for loop in loops:
        step = loop.step
        zero = _const(0, step.type)
        one = _const(1, step.type)
        pos = arith.CmpiOp(step, zero, "sgt")
        safe = arith.SelectOp(pos, step, one)
        _before(loop, zero, one, pos, safe)
        loop.operands[2] = safe.result
    return bool(loops)


def bound_while(fn: FuncOp, sites: list[Operation]) -> bool:
    """Give each `scf.while` an iteration counter and leave after LOOP_BOUND iterations."""
    loops = [op for op in fn.walk() if isinstance(op, scf.WhileOp)]
    i64 = IntegerType(64)
    for loop in loops:
        before, after = loop.before_region.block, loop.after_region.block
        count = before.insert_arg(i64, len(before.args))
        cond = before.last_op
        assert isinstance(cond, scf.ConditionOp)
        limit = _const(LOOP_BOUND, i64)
        below = arith.CmpiOp(count, limit, "slt")
        go = arith.AndIOp(cond.condition, below)
        new_cond = scf.ConditionOp(go, *cond.args, count)
        _before(cond, limit, below, go, new_cond)
        cond.detach()
        cond.erase()
        seen = after.insert_arg(i64, len(after.args))
        yld = after.last_op
        assert isinstance(yld, scf.YieldOp)
        one = _const(1, i64)
        nxt = arith.AddiOp(seen, one)
        _before(yld, one, nxt, scf.YieldOp(*yld.operands, nxt))
        yld.detach()
        yld.erase()
        zero = _const(0, i64)
        # Take both regions before detaching: detaching the first renumbers the second.
        before_region, after_region = loop.before_region, loop.after_region
        new = scf.WhileOp(
            [*loop.arguments, zero],
            [*loop.result_types, i64],
            loop.detach_region(before_region),
            loop.detach_region(after_region),
        )
        _before(loop, zero, new)
        for old, repl in zip(loop.results, new.results, strict=False):
            old.replace_all_uses_with(repl)
        loop.detach()
        loop.erase()
    return bool(loops)


def bound_cf_loops(fn: FuncOp, sites: list[Operation]) -> bool:
    """Give each cf loop header an iteration counter (0 on entry, +1 on each back-edge) and
    return zeros once it reaches LOOP_BOUND."""
    from neurojit.llm_pass.validate import dominators

    region = fn.body
    results = fn.function_type.outputs.data
    if not all(_is_scalar(t) for t in results):
        return False
    doms = dominators(region)
    headers: list[Block] = []
    edges: list[tuple[Operation, Block]] = []  # every branch, with the block it ends
    for block in region.blocks:
        term = block.last_op
        if term is None or not term.successors:
            continue
        edges.append((term, block))
        for succ in term.successors:
            if succ in doms.get(block, set()) and succ not in headers:
                headers.append(succ)  # succ dominates its predecessor: a back-edge
    if not headers:
        return False
    i64 = IntegerType(64)
    counters = {h: h.insert_arg(i64, len(h.args)) for h in headers}

    def extra(term: Operation, source: Block, dest: Block) -> list[SSAValue]:
        if dest not in counters:
            return []
        if dest in doms.get(source, set()):
            one = _const(1, i64)
            nxt = arith.AddiOp(counters[dest], one)
            _before(term, one, nxt)
            return [nxt.result]
        zero = _const(0, i64)
        _before(term, zero)
        return [zero.result]

    for term, source in edges:
        if not any(s in counters for s in term.successors):
            continue
        if isinstance(term, cf.BranchOp):
            new: Operation = cf.BranchOp(
                term.successor, *term.arguments, *extra(term, source, term.successor)
            )
        elif isinstance(term, cf.ConditionalBranchOp):
            new = cf.ConditionalBranchOp(
                term.cond,
                term.then_block,
                [*term.then_arguments, *extra(term, source, term.then_block)],
                term.else_block,
                [*term.else_arguments, *extra(term, source, term.else_block)],
            )
        else:
            return False  # a switch into a loop header: not handled
        _before(term, new)
        term.detach()
        term.erase()
    for header in headers:
        body = Block()
        region.insert_block_after(body, header)
        for op in list(header.ops):
            op.detach()
            body.add_op(op)
        bail = Block()
        outs = [_const(0, t) for t in results]
        bail.add_ops([*outs, func.ReturnOp(*outs)])
        region.add_block(bail)
        limit = _const(LOOP_BOUND, i64)
        stop = arith.CmpiOp(counters[header], limit, "sge")
        header.add_ops([limit, stop, cf.ConditionalBranchOp(stop, bail, [], body, [])])
    return True


def _base_case(arg_index: int, pred: str, bound: int, value: str) -> Template:
    def template(fn: FuncOp, sites: list[Operation]) -> bool:
        name = fn.sym_name.data
        if not any(
            isinstance(op, func.CallOp) and op.callee.root_reference.data == name
            for op in fn.walk()
        ):
            return False
        entry = fn.body.blocks[0]
        arg = entry.args[arg_index]
        results = fn.function_type.outputs.data
        if not isinstance(arg.type, IntegerType | IndexType):
            return False
        if not all(_is_scalar(t) for t in results):
            return False
        if value == "arg" and any(t != arg.type for t in results):
            return False
        new_entry = Block(arg_types=[a.type for a in entry.args])
        base = Block()
        k = _const(bound, arg.type)
        stop = arith.CmpiOp(new_entry.args[arg_index], k, pred)
        branch = cf.ConditionalBranchOp(stop, base, [], entry, list(new_entry.args))
        new_entry.add_ops([k, stop, branch])
        outs: list[SSAValue] = []
        for typ in results:
            if value == "arg":
                outs.append(new_entry.args[arg_index])
            else:
                c = _const(0 if value == "zero" else 1, typ)
                base.add_op(c)
                outs.append(c.result)
        base.add_op(func.ReturnOp(*outs))
        fn.body.insert_block_before(new_entry, entry)
        fn.body.insert_block_after(base, new_entry)
        return True

    template.__doc__ = f"Base case: return {value} when argument #{arg_index} {pred} {bound}."
    return template


# -- traps and verifier errors -------------------------------------------------------------
def drop_asserts(fn: FuncOp, sites: list[Operation]) -> bool:
    """A `cf.assert` that fails traps: drop it."""
    asserts = [op for op in fn.walk() if op.name == "cf.assert"]
    for op in asserts:
        op.detach()
        op.erase()
    return bool(asserts)


def drop_dealloc(fn: FuncOp, sites: list[Operation]) -> bool:
    """A `memref.dealloc` of memory the call does not own (a double free, a free of an
    argument or global): drop it; at worst the buffer leaks."""
    for op in sites:
        op.detach()
        op.erase()
    return bool(sites)


def _cast_operands(op: Operation, wanted: Sequence[Attribute], first: int = 0) -> bool:
    changed = False
    for i, want in enumerate(wanted):
        if first + i >= len(op.operands):
            break
        value = op.operands[first + i]
        if value.type == want:
            continue
        cast = _cast(value, want)
        if cast is None:
            continue
        _before(op, cast)
        op.operands[first + i] = cast.results[0]
        changed = True
    return changed


def insert_casts(fn: FuncOp, sites: list[Operation]) -> bool:
    """Cast what a return, a yield or a call gets to the type it must have."""
    module = fn.parent_op()
    callees = (
        {f.sym_name.data: f for f in module.ops if isinstance(f, FuncOp)}
        if isinstance(module, ModuleOp)
        else {}
    )
    changed = False
    for op in list(fn.walk()):
        if isinstance(op, func.ReturnOp) and op.parent_op() is fn:
            changed |= _cast_operands(op, fn.function_type.outputs.data)
        elif isinstance(op, scf.YieldOp) and isinstance(op.parent_op(), scf.IfOp | scf.ForOp):
            changed |= _cast_operands(op, op.parent_op().result_types)  # type: ignore[union-attr]
        elif isinstance(op, func.CallOp):
            callee = callees.get(op.callee.root_reference.data)
            if callee is not None:
                changed |= _cast_operands(op, callee.function_type.inputs.data)
        elif op.name in SAME_TYPE_BINARY and len(op.results) == 1:
            # Operands and result share one type: widen or narrow each to the result's.
            changed |= _cast_operands(op, [op.results[0].type] * len(op.operands))
    return changed


def add_missing_returns(fn: FuncOp, sites: list[Operation]) -> bool:
    """A block of the function body that ends without a terminator returns the values it
    computed last, one per result type (the obvious intent of `%s = ...` then nothing)."""
    wanted = list(fn.function_type.outputs.data)
    changed = False
    for block in fn.body.blocks:
        last = block.last_op
        if last is not None and last.has_trait(IsTerminator):
            continue
        latest: dict[Attribute, SSAValue] = {}
        for value in [*block.args, *(r for op in block.ops for r in op.results)]:
            latest[value.type] = value  # later definitions win
        if any(t not in latest for t in wanted):
            continue
        block.add_op(func.ReturnOp(*(latest[t] for t in wanted)))
        changed = True
    return changed


def reorder_definitions(fn: FuncOp, sites: list[Operation]) -> bool:
    """A value used before the op that defines it, in the same block: move every op after the
    definitions it needs, keeping the written order otherwise (a stable topological sort)."""
    changed = False
    for op in list(fn.walk()):
        for region in op.regions:
            for block in region.blocks:
                changed |= _sort_block(block)
    return changed


def _sort_block(block: Block) -> bool:
    ops = list(block.ops)
    if len(ops) < 3:
        return False
    terminator, body = ops[-1], ops[:-1]
    top = set(body)

    def needs(op: Operation) -> set[Operation]:
        # Uses inside the op's regions count too: they need the value defined before the op.
        return {
            v.op
            for inner in op.walk()
            for v in inner.operands
            if isinstance(v, OpResult) and v.op in top and v.op is not op
        }

    deps = {op: needs(op) for op in body}
    placed: set[Operation] = set()
    order: list[Operation] = []
    remaining = list(body)
    while remaining:
        ready = next((op for op in remaining if deps[op] <= placed), None)
        if ready is None:
            return False  # a cycle: no order fixes it
        remaining.remove(ready)
        placed.add(ready)
        order.append(ready)
    if order == body:
        return False
    for op in order:
        op.detach()
    for op in order:
        block.insert_op_before(op, terminator)
    return True


def cast_call_results(fn: FuncOp, sites: list[Operation]) -> bool:
    """A call whose result types differ from the callee's declaration: call with the
    declared types, then cast each result to the type its users were written for."""
    module = fn.parent_op()
    if not isinstance(module, ModuleOp):
        return False
    callees = {f.sym_name.data: f for f in module.ops if isinstance(f, FuncOp)}
    changed = False
    for op in list(fn.walk()):
        if not isinstance(op, func.CallOp):
            continue
        callee = callees.get(op.callee.root_reference.data)
        if callee is None:
            continue
        declared = list(callee.function_type.outputs.data)
        written = [r.type for r in op.results]
        if declared == written or len(declared) != len(written):
            continue
        call = func.CallOp(op.callee, list(op.arguments), declared)
        _before(op, call)
        for old, new in zip(op.results, call.results, strict=True):
            if old.type == new.type:
                old.replace_all_uses_with(new)
                continue
            cast = _cast(new, old.type)
            if cast is None:
                return False
            _before(op, cast)
            old.replace_all_uses_with(cast.results[0])
        op.detach()
        op.erase()
        changed = True
    return changed


# Ops that may run earlier, on a path where they did not run before: no memory effects, no
# regions, no traps (divisions can trap: they stay where they are).
_HOISTABLE = ("arith.", "math.")
_NOT_HOISTABLE = DIVISIONS


def _hoistable(op: Operation) -> bool:
    return op.name.startswith(_HOISTABLE) and op.name not in _NOT_HOISTABLE and not op.regions


def _ancestor_in(op: Operation, region: Region) -> Operation | None:
    """`op` or the ancestor of it whose parent region is `region`."""
    cur: Operation | None = op
    while cur is not None:
        block = cur.parent_block()
        if block is not None and block.parent is region:
            return cur
        cur = cur.parent_op()
    return None


def _insertion_point(definer: Operation, user: Operation) -> Operation | None:
    """The op before which `definer` dominates `user`: the end of the nearest block that
    dominates both (or just before the user's ancestor, when that block is the user's)."""
    from neurojit.dominance import dominators

    region = definer.parent_region()
    if region is None:
        return None
    anchor = _ancestor_in(user, region)
    if anchor is None:
        return None  # the use is outside the defining region: not a move within it
    def_block, use_block = definer.parent_block(), anchor.parent_block()
    if def_block is None or use_block is None or def_block is use_block:
        return None  # same block: an order problem (`reorder-definitions`)
    doms = dominators(region)
    common = doms.get(def_block, set()) & doms.get(use_block, set())
    if not common:
        return None
    # The nearest common dominator: the one dominated by all the others.
    nearest = max(common, key=lambda b: len(doms.get(b, ())))
    if nearest is use_block:
        return anchor
    return nearest.last_op


def _fix_dominance(fn: FuncOp, fix: Callable[[Operation], bool]) -> bool:
    """Hand `fix` the op that uses a value its definition does not dominate, until dominance
    holds (at most 8 times) or `fix` says it cannot (False). Whether anything was fixed."""
    from neurojit.dominance import DominanceError, check_dominance

    changed = False
    for _ in range(8):
        try:
            check_dominance(fn)
            return changed
        except DominanceError as err:
            if not fix(err.op):
                return changed
        changed = True
    return changed


def hoist_definitions(fn: FuncOp, sites: list[Operation]) -> bool:
    """A value defined in one branch and used at the join (its definition does not dominate
    the use): move the definition, with what it needs from its block, to the end of the
    nearest block that dominates both, so every path computes it."""
    return _fix_dominance(fn, _hoist_one)


def _hoist_one(user: Operation) -> bool:
    """Hoist the definition of one of `user`'s operands; False when none can move."""
    for value in user.operands:
        if not isinstance(value, OpResult) or not _hoistable(value.op):
            continue
        point = _insertion_point(value.op, user)
        if point is None:
            continue
        # What the definition needs from its own block moves along, in order.
        block = value.op.parent_block()
        assert block is not None
        needed: list[Operation] = []
        stack = [value.op]
        while stack:
            op = stack.pop()
            if op in needed:
                continue
            needed.append(op)
            for operand in op.operands:
                if isinstance(operand, OpResult) and operand.op.parent_block() is block:
                    if not _hoistable(operand.op):
                        return False
                    stack.append(operand.op)
                elif operand.owner is block:
                    return False  # needs the block's own argument: cannot move
        for op in [o for o in block.ops if o in needed]:
            op.detach()
            _before(point, op)
        return True
    return False


def _with_extra_arg(term: Operation, dest: Block, value: SSAValue) -> Operation | None:
    """`term` rebuilt to pass `value` as one more argument to `dest`; None if it can't be."""
    if isinstance(term, cf.BranchOp):
        return cf.BranchOp(term.successor, *term.arguments, value)
    if isinstance(term, cf.ConditionalBranchOp):
        then_args, else_args = list(term.then_arguments), list(term.else_arguments)
        if term.then_block is dest:
            then_args.append(value)
        if term.else_block is dest:
            else_args.append(value)
        return cf.ConditionalBranchOp(
            term.cond, term.then_block, then_args, term.else_block, else_args
        )
    return None


def _reached_only_via(
    use: Any, region: Region, doms: dict[Block, set[Block]], join: Block, def_block: Block
) -> bool:
    """Is `use` in a block that `join` dominates and the defining block does not?"""
    at = _ancestor_in(use.operation, region)
    block = at.parent_block() if at is not None else None
    seen = doms.get(block, set()) if block is not None else set()
    return join in seen and def_block not in seen


def thread_block_args(fn: FuncOp, sites: list[Operation]) -> bool:
    """A value defined in one branch and used at the join, when its definition cannot move
    (a division could trap on the other path): the join block takes it as a new argument;
    predecessors the definition dominates pass it, the others pass zero."""
    return _fix_dominance(fn, _thread_one)


def _thread_one(user: Operation) -> bool:
    """Pass one of `user`'s operands into its block as an argument; False when it can't."""
    from neurojit.dominance import dominators

    value = next(
        (v for v in user.operands if isinstance(v, OpResult) and v.op.parent_region() is not None),
        None,
    )
    if value is None or not _is_scalar(value.type):
        return False
    def_block = value.op.parent_block()
    region = value.op.parent_region()
    assert def_block is not None and region is not None
    anchor = _ancestor_in(user, region)
    join = anchor.parent_block() if anchor is not None else None
    doms = dominators(region)
    if join is None or join is def_block or def_block in doms.get(join, set()):
        return False
    preds = [b for b in region.blocks if b.last_op and join in b.last_op.successors]
    if not preds or any(
        not isinstance(b.last_op, cf.BranchOp | cf.ConditionalBranchOp) for b in preds
    ):
        return False
    arg = join.insert_arg(value.type, len(join.args))
    for pred in preds:
        term = pred.last_op
        assert term is not None
        passed: SSAValue = value
        if def_block not in doms.get(pred, set()):
            zero = _const(0, value.type)
            _before(term, zero)
            passed = zero.result
        new = _with_extra_arg(term, join, passed)
        if new is None:
            return False
        _before(term, new)
        term.detach()
        term.erase()

    # Uses the definition does not dominate, in blocks the join dominates, read the arg.
    value.replace_uses_with_if(
        arg,
        lambda use, r=region, d=doms, j=join, b=def_block: _reached_only_via(use, r, d, j, b),
    )
    return True


# -- the proposer --------------------------------------------------------------------------
def _multiplies_recursion(fn: FuncOp) -> bool:
    """Does a recursive call's result feed a multiplication (a product, like factorial)? Then
    the base case's neutral value is 1, not 0; without recorded calls to tell them apart,
    trying the neutral one first avoids a repair that zeroes every result."""
    name = fn.sym_name.data
    for op in fn.walk():
        if isinstance(op, func.CallOp) and op.callee.root_reference.data == name:
            for result in op.results:
                if any(use.operation.name in ("arith.muli", "arith.mulf") for use in result.uses):
                    return True
    return False


def _templates(kind: str, fn: FuncOp) -> list[tuple[str, Template, frozenset[str]]]:
    """(label, template, the op names it targets) for a fault kind, in the order to try."""
    if kind in ("division-by-zero", "signed-overflow"):
        return [
            ("zero-result", zero_result, DIVISIONS),
            ("divide-by-one", divide_by_one, DIVISIONS),
        ]
    if kind in ("out-of-bounds", "segfault", "bus-error"):
        return [("guard-access", guard_access, ACCESSES), ("clamp-index", clamp_indices, ACCESSES)]
    if kind == "timeout":
        return [
            ("positive-step", positive_step, frozenset()),
            ("bound-while", bound_while, frozenset()),
            ("bound-cf-loop", bound_cf_loops, frozenset()),
        ]
    if kind == "stack-overflow":
        out: list[tuple[str, Template, frozenset[str]]] = []
        n_args = len(fn.function_type.inputs.data)
        values = ("one", "zero", "arg") if _multiplies_recursion(fn) else ("zero", "one", "arg")
        for index in range(min(n_args, 2)):
            for pred, bound in (("sle", 0), ("slt", 1), ("sle", 1)):
                for value in values:
                    label = f"base-case(arg{index} {pred} {bound} -> {value})"
                    out.append((label, _base_case(index, pred, bound, value), frozenset()))
        return out
    if kind == "trap":
        return [("drop-assert", drop_asserts, frozenset())]
    if kind == "invalid-free":
        return [("drop-dealloc", drop_dealloc, frozenset({"memref.dealloc"}))]
    if kind == "verifier-error":
        return [
            ("insert-casts", insert_casts, frozenset()),
            ("cast-call-results", cast_call_results, frozenset()),
            ("reorder-definitions", reorder_definitions, frozenset()),
            ("hoist-definitions", hoist_definitions, frozenset()),
            ("thread-block-args", thread_block_args, frozenset()),
            ("add-missing-returns", add_missing_returns, frozenset()),
        ]
    return []


def _site_sets(fn: FuncOp, fault: FaultReport, targets: frozenset[str]) -> list[list[int]]:
    """Walk-order indices of the op sets to instantiate at: the faulting op alone first, then
    every op of the template's kind (the location may be missing or stale)."""
    ops = list(fn.walk())
    every = [i for i, op in enumerate(ops) if op.name in targets]
    sets: list[list[int]] = []
    site = op_at(fn, fault.location)
    if site is not None and site.name in targets:
        sets.append([ops.index(site)])
    if every and every not in sets:
        sets.append(every)
    return sets if targets else [[]]


def propose(
    fn: FuncOp, fault: FaultReport, module: ModuleOp | None = None
) -> Iterator[tuple[str, str]]:
    """Yield (label, candidate function text) for a fault, most local repair first.
    `fn` must sit in its module (casts look callees up there)."""
    seen: set[str] = set()
    for label, template, targets in _templates(fault.kind, fn):
        for indices in _site_sets(fn, fault, targets):
            # Clone inside the module so symbol lookups work, then take it out again.
            clone = fn.clone()
            parent = fn.parent_block()
            if parent is not None:
                Rewriter.insert_op(clone, InsertPoint.after(fn))
            try:
                ops = list(clone.walk())
                if not template(clone, [ops[i] for i in indices]):
                    continue
                strip_run_attrs(clone)
                strip_checks(clone)
                text = print_op(clone)
            except Exception:  # noqa: BLE001 - a template that does not fit just yields nothing
                continue
            finally:
                if clone.parent is not None:
                    clone.detach()
            if text not in seen:
                seen.add(text)
                yield label, text


def describe(kind: str) -> list[str]:
    """One-line descriptions of the templates for a kind: the `hints=rules` prompt text."""
    docs = {
        "division-by-zero": "guard the divisor: when it is 0 (or the division is INT_MIN / -1) "
        "divide by 1 instead, or return 0 for that case",
        "signed-overflow": "guard INT_MIN / -1 and zero divisors with arith.select",
        "out-of-bounds": "check each index against its dimension (memref.dim) before the access, "
        "or clamp it into [0, size - 1]",
        "timeout": "make the loop progress: a positive step, or an iteration bound",
        "stack-overflow": "add a base case that returns before the recursive call",
        "trap": "remove the failing cf.assert",
        "invalid-free": "remove the memref.dealloc of memory the function did not allocate "
        "or already freed",
        "verifier-error": "insert the arith cast the types ask for (also on a call's "
        "results), define each value before its first use and in a block that dominates it, "
        "or return the last computed value from a block without a terminator",
    }
    return [docs[kind]] if kind in docs else []
