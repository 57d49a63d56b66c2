"""The capability policy (neurojit/llm_pass/policy.py): what a repair may keep doing, and the
table as data. The rejections are the adversarial catalog's (tests/unit/fuzz/); here, that
the policy grants what the original already had, and names what it denies."""

from __future__ import annotations

import pytest
from xdsl.dialects.func import FuncOp

from neurojit.ir import parse_module
from neurojit.llm_pass.policy import (
    MAX_CANDIDATE_ALLOC_BYTES,
    OP_CAPABILITIES,
    PolicyViolation,
    check_capabilities,
)
from neurojit.llm_pass.validate import Rejection, validate_candidate

MODULE = """\
memref.global "private" @counter : memref<1xi64> = dense<0>
memref.global "private" constant @table : memref<4xi64> = dense<[1, 2, 3, 4]>
func.func @count(%m: memref<?xi64>, %i: index) -> i64 {
  %c = memref.get_global @counter : memref<1xi64>
  %z = arith.constant 0 : index
  %v = memref.load %c[%z] : memref<1xi64>
  %one = arith.constant 1 : i64
  %n = arith.addi %v, %one : i64
  memref.store %n, %c[%z] : memref<1xi64>
  memref.store %n, %m[%i] : memref<?xi64>
  %t = memref.get_global @table : memref<4xi64>
  %k = arith.constant 2 : index
  %w = memref.load %t[%k] : memref<4xi64>
  %buf = memref.alloc() : memref<1024xi64>
  %view = memref.reinterpret_cast %m to offset: [0], sizes: [1], strides: [1]
      : memref<?xi64> to memref<1xi64>
  memref.dealloc %buf : memref<1024xi64>
  %q = arith.divsi %n, %w : i64
  return %q : i64
}
"""


def _module_and_func():
    module = parse_module(MODULE)
    func = next(op for op in module.ops if isinstance(op, FuncOp))
    return module, func


def _validate(body: str) -> None:
    module, func = _module_and_func()
    answer = "func.func @count(%m: memref<?xi64>, %i: index) -> i64 {\n" + body + "\n}"
    validate_candidate(answer, func, module, dynamic=False)


KEEP_ALL = """\
  %c = memref.get_global @counter : memref<1xi64>
  %z = arith.constant 0 : index
  %v = memref.load %c[%z] : memref<1xi64>
  %one = arith.constant 1 : i64
  %n = arith.addi %v, %one : i64
  memref.store %n, %c[%z] : memref<1xi64>
  memref.store %n, %m[%i] : memref<?xi64>
  %t = memref.get_global @table : memref<4xi64>
  %k = arith.constant 2 : index
  %w = memref.load %t[%k] : memref<4xi64>
  %buf = memref.alloc() : memref<2048xi64>
  %view = memref.reinterpret_cast %m to offset: [0], sizes: [1], strides: [1]
      : memref<?xi64> to memref<1xi64>
  memref.dealloc %buf : memref<2048xi64>
  %zero = arith.constant 0 : i64
  %isz = arith.cmpi eq, %w, %zero : i64
  %d = arith.select %isz, %one, %w : i64
  %q = arith.divsi %n, %d : i64
  return %q : i64"""


def test_a_repair_may_keep_every_capability_the_original_had() -> None:
    # Writes to @counter and to the argument, reads @table, a view it already used, a free of
    # its own allocation (now larger, within the limit): all granted.
    _validate(KEEP_ALL)


@pytest.mark.parametrize(
    ("edit", "needle"),
    [
        # Doing less than the original (no longer writing @counter) is always allowed.
        (("memref.store %n, %c[%z] : memref<1xi64>", ""), None),
        (
            ("memref.dealloc %buf : memref<2048xi64>", "memref.dealloc %m : memref<?xi64>"),
            "frees argument #0",
        ),
        (
            (
                "memref.load %t[%k] : memref<4xi64>",
                "memref.load %t[%k] : memref<4xi64>\n  memref.store %n, %t[%k] : memref<4xi64>",
            ),
            "writes global @table, which @count never wrote (missing capability: write @table)",
        ),
        (
            ("memref.alloc() : memref<2048xi64>", "memref.alloc() : memref<100000000xi64>"),
            "allocates 800000000 bytes",
        ),
    ],
)
def test_each_change_is_granted_or_named(edit: tuple[str, str], needle: str | None) -> None:
    old, new = edit
    body = KEEP_ALL.replace(old, new)
    if "100000000" in new:
        body = body.replace("memref.dealloc %buf : memref<2048xi64>", "")
    if needle is None:
        _validate(body)
        return
    with pytest.raises(Rejection) as info:
        _validate(body)
    assert info.value.stage == "policy" and needle in info.value.reason
    assert " at line " in info.value.reason  # the op's location


def test_rejection_names_op_location_and_capability() -> None:
    module, func = _module_and_func()
    answer = (
        "func.func @count(%m: memref<?xi64>, %i: index) -> i64 {\n"
        "  %p = memref.extract_aligned_pointer_as_index %m : memref<?xi64> -> index\n"
        "  %x = arith.index_cast %p : index to i64\n  return %x : i64\n}"
    )
    with pytest.raises(Rejection) as info:
        validate_candidate(answer, func, module, dynamic=False)
    reason = info.value.reason
    assert reason.startswith("'memref.extract_aligned_pointer_as_index' at line 2 ")
    assert reason.endswith("(missing capability: view memref.extract_aligned_pointer_as_index)")


def test_the_policy_is_a_table() -> None:
    # Adding an op is one row; every row names a known kind.
    kinds = {row.kind for row in OP_CAPABILITIES.values()}
    assert kinds <= {"global", "write", "free", "view", "none", "alloc", "call"}
    assert OP_CAPABILITIES["memref.dealloc"].kind == "free"
    assert OP_CAPABILITIES["memref.reinterpret_cast"].alias
    assert MAX_CANDIDATE_ALLOC_BYTES == 64 * 1024 * 1024


def test_a_new_row_is_enforced(monkeypatch: pytest.MonkeyPatch) -> None:
    from neurojit.llm_pass import policy

    monkeypatch.setitem(policy.OP_CAPABILITIES, "arith.addi", policy.Row("view"))
    module, func = _module_and_func()
    candidate = func.clone()
    # The original uses arith.addi too, so the "view" capability is granted...
    check_capabilities(candidate, func, module)
    monkeypatch.setitem(policy.OP_CAPABILITIES, "arith.muli", policy.Row("view"))
    text = MODULE.replace("arith.addi %v, %one", "arith.muli %v, %one")
    other = parse_module(text)
    changed = next(op for op in other.ops if isinstance(op, FuncOp))
    # ...and an op the original never used is denied.
    with pytest.raises(PolicyViolation, match="view arith.muli"):
        check_capabilities(changed, func, module)
