"""Well-formed nonsense never crashes the validator: every answer is accepted or rejected
with a reason. Mutants of a real repair reach the deeper checks (verify, dominance,
policy); grammar samples exercise the parser path."""

from __future__ import annotations

import random

from neurojit.ir import parse_module
from neurojit.llm_pass.validate import Rejection, validate_candidate

MODULE = """
func.func private @helper(i64) -> i64
func.func @f(%a: i64, %t: memref<4xi64>, %i: index) -> i64 attributes {
    neurojit.fault = #neurojit.fault<kind = "out-of-bounds", message = "index 9 not in [0, 4)">} {
  %v = memref.load %t[%i] : memref<4xi64>
  func.return %v : i64
}
"""

REPAIR = """func.func @f(%a: i64, %t: memref<4xi64>, %i: index) -> i64 {
  %zero = arith.constant 0 : index
  %four = arith.constant 4 : index
  %ge = arith.cmpi sge, %i, %zero : index
  %lt = arith.cmpi slt, %i, %four : index
  %ok = arith.andi %ge, %lt : i1
  cf.cond_br %ok, ^load, ^skip
^load:
  %v = memref.load %t[%i] : memref<4xi64>
  %w = func.call @helper(%v) : (i64) -> i64
  cf.br ^done(%w : i64)
^skip:
  %c = arith.constant 0 : i64
  cf.br ^done(%c : i64)
^done(%r: i64):
  %s = scf.if %ok -> (i64) {
    scf.yield %r : i64
  } else {
    scf.yield %a : i64
  }
  func.return %s : i64
}"""


def _mutate(text: str, rng: random.Random) -> str:
    lines = text.splitlines()
    body = range(1, len(lines) - 1)
    for _ in range(rng.randint(1, 3)):
        kind = rng.randrange(5)
        i, j = rng.choice(body), rng.choice(body)
        if kind == 0:  # move a line: use before def, broken dominance
            lines.insert(j, lines.pop(i))
        elif kind == 1:  # duplicate a line: a value defined twice
            lines.insert(j, lines[i])
        elif kind == 2:  # drop a line: undefined values, missing terminators
            del lines[i]
        elif kind == 3:  # rename a use
            names = ["%a", "%t", "%i", "%v", "%ok", "%r", "%zero", "%c"]
            lines[i] = lines[i].replace(rng.choice(names), rng.choice(names), 1)
        else:  # retype
            types = ["i64", "i1", "index", "i32", "f64"]
            lines[i] = lines[i].replace(rng.choice(types), rng.choice(types), 1)
    return "\n".join(lines)


def test_mutants_are_accepted_or_rejected_never_crash() -> None:
    module = parse_module(MODULE, "t.mlir")
    func = [op for op in module.ops if op.sym_name.data == "f"][0]
    assert validate_candidate(REPAIR, func, module, dynamic=False)
    rng = random.Random(20261126)
    stages: set[str] = set()
    for _ in range(300):
        try:
            validate_candidate(_mutate(REPAIR, rng), func, module, dynamic=False)
            stages.add("accepted")
        except Rejection as err:
            assert err.reason and "\n" not in err.reason
            stages.add(err.stage)
    # The mutants got past the parser into the semantic checks.
    assert {"parse", "verify", "dominance"} <= stages, stages


def test_grammar_samples_never_crash_the_validator() -> None:
    from neurojit.llm_pass.grammar import shape_of, specialize
    from tools.grammar_testing import sample

    module = parse_module(MODULE, "t.mlir")
    func = [op for op in module.ops if op.sym_name.data == "f"][0]
    lark = specialize(shape_of(func, module))
    rng = random.Random(7)
    for _ in range(25):
        try:
            validate_candidate(sample(lark, rng), func, module, dynamic=False)
        except Rejection as err:
            assert err.reason
