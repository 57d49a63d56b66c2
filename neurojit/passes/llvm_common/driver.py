"""How a `*-to-llvm` pass runs its patterns: one walk, and a state object they share.

Design, chosen for speed: a conversion pass walks the IR once. Each op is replaced by LLVM ops
whose results already carry the LLVM type (index -> i64, memref -> descriptor struct), and uses
are rewired directly. Inside `neurojit-lower-to-llvm` no `builtin.unrealized_conversion_cast`
is materialised at all: an LLVM value may briefly feed an op a later pass converts (an i64 used
as a `memref.load` index), and `convert-func-to-llvm` retypes block arguments, so the
pipeline's output is consistently typed. A pass run on its own (`standalone`, the default for
`neurojit-opt -p <pass>`) records in its `LoweringState` which uses saw a type change and
afterwards seals those boundaries with casts, so its output verifies like upstream's partial
conversions.

Patterns are ordinary xDSL `RewritePattern`s: `op_pattern` is xDSL's `op_type_rewrite_pattern`
that also records the op types on the method, which `apply_once` dispatches on, and the same
patterns run under xDSL's own `PatternRewriteWalker` (tests/unit/passes/test_llvm_common.py).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from types import UnionType
from typing import Any, ClassVar, Union, get_args, get_origin

from xdsl.context import Context
from xdsl.dialects import builtin, llvm
from xdsl.dialects.builtin import IndexType, MemRefType, ModuleOp
from xdsl.ir import Attribute, Block, Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import PatternRewriter, RewritePattern, op_type_rewrite_pattern
from xdsl.rewriter import InsertPoint, Rewriter

from neurojit.errors import NeuroJITError
from neurojit.passes.llvm_common.build import declare_functions
from neurojit.passes.llvm_common.errors import op_location
from neurojit.passes.llvm_common.types import convert_type

# (user op, operand index, the type that user saw before the pass retyped its operand)
Retype = tuple[Operation, int, Attribute]


@dataclass
class LoweringState:
    """What the patterns of one conversion run share; one per run, never global.

    - `standalone`: record retyped uses, and seal them with casts in `finish`;
    - `memref_types`: the memref type of each value already lowered to a descriptor (lowering
      retypes a memref value, so a later consumer reads its source type here);
    - `declarations`: external functions (malloc, libm, ...) the lowered code calls.
    """

    standalone: bool = False
    retyped: list[Retype] = field(default_factory=list)
    memref_types: dict[SSAValue, MemRefType] = field(default_factory=dict)
    declarations: dict[str, llvm.LLVMFunctionType] = field(default_factory=dict)

    def record_retype(self, value: SSAValue, old_type: Attribute) -> None:
        """Remember that the current users of `value` expect `old_type` (call before rewiring)."""
        if self.standalone:
            self.retyped.extend((use.operation, use.index, old_type) for use in value.uses)

    def retype(self, value: SSAValue, new_type: Attribute) -> SSAValue:
        """`value` with `new_type`, every use moved to it (xDSL's own value replacement)."""
        if value.type == new_type:
            return value
        self.record_retype(value, value.type)
        return Rewriter.replace_value_with_new_type(value, new_type)

    def replace_results(self, op: Operation, new_values: Sequence[SSAValue]) -> None:
        """Point every use of `op`'s results at `new_values` and erase `op` (no type checks).

        A hand-rolled `replace_all_uses_with`: xDSL's re-validates the carried-over name hint
        with a regex on every call, a visible share of a pass's time; ours copies it as is.
        """
        for old, new in zip(op.results, new_values, strict=True):
            if old.type != new.type:
                self.record_retype(old, old.type)
            if new is old:
                continue
            for use in tuple(old.uses):
                use.operation.operands[use.index] = new
            if new.name_hint is None:
                new._name = old._name  # noqa: SLF001 - validated when it was set
        block = op.parent
        if block is not None:
            block.detach_op(op)
        op.erase(safe_erase=False)

    def finish(self, module: ModuleOp) -> None:
        """Declare the external functions used; seal type boundaries when standalone."""
        declare_functions(module, self.declarations)
        if self.standalone:
            seal_type_boundaries(module, self.retyped)
            self.retyped = []


class LoweringPattern(RewritePattern):
    """A pattern that reads and records through a `LoweringState`.

    Built without one (as a test or xDSL's walker might), it gets a private standalone state.
    """

    def __init__(self, state: LoweringState | None = None) -> None:
        self.state = state if state is not None else LoweringState(standalone=True)

    def replace_with(self, op: Operation, new: Operation, rewriter: PatternRewriter) -> None:
        """Insert `new` before `op` and let its one result stand for `op`'s."""
        rewriter.insert(new)
        self.state.replace_results(op, [new.results[0]])


@dataclass(frozen=True)
class LoweringPass(ModulePass):
    """A `*-to-llvm` pass: its `patterns`, applied in one walk, sharing one `LoweringState`.

    A subclass sets `name` and `patterns`; a `LoweringPattern` is built with the state, any
    other pattern without arguments.
    """

    name = "lowering-pass"
    patterns: ClassVar[tuple[type[RewritePattern], ...]] = ()

    # False inside neurojit-lower-to-llvm: no boundary casts are needed there.
    standalone: bool = True

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        state = LoweringState(self.standalone)
        built = [p(state) if issubclass(p, LoweringPattern) else p() for p in self.patterns]
        apply_once(op, built)
        state.finish(op)


_Method = Callable[[Any, Any, PatternRewriter], None]


def op_pattern(method: _Method) -> _Method:
    """xDSL's `op_type_rewrite_pattern`, plus `method.op_types`: the op classes it matches,
    read from the `op` parameter's annotation, so dispatch needs no closure inspection."""
    wrapped = op_type_rewrite_pattern(method)
    annotation = list(inspect.signature(method, eval_str=True).parameters.values())[-2].annotation
    types = get_args(annotation) if get_origin(annotation) in (Union, UnionType) else (annotation,)
    wrapped.op_types = tuple(types)  # type: ignore[attr-defined]
    return wrapped


class Typed(RewritePattern):
    """Another library's pattern (xDSL's scf lowering) with its op types stated here."""

    def __init__(self, pattern: RewritePattern, *types: type[Operation]) -> None:
        self.pattern = pattern
        self.op_types = types

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter, /) -> None:
        if isinstance(op, self.op_types):
            self.pattern.match_and_rewrite(op, rewriter)


