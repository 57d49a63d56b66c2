"""Recorded behaviour: good calls kept where they are observable, at the entry the user called.

A fault inside a callee (`@team_accuracy` → `@accuracy`) is repaired in the callee, but the
callee was never called from Python, so it has no calls of its own to replay. What the user
saw are the entry's results and the arrays it wrote. So good calls are recorded per entry,
and a repair of any function an entry can reach is checked by replaying that entry's calls
and comparing the entry's results and its memref outputs.

`EntryCall` is one such call. `calls_reaching(function, module, rings)` picks, from per-entry
rings, the calls whose entry can reach `function` through the static call graph (a superset
of what a call reached at run time: sound, never misses a caller). `replay_call` runs one
call on a compiled module and says how it differs, if it does.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from xdsl.dialects.builtin import ModuleOp

# No xDSL at import time: the self-healing loop records every good call through this
# module, and a run with nothing to heal never loads xDSL.


def is_array(value: Any) -> bool:
    # numpy scalars have .shape and .copy too, but cannot be written in place.
    return getattr(value, "ndim", 0) > 0 and hasattr(value, "__setitem__")


def copy_args(args: Iterable[Any]) -> list[Any]:
    """Fresh copies of array arguments: a replay may write into them."""
    return [a.copy() if is_array(a) else a for a in args]


@dataclass
class EntryCall:
    """A call of `entry` from Python: inputs before the call, its result, and the contents of
    its array arguments after it (None: outputs unknown, only the result is compared)."""

    entry: str
    inputs: list[Any]
    result: Any = None
    outputs: list[Any] | None = None
    # Marks a triggering call (the one that faulted): its result is unknown.
    trigger: bool = field(default=False, compare=False)

    def describe(self) -> str:
        shown = ", ".join(_short(v) for v in self.inputs)
        return f"@{self.entry}({shown})"


def _short(value: Any) -> str:
    if is_array(value):
        items = value.tolist()
        return repr(items if len(items) <= 6 else [*items[:6], "..."])
    return repr(value.item() if hasattr(value, "item") else value)


def same_value(a: Any, b: Any) -> bool:
    """Results agree: arrays element-wise (NaN equal to NaN), floats within 1e-9 relative."""
    import numpy as np

    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        try:
            return bool(np.array_equal(np.asarray(a), np.asarray(b), equal_nan=True))
        except TypeError:
            return bool(np.array_equal(np.asarray(a), np.asarray(b)))
    if isinstance(a, tuple | list) or isinstance(b, tuple | list):
        ta = tuple(a) if isinstance(a, tuple | list) else (a,)
        tb = tuple(b) if isinstance(b, tuple | list) else (b,)
        return len(ta) == len(tb) and all(same_value(x, y) for x, y in zip(ta, tb, strict=True))
    if isinstance(a, float) or isinstance(b, float):
        fa, fb = float(a), float(b)
        if math.isnan(fa) and math.isnan(fb):
            return True
        return math.isclose(fa, fb, rel_tol=1e-9, abs_tol=1e-12)
    return bool(a == b)


def difference(call: EntryCall, result: Any, args_after: Sequence[Any]) -> str | None:
    """Why a replay of `call` (giving `result`, leaving `args_after`) differs; None if not."""
    if not same_value(call.result, result):
        return f"{call.describe()} returns {_short_result(result)}, but it returned " + (
            f"{_short_result(call.result)} before"
        )
    if call.outputs is not None:
        for i, (want, got) in enumerate(zip(call.outputs, args_after, strict=False)):
            if want is not None and not same_value(want, got):
                return (
                    f"{call.describe()} leaves argument #{i} as {_short(got)}, but it left "
                    f"{_short(want)} before"
                )
    return None


def _short_result(value: Any) -> str:
    if isinstance(value, tuple | list):
        return "(" + ", ".join(_short(v) for v in value) + ")"
    return _short(value)


def array_outputs(args: Sequence[Any]) -> list[Any]:
    """The array arguments after a call, copied (None for scalars: nothing to compare)."""
    return [a.copy() if is_array(a) else None for a in args]


# -- which entries reach a function ---------------------------------------------------------
def call_graph(module: ModuleOp) -> dict[str, set[str]]:
    """Function name → the names it calls directly."""
    from xdsl.dialects.func import CallOp, FuncOp

    graph: dict[str, set[str]] = {}
    for op in module.ops:
        if isinstance(op, FuncOp):
            graph[op.sym_name.data] = {
                inner.callee.root_reference.data for inner in op.walk() if isinstance(inner, CallOp)
            }
    return graph


def reachable(graph: Mapping[str, set[str]], entry: str) -> set[str]:
    """Every function `entry` may call, transitively, and `entry` itself."""
    seen = {entry}
    stack = [entry]
    while stack:
        for callee in graph.get(stack.pop(), ()):
            if callee not in seen:
                seen.add(callee)
                stack.append(callee)
    return seen


def calls_reaching(
    function: str, module: ModuleOp, rings: Mapping[str, Iterable[EntryCall]]
) -> list[EntryCall]:
    """The recorded calls of every entry from which `function` can be reached."""
    graph = call_graph(module)
    calls: list[EntryCall] = []
    for entry in sorted(rings):
        if function in reachable(graph, entry):
            calls.extend(rings[entry])
    return calls
