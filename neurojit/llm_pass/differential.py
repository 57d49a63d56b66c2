"""Behaviour checks without recorded calls: the original run on generated inputs.

A repair must keep the results of inputs that worked. When no good call was recorded (the
first call faulted, or `neurojit-opt -p llm-repair` sees a module, not a running program),
the *original* function says what "worked" means: it is compiled and run natively under the
guard on inputs drawn from its argument types (small integers and edge values, a few
floats, small arrays; seeded, the same every run), and on every input where it returns (no
fault, within a short deadline) a candidate must return the same. Inputs where the original
faults or hangs say nothing and are skipped: it is being repaired because it faults.

Two users, one generator and one runner:
- the validator's differential check (`original_calls` + `compare`, evidence
  `differential on N generated inputs`): the candidate must also leave the same array
  contents;
- the pass (`sample_calls`, evidence `differential on N sampled inputs`): the sampled calls
  become the recorded calls the candidate must replay, and when no input can be drawn or
  run at all `sample_calls` returns why, so the pass refuses to repair rather than accept an
  unchecked body.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

from xdsl.dialects.builtin import ModuleOp
from xdsl.dialects.func import FuncOp

from neurojit.errors import NeuroJITError
from neurojit.fault_report import JITFault
from neurojit.llm_pass.behaviour import EntryCall, array_outputs, copy_args, difference
from neurojit.llm_pass.candidates import (
    CandidateRuntime,
    default_runtime,
    memo_key,
    unavailable_reason,
)

# The validator's differential check: how many inputs, how long the original may take on
# each, how large a generated array may be.
INPUTS = 16
DEADLINE = 0.25
MAX_ELEMENTS = 64
# The pass's sampled calls: fewer inputs, but arrays up to this many elements.
SAMPLES = 12
MAX_SAMPLE_ELEMENTS = 4096
DYNAMIC_DIM = 4  # the size of a dynamic dimension of a generated array

_INTS = (0, 1, 2, 3, -1, 5, 7, 10, -7, 12, -2, 42, 100, -100)
_INDICES = (0, 1, 2, 3, 4, 5, 7, 10)
_FLOATS = (0.0, 1.0, -1.0, 2.5, 0.5, 3.0, -1.5, -4.25, 10.0)

# (module text, function) → the original's good calls on the generated inputs.
_ORIGINAL_RUNS: dict[str, list[EntryCall] | None] = {}
_MEMO_LIMIT = 64


class SampledCall(tuple):  # noqa: SLOT001 - a marked (inputs, outputs) pair
    """(inputs, outputs) of the original on a sampled input: the validator replays it like a
    recorded call, and reports it as what it is (sampled, not observed)."""


# -- inputs ----------------------------------------------------------------------------------
def _scalar(typ: Any, rng: random.Random) -> Any:
    if typ.kind == "float":
        return rng.choice(_FLOATS)
    if typ.kind == "index":
        return rng.choice(_INDICES)
    if typ.bits == 1:
        return rng.choice((0, 1))
    low, high = -(1 << (typ.bits - 1)), (1 << (typ.bits - 1)) - 1
    return max(low, min(high, rng.choice(_INTS)))


def _value(typ: Any, rng: random.Random, max_elements: int) -> Any:
    if getattr(typ, "shape", None) is None:  # a scalar; an array type has a shape
        return _scalar(typ, rng)
    import numpy as np

    shape = tuple(DYNAMIC_DIM if d is None else d for d in typ.shape)
    count = 1
    for d in shape:
        count *= d
    if count > max_elements:
        raise ValueError(f"a {typ} argument is too large to sample")
    values = [_scalar(typ.element, rng) for _ in range(count)]
    return np.array(values, dtype=typ.element.dtype).reshape(shape)


def inputs_for(
    func: FuncOp,
    count: int,
    seed: int = 0,
    max_elements: int = MAX_ELEMENTS,
    runtime: CandidateRuntime | None = None,
) -> list[list[Any]] | str:
    """Up to `count` distinct argument lists for `func`, the same every run; or why none can
    be made (an argument the boundary cannot pass, an array too large, no runtime)."""
    runtime = runtime or default_runtime()
    if runtime is None:
        return unavailable_reason()
    try:
        signature = runtime.signature(func)
    except Exception as err:  # noqa: BLE001 - an argument type the boundary cannot pass
        return f"@{func.sym_name.data}'s arguments cannot be passed from Python ({err})"
    rng = random.Random(seed)
    out: list[list[Any]] = []
    seen: set[str] = set()
    try:
        for _ in range(count * 3):
            values = [_value(t, rng, max_elements) for t in signature.args]
            key = repr([v.tolist() if hasattr(v, "tolist") else v for v in values])
            if key not in seen:
                seen.add(key)
                out.append(values)
            if len(out) == count or not signature.args:
                break
    except ValueError as err:
        return str(err)
    return out


def generated_inputs(
    func: FuncOp, count: int = INPUTS, seed: int = 0, runtime: CandidateRuntime | None = None
) -> list[list[Any]] | None:
    """The validator's inputs for `func` (None when they cannot be made)."""
    found = inputs_for(func, count, seed, runtime=runtime)
    return None if isinstance(found, str) else found