def op_types(pattern: RewritePattern) -> tuple[type[Operation], ...] | None:
    """The op classes a pattern matches (None: it looks at every op)."""
    if isinstance(pattern, Typed):
        return pattern.op_types
    return getattr(type(pattern).match_and_rewrite, "op_types", None)


def apply_once(module: Operation, patterns: Sequence[RewritePattern]) -> None:
    """Apply `patterns` to every op of `module` in a single pre-order walk.

    Unlike xDSL's greedy driver, nothing is revisited: each pattern fully converts its op, and
    ops created by a pattern are already in their final dialect. Dispatch is a dict lookup on
    the op class, so a pass costs O(ops), not O(ops x patterns).
    """
    table: dict[type[Operation], list[RewritePattern]] = {}
    generic: list[RewritePattern] = []
    for p in patterns:
        types = op_types(p)
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
        try:
            for p in resolved[type(op)]:
                p.match_and_rewrite(op, rewriter)
                if op.parent is None:
                    break
        except NeuroJITError:
            raise
        except Exception as err:  # a lowering bug on odd input: still one line, with the op
            raise NeuroJITError(
                f"internal error lowering '{op.name}': {type(err).__name__}: {err}",
                op_location(op),
            ) from err


# --- Sealing a standalone run ----------------------------------------------------------------
# Inside the pipeline, values are retyped and nothing else is needed. A pass run on its own
# (`neurojit-opt -p convert-arith-to-llvm`) must leave verifiable IR, so afterwards the
# boundaries its state recorded are sealed with `builtin.unrealized_conversion_cast`, as
# upstream's partial conversions do.


