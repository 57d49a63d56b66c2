"""Calls to check a repair against when nothing was recorded: sampled from the argument types.

`neurojit-opt -p llm-repair` sees a module, not a running program: there are no recorded good
calls, so without more a candidate that drops the function's behaviour (`return 0`) would pass
every check. Here the *original* function is compiled and run natively under the guard on
inputs drawn from its argument types (small integers and edge values, a few floats, small
arrays); each call that does not fault becomes a recorded call the candidate must reproduce,
exactly like the calls the healing loop records. The original faults on some inputs (that is
why it is being repaired); those are skipped.

When no input can be drawn (an argument type the boundary cannot pass) or the runtime cannot
compile the module, `sample_calls` returns the reason as a string: the pass then refuses to
repair rather than accept an unchecked body.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

from xdsl.dialects.builtin import ModuleOp
from xdsl.dialects.func import FuncOp

from neurojit.errors import NeuroJITError

SAMPLES = 12  # input tuples tried
MAX_SAMPLE_ELEMENTS = 4096  # a static memref argument larger than this is not sampled
DYNAMIC_DIM = 4

_INTS = (0, 1, 2, 3, -1, 5, 7, 10, -7, 42, 100, -100)
_INDICES = (0, 1, 2, 3, 4, 7, 10)
_FLOATS = (0.0, 1.0, -1.0, 2.5, 0.5, 3.0, -4.25, 10.0)


def _scalar(typ: Any, rng: random.Random) -> Any:
    if typ.kind == "float":
        return rng.choice(_FLOATS)
    if typ.kind == "index":
        return rng.choice(_INDICES)
    if typ.bits == 1:
        return rng.choice((0, 1))
    low, high = -(1 << (typ.bits - 1)), (1 << (typ.bits - 1)) - 1
    return max(low, min(high, rng.choice(_INTS)))


def _value(typ: Any, rng: random.Random) -> Any:
    from neurojit.runtime.abi import MemRefType

    if not isinstance(typ, MemRefType):
        return _scalar(typ, rng)
    import numpy as np

    shape = tuple(DYNAMIC_DIM if d is None else d for d in typ.shape)
    count = 1
    for d in shape:
        count *= d
    if count > MAX_SAMPLE_ELEMENTS:
        raise ValueError(f"a {typ} argument is too large to sample")
    values = [_scalar(typ.element, rng) for _ in range(count)]
    return np.array(values, dtype=typ.element.dtype).reshape(shape)


def _copy(values: Sequence[Any]) -> list[Any]:
    return [
        v.copy() if hasattr(v, "copy") and not isinstance(v, int | float) else v for v in values
    ]


class SampledCall(tuple):  # noqa: SLOT001 - a marked (inputs, outputs) pair
    """(inputs, outputs) of the original on a sampled input: the validator replays it like a
    recorded call, and reports it as what it is (sampled, not observed)."""


def sample_calls(
    func: FuncOp,
    module: ModuleOp,
    trigger: Sequence[Any] | None = None,
    *,
    samples: int = SAMPLES,
    timeout: float = 1.0,
    seed: int = 0,
) -> list[tuple[list[Any], Any]] | str:
    """(inputs, outputs) of the original `func` on sampled inputs that did not fault; or why
    no inputs could be run."""
    from neurojit.ir import print_module

    name = func.sym_name.data
    try:
        from neurojit.runtime.abi import signature_from_func
        from neurojit.runtime.faults import JITFault
        from neurojit.runtime.module import compile_module
    except ImportError as err:  # pragma: no cover - the runtime is part of the package
        return f"the native runtime is unavailable ({err})"
    try:
        signature = signature_from_func(func)
    except Exception as err:  # noqa: BLE001 - an argument type the boundary cannot pass
        return f"@{name}'s arguments cannot be passed from Python ({err})"
    rng = random.Random(seed)
    tuples: list[list[Any]] = []
    seen: set[str] = set()
    try:
        for _ in range(samples * 3):
            values = [_value(t, rng) for t in signature.args]
            key = repr([v.tolist() if hasattr(v, "tolist") else v for v in values])
            if key not in seen:
                seen.add(key)
                tuples.append(values)
            if len(tuples) == samples or not signature.args:
                break
    except ValueError as err:
        return str(err)
    try:
        compiled = compile_module(print_module(module), checks=True, timeout=timeout)
    except NeuroJITError as err:
        return f"the native runtime cannot compile the module to run @{name} ({err.message})"
    except Exception as err:  # noqa: BLE001 - a gap in the runtime
        return f"the native runtime cannot compile the module to run @{name} ({err})"
    trigger_key = repr(list(trigger)) if trigger else None
    calls: list[tuple[list[Any], Any]] = []
    hangs = 0
    for values in tuples:
        if trigger_key is not None and repr(values) == trigger_key:
            continue
        try:
            output = compiled.call(name, *_copy(values))
        except JITFault as fault:
            # The fault being repaired, or another one: no behaviour to keep. A hang costs a
            # whole watchdog period: after two, stop sampling rather than wait on more.
            hangs += fault.report.kind == "timeout"
            if hangs >= 2:
                break
            continue
        except NeuroJITError as err:
            return f"@{name} cannot be called to sample its behaviour ({err.message})"
        calls.append(SampledCall((values, output.copy() if hasattr(output, "copy") else output)))
    return calls
