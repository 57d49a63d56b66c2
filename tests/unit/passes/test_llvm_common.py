"""The lowering patterns are ordinary xDSL patterns: under xDSL's own `PatternRewriteWalker`
each pattern set gives IR that verifies, and the same IR as our one-walk `apply_once`.

Each conversion runs standalone (as `neurojit-opt -p <pass>` does) on every program of the
end-to-end lowering tests, so type boundaries are sealed with casts from the `LoweringState`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest
from test_lower_to_llvm import PROGRAMS  # pytest puts this directory on sys.path
from xdsl.dialects import arith
from xdsl.dialects.builtin import ModuleOp
from xdsl.ir import Operation
from xdsl.pattern_rewriter import (
    GreedyRewritePatternApplier,
    PatternRewriter,
    PatternRewriteWalker,
    RewritePattern,
)

from neurojit.ir import parse_module, print_module
from neurojit.passes.convert_arith_to_llvm import ARITH_PATTERNS
from neurojit.passes.convert_cf_to_llvm import CF_PATTERNS
from neurojit.passes.convert_func_to_llvm import FUNC_PATTERNS
from neurojit.passes.convert_math_to_llvm import MATH_PATTERNS
from neurojit.passes.finalize_memref_to_llvm import MEMREF_PATTERNS
from neurojit.passes.llvm_common.driver import (
    LoweringPattern,
    LoweringState,
    apply_once,
    op_pattern,
    op_types,
)

PATTERN_SETS: dict[str, Sequence[type[RewritePattern]]] = {
    "arith": ARITH_PATTERNS,
    "math": MATH_PATTERNS,
    "memref": MEMREF_PATTERNS,
    "func": FUNC_PATTERNS,
    "cf": CF_PATTERNS,
}


def _build(classes: Sequence[type[RewritePattern]], state: LoweringState) -> list[RewritePattern]:
    return [c(state) if issubclass(c, LoweringPattern) else c() for c in classes]


def _lower(
    text: str, classes: Sequence[type[RewritePattern]], run: Callable[[ModuleOp, list], None]
) -> str:
    module = parse_module(text, "t.mlir")
    state = LoweringState(standalone=True)
    run(module, _build(classes, state))
    state.finish(module)
    module.verify()
    return print_module(module)


def _walker(module: ModuleOp, patterns: list[RewritePattern]) -> None:
    # No DCE: apply_once does not delete dead ops either, and the two outputs must be equal.
    applier = GreedyRewritePatternApplier(patterns, dce_enabled=False)
    PatternRewriteWalker(applier, apply_recursively=False).rewrite_module(module)


@pytest.mark.parametrize("program", sorted(PROGRAMS))
@pytest.mark.parametrize("dialect", sorted(PATTERN_SETS))
def test_pattern_set_under_xdsl_walker_verifies_and_matches_apply_once(
    dialect: str, program: str
) -> None:
    text = PROGRAMS[program][0]
    classes = PATTERN_SETS[dialect]
    ours = _lower(text, classes, apply_once)
    xdsls = _lower(text, classes, _walker)
    assert xdsls == ours


def test_every_pattern_states_its_op_types() -> None:
    for dialect, classes in PATTERN_SETS.items():
        for pattern in _build(classes, LoweringState()):
            types = op_types(pattern)
            assert types, f"{dialect}: {type(pattern).__name__} states no op types"
            assert all(issubclass(t, Operation) for t in types)


def test_op_pattern_reads_a_union_annotation() -> None:
    class Both(RewritePattern):
        @op_pattern
        def match_and_rewrite(
            self, op: arith.AddiOp | arith.SubiOp, rewriter: PatternRewriter, /
        ) -> None:
            pass

    assert op_types(Both()) == (arith.AddiOp, arith.SubiOp)


def test_states_do_not_leak_between_runs() -> None:
    """Two standalone runs on different modules each seal only their own boundaries."""
    text = PROGRAMS[sorted(PROGRAMS)[0]][0]
    first = _lower(text, ARITH_PATTERNS, apply_once)
    second = _lower(text, ARITH_PATTERNS, apply_once)
    assert first == second
