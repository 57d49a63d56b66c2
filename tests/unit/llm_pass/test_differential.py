"""One module for behaviour checks without recorded calls (llm_pass/differential.py): the
validator's generated inputs and the pass's sampled calls come from the same generator and
the same runner; the pass still learns why when nothing can be run."""

from __future__ import annotations

import numpy as np
from xdsl.dialects.func import FuncOp

from neurojit.ir import parse_module
from neurojit.llm_pass import differential

TEXT = """
func.func @div(%a: i64, %b: i64) -> i64 {
  %q = arith.divsi %a, %b : i64
  return %q : i64
}
func.func @big(%m: memref<1000000xi64>) -> i64 {
  %c0 = arith.constant 0 : index
  %v = memref.load %m[%c0] : memref<1000000xi64>
  return %v : i64
}
func.func @first(%m: memref<?xi64>) -> i64 {
  %c0 = arith.constant 0 : index
  %v = memref.load %m[%c0] : memref<?xi64>
  return %v : i64
}
"""


def _module_and(name: str):
    module = parse_module(TEXT)
    func = next(op for op in module.ops if isinstance(op, FuncOp) and op.sym_name.data == name)
    return module, func


def test_sampled_calls_are_good_calls_of_the_original() -> None:
    module, func = _module_and("div")
    calls = differential.sample_calls(func, module, trigger=[10, 0])
    assert not isinstance(calls, str) and len(calls) >= 5
    for call in calls:
        assert isinstance(call, differential.SampledCall)
        (a, b), result = call
        assert b != 0  # the inputs where the original faults are skipped
        assert [a, b] != [10, 0]  # so is the trigger
        q = abs(a) // abs(b)
        assert result == (q if (a < 0) == (b < 0) else -q)  # the original's own answer


def test_the_pass_learns_why_nothing_can_run() -> None:
    module, func = _module_and("big")
    why = differential.sample_calls(func, module)
    assert why == "a memref<1000000xi64> argument is too large to sample"
    assert differential.generated_inputs(func) is None


def test_one_generator_for_both_users() -> None:
    _, func = _module_and("first")
    generated = differential.generated_inputs(func, count=differential.SAMPLES)
    sampled = differential.inputs_for(
        func, differential.SAMPLES, max_elements=differential.MAX_SAMPLE_ELEMENTS
    )
    assert generated is not None and not isinstance(sampled, str)
    assert [[a.tolist() for a in g] for g in generated] == [
        [a.tolist() for a in s] for s in sampled
    ]
    again = differential.generated_inputs(func, count=differential.SAMPLES)
    assert again is not None
    assert all(np.array_equal(x[0], y[0]) for x, y in zip(generated, again, strict=True))


def test_compare_names_the_difference() -> None:
    module, func = _module_and("first")
    calls = differential.original_calls(TEXT, func)
    assert calls
    from neurojit.runtime.module import compile_module

    same = compile_module(TEXT)
    assert differential.compare(same, calls) is None
    wrong = compile_module(
        "func.func @first(%m: memref<?xi64>) -> i64 {\n"
        "  %z = arith.constant 0 : i64\n  return %z : i64\n}\n"
    )
    why = differential.compare(wrong, calls)
    assert why is not None and why.startswith("differs from the original on a generated input")
