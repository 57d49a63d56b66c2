// The pass has no recorded calls: it runs the original on inputs sampled from the argument
// types, and a candidate must agree with it where it did not fault. A body that returns a
// constant (it no longer faults on the trigger) is rejected; the guarded division passes.
// RUN: not neurojit-opt %s --split-input-file -p 'llm-repair{runner=mock responses="%S/Inputs/constant-then-guard.txt" cache=none proposers=model}' 2> %t.err | FileCheck %s
// RUN: FileCheck %s --check-prefix=ERR < %t.err
// The first split is repaired (its output printed); the second fails (exit 1).
// CHECK: #neurojit.strategy<source = "mock", model = "constant-then-guard.txt", attempt = 2
// CHECK: arith.select
// CHECK: arith.divsi

func.func @div(%a: i64, %b: i64) -> i64 attributes {neurojit.fault = #neurojit.fault<kind = "division-by-zero", message = "divisor is 0", inputs = [10 : i64, 0 : i64]>} {
  %q = arith.divsi %a, %b : i64
  return %q : i64
}

// -----

// No input can be drawn for a 1,000,000-element argument: the pass refuses, and says why.
// ERR: error: llm-repair could not repair @big (out-of-bounds) after 1 attempt(s): sample: refused: no recorded calls, and no inputs could be run to check that a repair keeps @big's behaviour: a memref<1000000xi64> argument is too large to sample
func.func @big(%m: memref<1000000xi64>, %i: index) -> i64 attributes {neurojit.fault = #neurojit.fault<kind = "out-of-bounds", message = "index", inputs = []>} {
  %v = memref.load %m[%i] : memref<1000000xi64>
  return %v : i64
}
