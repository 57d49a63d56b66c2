// An answer that changes the function, parses and verifies, but still divides by zero on
// the triggering inputs is rejected by running it natively with checks; the next is accepted.
// RUN: neurojit-opt %s -p 'llm-repair{runner=mock responses="%S/Inputs/still-faulty-then-good.txt" proposers=model cache=none}' 2>&1 | FileCheck %s

// CHECK-NOT: static only
// CHECK: #neurojit.strategy<source = "mock", model = "still-faulty-then-good.txt", attempt = 2,

// With one attempt, the diagnostic shows the run-time rejection.
// RUN: not neurojit-opt %s -p 'llm-repair{runner=mock responses="%S/Inputs/still-faulty-then-good.txt" proposers=model max-attempts=1 cache=none}' 2>&1 | FileCheck %s --check-prefix=ONE
// ONE: model #1: run: still faults on the triggering inputs: division-by-zero

func.func @div(%a: i64, %b: i64) -> i64 attributes {neurojit.fault = #neurojit.fault<kind = "division-by-zero", message = "divisor is 0", inputs = [7 : i64, 0 : i64]>} {
  %q = arith.divsi %a, %b : i64
  func.return %q : i64
}
