// Prose, then a use before its definition (xDSL's verifier misses it; ours does not), then a
// good answer: accepted on the third attempt.
// RUN: neurojit-opt %s -p 'llm-repair{runner=mock responses="%S/Inputs/third-time.txt" proposers=model cache=none}' | FileCheck %s

// CHECK: neurojit.strategy = #neurojit.strategy<source = "mock", model = "third-time.txt", attempt = 3,
// CHECK: %[[S:.*]] = arith.select
// CHECK: arith.divsi %a, %[[S]] : i64

// And with only two attempts allowed, the pass fails and says why each was rejected.
// RUN: not neurojit-opt %s -p 'llm-repair{runner=mock responses="%S/Inputs/third-time.txt" proposers=model max-attempts=2 cache=none}' 2>&1 | FileCheck %s --check-prefix=TWO
// TWO: error: llm-repair could not repair @div (division-by-zero) after 2 attempt(s): model #1: hole: the answer does not end with func.return; model #2: dominance: 'arith.divsi' uses %safe before it is defined

func.func @div(%a: i64, %b: i64) -> i64 attributes {neurojit.fault = #neurojit.fault<kind = "division-by-zero", message = "divisor is 0", inputs = [7 : i64, 0 : i64]>} {
  %q = arith.divsi %a, %b : i64
  func.return %q : i64
}
