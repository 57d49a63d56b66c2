"""Differential check: when no good call was recorded, compare with the original on generated
inputs, wherever the original runs.

A repair must keep the results of inputs that worked. With no recorded calls (the first call
faulted, or `neurojit-opt -p llm-repair` on a module with `#neurojit.fault`), the original
itself says what "worked" means: it is run on a fixed, seeded set of generated inputs, and on
every input where it returns (no fault, within a short deadline) the candidate must return
the same result and leave the same array contents. Inputs where the original faults or hangs
say nothing and are skipped. Nothing here is random from run to run.
"""

from __future__ import annotations

import hashlib
import itertools
import random
from collections.abc import Sequence
from typing import Any

from xdsl.dialects.builtin import (
    AnyFloat,
    IndexType,
    IntegerType,
    MemRefType,
)
from xdsl.dialects.func import FuncOp

from neurojit.llm_pass.behaviour import EntryCall, array_outputs, copy_args, difference

# How many inputs to generate, and how long the original may take on each.
INPUTS = 16
DEADLINE = 0.25
_MAX_ELEMENTS = 64

_INTS = (0, 1, 2, 3, 7, -1, -5, 100, 12, -2)
_INDICES = (0, 1, 2, 3, 5)
_FLOATS = (0.0, 1.0, 2.5, -1.5, 10.0, 0.5)

# (module text, function) → the original's good calls on the generated inputs.
_ORIGINAL_RUNS: dict[str, list[EntryCall] | None] = {}
_MEMO_LIMIT = 64


def _dtype(element: Any) -> Any:
    import numpy as np

    if isinstance(element, IndexType):
        return np.int64
    if isinstance(element, IntegerType):
        width = element.width.data
        return {8: np.int8, 16: np.int16, 32: np.int32, 64: np.int64}.get(width)
    if isinstance(element, AnyFloat):
        return {32: np.float32, 64: np.float64}.get(element.bitwidth)
    return None


def _generator(typ: Any, rng: random.Random) -> Any:
    """A function producing one value of `typ` per call, or None when it can't be made."""
    import numpy as np

    if isinstance(typ, IndexType):
        return lambda: rng.choice(_INDICES)
    if isinstance(typ, IntegerType):
        if typ.width.data == 1:
            return lambda: rng.choice((0, 1))
        return lambda: rng.choice(_INTS)
    if isinstance(typ, AnyFloat):
        return lambda: rng.choice(_FLOATS)
    if isinstance(typ, MemRefType):
        dtype = _dtype(typ.element_type)
        shape = [4 if d < 0 else d for d in typ.get_shape()]
        count = 1
        for d in shape:
            count *= d
        if dtype is None or count > _MAX_ELEMENTS or not shape:
            return None
        pool = _FLOATS if isinstance(typ.element_type, AnyFloat) else (0, 1, 2, 3, 5, 9, -4)
        return lambda: np.array([rng.choice(pool) for _ in range(count)], dtype=dtype).reshape(
            shape
        )
    return None


def generated_inputs(func: FuncOp, count: int = INPUTS, seed: int = 0) -> list[list[Any]] | None:
    """`count` argument lists for `func`, the same every run; None when an argument type
    cannot be generated (a memref of an unusual element type, a big static shape)."""
    rng = random.Random(seed)
    makers = [_generator(t, rng) for t in func.function_type.inputs.data]
    if any(m is None for m in makers):
        return None
    if not makers:
        return [[]]
    out: list[list[Any]] = []
    for _ in itertools.repeat(None, count):
        out.append([make() for make in makers])
    return out


def _calls(compiled: Any, name: str, inputs: Sequence[Sequence[Any]]) -> list[EntryCall]:
    """The calls of `name` that return: result and array outputs, per input."""
    from neurojit.runtime.faults import JITFault

    good: list[EntryCall] = []
    for args in inputs:
        live = copy_args(args)
        try:
            result = compiled.call(name, *live)
        except JITFault:
            continue
        except Exception:  # noqa: BLE001 - a value the ABI refuses: not a good input
            continue
        good.append(
            EntryCall(name, copy_args(args), result=_kept(result), outputs=array_outputs(live))
        )
    return good


def _kept(result: Any) -> Any:
    return result.copy() if hasattr(result, "copy") and getattr(result, "ndim", 0) else result


def original_calls(original_text: str, func: FuncOp) -> list[EntryCall] | None:
    """The original's good calls on the generated inputs (memoised); None when the original
    does not compile (a verifier error) or its arguments can't be generated."""
    name = func.sym_name.data
    key = hashlib.sha256(f"{name}\n{original_text}".encode()).hexdigest()
    if key in _ORIGINAL_RUNS:
        return _ORIGINAL_RUNS[key]
    inputs = generated_inputs(func)
    calls: list[EntryCall] | None = None
    if inputs is not None:
        try:
            from neurojit.runtime.module import compile_module

            compiled = compile_module(original_text, checks=True, timeout=DEADLINE)
        except Exception:  # noqa: BLE001 - does not compile: no behaviour to compare
            compiled = None
        if compiled is not None:
            calls = _calls(compiled, name, inputs)
    if len(_ORIGINAL_RUNS) >= _MEMO_LIMIT:
        _ORIGINAL_RUNS.clear()  # a long-lived process repairs many functions: stay bounded
    _ORIGINAL_RUNS[key] = calls
    return calls


def compare(compiled: Any, calls: Sequence[EntryCall]) -> str | None:
    """Run the candidate on the original's good calls; why it differs, or None."""
    from neurojit.runtime.faults import JITFault

    for call in calls:
        live = copy_args(call.inputs)
        try:
            result = compiled.call(call.entry, *live)
        except JITFault as fault:
            return (
                f"faults on generated input {call.describe()} where the original returned "
                f"{call.result}: {fault.report.kind}"
            )
        why = difference(call, result, live)
        if why is not None:
            return f"differs from the original on a generated input: {why}"
    return None
