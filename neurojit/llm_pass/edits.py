"""How big a repair is, and whether it kept what it could.

With no behaviour to compare (a verifier error before anything ran, a module repaired by
`neurojit-opt -p llm-repair` with no recorded calls), a candidate that verifies may still
compute something else: `x * gain` "repaired" into `x * x + 5.0` verifies. Two rules narrow
it down:

- keep what can be kept: every op not on the error's path (the failing op, what feeds it and
  what it feeds) must still be there, in the same order (`check_kept`);
- among candidates that validate, prefer the smallest edit: computations added, removed or
  changed, and computations left unused (`edit_size`).

Ops are compared by what they compute from what (`_key`: the op, a constant's value, a
callee, a predicate, and the same of its operands a few levels deep, looking through casts),
not by position: moving an op or renaming values costs nothing, a cast costs one, an op
reading other values is a removal and an addition. On the model's stored answers to the
suite's verifier errors (`tools/bench/repair/selection.py`: 12 answers, each differing
from the rules'), counting ops in sequence chose the model's answer 10 times, 8 of them
wrong (`addi %b, %b` for `addi %a, %b` was "one change"); counting computations chooses the
rules' answer all 12 times, each giving the intended outputs. For "kept", an op is compared
with its types too.
"""

from __future__ import annotations

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


# Removing a computation the author wrote (`x * gain` "repaired" into `x`) weighs more than
# adding a cast or retyping an op, which keep it; so does leaving a computation unused.
REMOVAL_WEIGHT = 2
DEAD_WEIGHT = 2

# Conversions: a use that reads a value through one still reads that value.
CASTS = frozenset(
    f"arith.{name}"
    for name in (
        "extsi extui trunci sitofp uitofp fptosi fptoui extf truncf index_cast index_castui bitcast"
    ).split()
)
_KEY_DEPTH = 4


def _source(value: SSAValue, depth: int) -> str:
    """What a value is, by what computes it: an argument, a constant, or an op over sources
    (to `depth`), looking through casts and ignoring types and names."""
    while isinstance(value, OpResult) and value.op.name in CASTS and value.op.operands:
        value = value.op.operands[0]
    if isinstance(value, BlockArgument):
        owner = value.block.parent.parent if value.block.parent is not None else None
        return f"arg{value.index}" if isinstance(owner, FuncOp) else f"blockarg{value.index}"
    if isinstance(value, OpResult):
        return _key(value.op, depth - 1) if depth > 0 else value.op.name
    return "?"


def _key(op: Operation, depth: int = _KEY_DEPTH) -> str:
    """An op by what it computes from what (types and value names left out)."""
    extra = ""
    if op.name == "arith.constant":
        value = op.properties.get("value")
        extra = f"={getattr(value, 'value', value)}"
    elif op.name == "func.call":
        extra = f"@{op.properties.get('callee')}"
    elif op.name in ("arith.cmpi", "arith.cmpf"):
        extra = f"/{op.properties.get('predicate')}"
    return f"{op.name}{extra}(" + ",".join(_source(v, depth) for v in op.operands) + ")"


def _dead(op: Operation) -> bool:
    """A pure computation whose results nothing reads."""
    return (
        op.name.startswith(("arith.", "math."))
        and bool(op.results)
        and not op.regions
        and all(not r.uses for r in op.results)
    )


def edit_size(original: FuncOp, candidate: FuncOp) -> int:
    """How far `candidate` is from `original`, in what the ops compute: each original
    computation no longer there costs REMOVAL_WEIGHT, each new one (casts included) 1, one
    kept but retyped 1, and each computation the candidate leaves unused DEAD_WEIGHT. Moving
    an op, or renaming values, costs nothing."""
    remaining: dict[str, list[str]] = {}
    for op in _ops(original):
        remaining.setdefault(_key(op), []).append(_signature(op))
    size = 0
    for op in _ops(candidate):
        types = remaining.get(_key(op))
        if types:
            size += 0 if _signature(op) in types else 1
            types.remove(_signature(op) if _signature(op) in types else types[0])
        else:
            size += 1
        if _dead(op):
            size += DEAD_WEIGHT
    for key, types in remaining.items():
        # A cast the candidate dropped changes a type, not a computation: it costs one.
        weight = 1 if key.split("(", 1)[0] in CASTS else REMOVAL_WEIGHT
        size += weight * len(types)
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