def _cast_after_def(value: SSAValue, to_type: Attribute) -> SSAValue:
    cast_op = builtin.UnrealizedConversionCastOp.get([value], [to_type])
    owner = value.owner
    if isinstance(owner, Operation):
        assert owner.parent is not None
        owner.parent.insert_op_after(cast_op, owner)
    else:
        first = owner.first_op
        if first is None:
            owner.add_op(cast_op)
        else:
            owner.insert_op_before(cast_op, first)
    return cast_op.results[0]


def _needs_llvm_type(t: Attribute) -> bool:
    return isinstance(t, IndexType | MemRefType)


def _successor_operands(op: Operation) -> list[tuple[Block, Sequence[SSAValue]]]:
    """(destination, values passed to it) for the branch ops of cf and llvm."""
    from xdsl.dialects import cf

    from neurojit.dialect.llvm import SwitchOp as LLVMSwitchOp

    if not op.successors:
        return []
    if isinstance(op, cf.BranchOp | llvm.BrOp):
        return [(op.successor, op.arguments)]
    if isinstance(op, cf.ConditionalBranchOp | llvm.CondBrOp):
        return [(op.then_block, op.then_arguments), (op.else_block, op.else_arguments)]
    if isinstance(op, LLVMSwitchOp):
        return [(op.default_block, op.default_operands)] + [
            (block, operands) for _, block, operands in op.cases()
        ]
    if isinstance(op, cf.SwitchOp):
        out: list[tuple[Block, Sequence[SSAValue]]] = [(op.default_block, op.default_operands)]
        idx = 0
        for block, n in zip(op.case_blocks, op.case_operand_segments.get_values(), strict=True):
            out.append((block, op.case_operands[idx : idx + n]))
            idx += n
        return out
    return []


def seal_type_boundaries(module: ModuleOp, retyped: list[tuple[Operation, int, Attribute]]) -> None:
    """Make a partially converted module type-correct again with conversion casts."""
    # 1. Ops this pass did not convert get back the type they saw before (one cast per value
    #    and type, right after the value's definition).
    back: dict[tuple[SSAValue, Attribute], SSAValue] = {}
    for user, index, old_type in retyped:
        if user.parent is None or user.name.startswith("llvm."):
            continue  # converted (and erased) by the pass, or an llvm op: step 2
        value = user.operands[index]
        if value.type == old_type:
            continue
        key = (value, old_type)
        cast_value = back.get(key)
        if cast_value is None:
            cast_value = back[key] = _cast_after_def(value, old_type)
        user.operands[index] = cast_value
    # 2. LLVM ops reading values that are still index/memref get LLVM-typed ones; and
    #    unconverted branches passing values to blocks whose arguments were retyped match them.
    converted: dict[SSAValue, SSAValue] = {}
    for op in list(module.walk()):
        # Values passed to a block must have its argument types, whatever the branch's dialect.
        passed: set[int] = set()
        edges = _successor_operands(op)
        # Branch operands are the leading ones (condition / flag) then each edge's values.
        index = len(op.operands) - sum(len(values) for _, values in edges)
        for block, values in edges:
            for arg, v in zip(block.args, values, strict=False):
                passed.add(index)
                if arg.type != v.type:
                    fixed = builtin.UnrealizedConversionCastOp.get([v], [arg.type])
                    assert op.parent is not None
                    op.parent.insert_op_before(fixed, op)
                    op.operands[index] = fixed.results[0]
                index += 1
        if not op.name.startswith("llvm."):
            continue
        for i, v in enumerate(op.operands):
            if i not in passed and _needs_llvm_type(v.type):
                new = converted.get(v)
                if new is None:
                    new = converted[v] = _cast_after_def(v, convert_type(v.type, op))
                op.operands[i] = new
