"""Dominance: every use of an SSA value is dominated by its definition.

xDSL 0.74's `verify()` does not check it (`%q = arith.divsi %a, %r` with `%r` defined later
verifies), so both the IR layer's verifier and the repair validator run this check.
"""

from __future__ import annotations

from xdsl.dialects.func import FuncOp
from xdsl.ir import Block, BlockArgument, Operation, OpResult, Region, SSAValue


class DominanceError(Exception):
    """A use that its definition does not dominate; `op` is the user."""

    def __init__(self, op: Operation, message: str) -> None:
        super().__init__(message)
        self.op = op
        self.message = message


def dominators(region: Region) -> dict[Block, set[Block]]:
    """Dominator sets of the blocks reachable from the region's entry (iterative dataflow)."""
    blocks = list(region.blocks)
    if not blocks:
        return {}
    succs: dict[Block, list[Block]] = {}
    for block in blocks:
        last = block.last_op
        succs[block] = list(last.successors) if last is not None else []
    reachable: list[Block] = []
    stack = [blocks[0]]
    seen: set[Block] = set()
    while stack:
        block = stack.pop()
        if block in seen:
            continue
        seen.add(block)
        reachable.append(block)
        stack.extend(succs.get(block, []))
    preds: dict[Block, list[Block]] = {b: [] for b in reachable}
    for block in reachable:
        for succ in succs[block]:
            if succ in preds:
                preds[succ].append(block)
    everything = set(reachable)
    dom = {b: set(everything) for b in reachable}
    dom[blocks[0]] = {blocks[0]}
    changed = True
    while changed:
        changed = False
        for block in reachable[1:]:
            incoming = [dom[p] for p in preds[block]]
            new = set.intersection(*incoming) if incoming else set()
            new = new | {block}
            if new != dom[block]:
                dom[block] = new
                changed = True
    return dom


def _describe(value: SSAValue) -> str:
    return f"%{value.name_hint}" if value.name_hint else "a value"


def check_dominance(func: FuncOp) -> None:
    """Every operand must be defined by something that dominates its use."""
    dom_cache: dict[Region, dict[Block, set[Block]]] = {}
    # Op positions per block, computed once: Block.get_operation_index is a linear scan, and
    # the IR verifier runs this on whole modules.
    order: dict[Block, dict[Operation, int]] = {}

    def index(block: Block, op: Operation) -> int:
        if block not in order:
            order[block] = {o: i for i, o in enumerate(block.ops)}
        return order[block][op]

    for user in func.walk():
        for value in user.operands:
            if isinstance(value, OpResult):
                def_block = value.op.parent
            elif isinstance(value, BlockArgument):
                def_block = value.block
            else:
                continue
            def_region = def_block.parent if def_block is not None else None
            if def_region is None:
                raise DominanceError(
                    user,
                    f"'{user.name}' uses {_describe(value)} that is not in the function",
                )
            # The ancestor of the user that sits directly in the defining region.
            anc: Operation | None = user
            while (
                anc is not None and anc.parent is not None and anc.parent.parent is not def_region
            ):
                parent_region = anc.parent.parent
                anc = parent_region.parent if parent_region is not None else None
            if anc is None or anc.parent is None:
                raise DominanceError(
                    user,
                    f"'{user.name}' uses {_describe(value)} outside the region that defines it",
                )
            use_block = anc.parent
            if isinstance(value, OpResult):
                if anc is value.op:
                    raise DominanceError(user, f"{_describe(value)} is used in its own definition")
                if use_block is def_block:
                    if index(def_block, value.op) > index(def_block, anc):
                        raise DominanceError(
                            user,
                            f"'{user.name}' uses {_describe(value)} before it is defined",
                        )
                    continue
            elif use_block is def_block:
                continue
            if def_region not in dom_cache:
                dom_cache[def_region] = dominators(def_region)
            doms = dom_cache[def_region].get(use_block)
            # Unreachable blocks are not checked (MLIR does the same).
            if doms is not None and def_block not in doms:
                raise DominanceError(
                    user,
                    f"'{user.name}' uses {_describe(value)} whose definition does not dominate it",
                )
