"""How big a repair is, and whether it kept what it could.

With no behaviour to compare (a verifier error before anything ran, a module repaired by
`neurojit-opt -p llm-repair` with no recorded calls), a candidate that verifies may still
compute something else: `x * gain` "repaired" into `x * x + 5.0` verifies. Two rules narrow
it down:

- keep what can be kept: every op not on the error's path (the failing op, what feeds it and
  what it feeds) must still be there, in the same order (`check_kept`);
- among candidates that validate, prefer the smallest edit: ops added, removed or changed,
  counted over the function's ops in walk order (`edit_size`).

For the edit size an op is compared by its name and its operand and result types, so
renaming values or re-spelling the same op costs nothing, and changing what an op computes
costs one. For "kept", an op is compared with what feeds it too (a few levels deep), so an
op is not taken for another of the same type.
"""

from __future__ import annotations

import difflib

from xdsl.dialects.func import FuncOp
from xdsl.ir import BlockArgument, Operation, OpResult, SSAValue

from neurojit.llm_pass.faults import op_at


def _signature(op: Operation) -> str:
    ins = ",".join(str(v.type) for v in op.operands)
    outs = ",".join(str(r.type) for r in op.results)
    return f"{op.name}({ins})->({outs})"


def _value(value: SSAValue, depth: int) -> str:
    if isinstance(value, BlockArgument):
        block = value.block
        entry = block.parent is not None and block.parent.parent is not None
        owner = block.parent.parent if entry and block.parent is not None else None
        if isinstance(owner, FuncOp):
            return f"arg{value.index}"
        return f"blockarg{value.index}:{value.type}"
    if isinstance(value, OpResult):
        return _tree(value.op, depth - 1) if depth > 0 else f"{value.op.name}:{value.type}"
    return str(value.type)


def _tree(op: Operation, depth: int = 4) -> str:
    """What an op computes: its signature, a constant's value, and (to `depth`) the same of
    what its operands come from. Two ops with one signature but different inputs differ."""
    value = op.properties.get("value") if op.name == "arith.constant" else None
    head = _signature(op) + (f"={value}" if value is not None else "")
    args = ",".join(_value(v, depth) for v in op.operands)
    return f"{head}[{args}]"


def _ops(func: FuncOp) -> list[Operation]:
    return [op for op in func.walk() if op is not func and op.name != "neurojit.check"]


# Removing an op throws away a computation the author wrote (`x * gain` "repaired" into
# `x`); adding a cast or retyping an op keeps it. A removal counts twice, so dropping the
# failing op never beats the cast that makes it verify.
REMOVAL_WEIGHT = 2


def edit_size(original: FuncOp, candidate: FuncOp) -> int:
    """Ops added, changed (same op, other types) or removed (weighted REMOVAL_WEIGHT)."""
    a = [_signature(op) for op in _ops(original)]
    b = [_signature(op) for op in _ops(candidate)]
    size = 0
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        # Within a replaced stretch, an op of the same name retyped is one change; an op of
        # another kind in its place is a removal and an addition.
        old = [sig.split("(", 1)[0] for sig in a[i1:i2]]
        new = [sig.split("(", 1)[0] for sig in b[j1:j2]]
        same = sum(n for _, _, n in difflib.SequenceMatcher(a=old, b=new).get_matching_blocks())
        size += same + (len(new) - same) + REMOVAL_WEIGHT * (len(old) - same)
    return size


def error_path(func: FuncOp, loc: str | None) -> set[Operation] | None:
    """The failing op, every op feeding it and every op it feeds (through results and the
    ops that enclose a use); None when the location names no op (then every op is on it)."""
    site = op_at(func, loc)
    if site is None:
        return None
    path: set[Operation] = set()
    # Backward: what the failing op reads, transitively.
    stack: list[Operation] = [site]
    while stack:
        op = stack.pop()
        if op in path:
            continue
        path.add(op)
        for inner in op.walk():
            for value in inner.operands:
                if isinstance(value, OpResult):
                    stack.append(value.op)
    # Forward: what reads its results, transitively, with the ops around each use.
    forward: list[Operation] = [site]
    seen: set[Operation] = set()
    while forward:
        op = forward.pop()
        if op in seen:
            continue
        seen.add(op)
        path.add(op)
        for result in op.results:
            for use in result.uses:
                user: Operation | None = use.operation
                while user is not None and user is not func:
                    forward.append(user)
                    user = user.parent_op()
    # The ops enclosing the failing op stay on the path too: a repair may restructure them.
    parent = site.parent_op()
    while parent is not None and parent is not func:
        path.add(parent)
        parent = parent.parent_op()
    return path


def check_kept(original: FuncOp, candidate: FuncOp, loc: str | None) -> str | None:
    """Why `candidate` does not keep an op off the error's path (None when it keeps all)."""
    path = error_path(original, loc)
    if path is None:
        return None
    kept = [op for op in _ops(original) if op not in path]
    want = [_tree(op) for op in kept]
    have = [_tree(op) for op in _ops(candidate)]
    i = 0
    for signature in have:
        if i < len(want) and signature == want[i]:
            i += 1
    if i == len(want):
        return None
    missing = kept[i]
    return (
        f"drops or reorders '{missing.name}', which is not on the error's path "
        "(keep every other op, in order)"
    )