# -- running the original ----------------------------------------------------------------------
def _kept(result: Any) -> Any:
    return result.copy() if hasattr(result, "copy") and getattr(result, "ndim", 0) else result


def good_calls(
    compiled: Any,
    name: str,
    inputs: Sequence[Sequence[Any]],
    *,
    skip: Sequence[Any] | None = None,
    max_timeouts: int | None = None,
) -> list[EntryCall] | str:
    """The calls of `name` that return: inputs, result and array outputs, per input; or why
    the function cannot be called at all. `skip`: an input not to run (the faulting one);
    `max_timeouts`: stop after that many hangs (each costs a whole watchdog deadline)."""
    skip_key = repr(list(skip)) if skip else None
    good: list[EntryCall] = []
    hangs = 0
    for args in inputs:
        if skip_key is not None and repr(list(args)) == skip_key:
            continue
        live = copy_args(args)
        try:
            result = compiled.call(name, *live)
        except JITFault as fault:
            hangs += fault.report.kind == "timeout"
            if max_timeouts is not None and hangs >= max_timeouts:
                break
            continue
        except NeuroJITError as err:
            return f"@{name} cannot be called to sample its behaviour ({err.message})"
        except Exception:  # noqa: BLE001 - a value the ABI refuses: not a good input
            continue
        good.append(
            EntryCall(name, copy_args(args), result=_kept(result), outputs=array_outputs(live))
        )
    return good


def original_calls(
    original_text: str, func: FuncOp, runtime: CandidateRuntime | None = None
) -> list[EntryCall] | None:
    """The original's good calls on the generated inputs (memoised); None when the original
    does not compile (a verifier error) or its arguments can't be generated."""
    name = func.sym_name.data
    runtime = runtime or default_runtime()
    key = memo_key(runtime, name, original_text)
    if key in _ORIGINAL_RUNS:
        return _ORIGINAL_RUNS[key]
    inputs = generated_inputs(func, runtime=runtime) if runtime is not None else None
    calls: list[EntryCall] | None = None
    if inputs is not None and runtime is not None:
        try:
            compiled = runtime.compile(original_text, DEADLINE)
        except Exception:  # noqa: BLE001 - does not compile: no behaviour to compare
            compiled = None
        if compiled is not None:
            found = good_calls(compiled, name, inputs)
            calls = None if isinstance(found, str) else found
    if len(_ORIGINAL_RUNS) >= _MEMO_LIMIT:
        _ORIGINAL_RUNS.clear()  # a long-lived process repairs many functions: stay bounded
    _ORIGINAL_RUNS[key] = calls
    return calls


def compare(compiled: Any, calls: Sequence[EntryCall]) -> str | None:
    """Run the candidate on the original's good calls; why it differs, or None."""
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


def sample_calls(
    func: FuncOp,
    module: ModuleOp,
    trigger: Sequence[Any] | None = None,
    *,
    samples: int = SAMPLES,
    timeout: float = 1.0,
    seed: int = 0,
    runtime: CandidateRuntime | None = None,
) -> list[tuple[list[Any], Any]] | str:
    """The pass's calls: (inputs, outputs) of the original `func` on sampled inputs that did
    not fault (the trigger excluded), as `SampledCall`s; or why no inputs could be run."""
    from neurojit.ir import print_module

    name = func.sym_name.data
    runtime = runtime or default_runtime()
    if runtime is None:
        return unavailable_reason()
    inputs = inputs_for(func, samples, seed, MAX_SAMPLE_ELEMENTS, runtime)
    if isinstance(inputs, str):
        return inputs
    try:
        compiled = runtime.compile(print_module(module), timeout)
    except NeuroJITError as err:
        return f"the native runtime cannot compile the module to run @{name} ({err.message})"
    except Exception as err:  # noqa: BLE001 - a gap in the runtime
        return f"the native runtime cannot compile the module to run @{name} ({err})"
    found = good_calls(compiled, name, inputs, skip=trigger, max_timeouts=2)
    if isinstance(found, str):
        return found
    return [SampledCall((call.inputs, call.result)) for call in found]
