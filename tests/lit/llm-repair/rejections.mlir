// Three bad answers: each is rejected with its own reason, and after max-attempts the pass
// fails with one diagnostic naming the function and every reason; the IR is not printed.
// RUN: not neurojit-opt %s -p 'llm-repair{runner=mock responses="%S/Inputs/three-bad.txt" max-attempts=3 proposers=model cache=none}' > %t.out 2> %t.err
// RUN: FileCheck %s < %t.err
// RUN: FileCheck %s --check-prefix=NOIR --allow-empty < %t.out

// CHECK: {{.*}}rejections.mlir:[[# @LINE + 8]]:1: error: llm-repair could not repair @div (division-by-zero) after 3 attempt(s):
// CHECK-SAME: model #1: signature: signature (i64, i32) -> i64 differs from the original (i64, i64) -> i64;
// CHECK-SAME: model #2: verify: 'func.return' op {{.*}}expected [i64], got [i32] (line 3);
// CHECK-SAME: model #3: policy: calls @safe_div, which the module does not declare
// NOIR-NOT: func.func

func.func private @helper(i64) -> i64

func.func @div(%a: i64, %b: i64) -> i64 attributes {neurojit.fault = #neurojit.fault<kind = "division-by-zero", message = "divisor is 0", inputs = [7 : i64, 0 : i64]>} {
  %q = arith.divsi %a, %b : i64
  func.return %q : i64
}
