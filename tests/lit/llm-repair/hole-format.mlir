// The localized prompts. First the operand hole: two examples of the same fault kind in
// that format, the fault once, the function with an empty hole in front of the faulting
// op, which reads the value to define (%safe) in place of the divisor, the op again, what
// %safe replaces, the values in scope (the divisor alone), and what to define. The first
// answer defines the op's result, not %safe, so the hole grows to the op: its examples,
// the function with the op marked as the hole (no location line: the marker is the
// location), the hole again, and why attempt 1 was rejected.
// RUN: rm -f %t.log
// RUN: neurojit-opt %s -p 'llm-repair{runner=mock responses="%S/Inputs/hole-operand-then-op.txt" proposers=model cache=none prompt-log="%t.log"}' > /dev/null
// RUN: FileCheck %s < %t.log

// CHECK: Answer with the ops that replace the hole, one per line
// CHECK: Example, a division-by-zero fault. Op:
// CHECK-NEXT: %share = arith.divsi %total, %safe : i32
// CHECK-NEXT: %safe replaces %count (it was 0).
// CHECK: Example, a division-by-zero fault. Op:
// CHECK-NOT: Example
// CHECK: Fault in @div: division-by-zero: integer division by zero
// CHECK-NEXT: Failing call: @div(7 : i64, 0 : i64)
// CHECK-NEXT: Function:
// CHECK-NEXT: func.func @div(%a: i64, %b: i64) -> i64 {
// CHECK-NEXT:   %c = arith.addi %a, %a : i64
// CHECK-NEXT:   // HOLE: replace from here
// CHECK-NEXT:   // HOLE: to here
// CHECK-NEXT:   %q = arith.divsi %c, %safe : i64
// CHECK-NEXT:   func.return %q : i64
// CHECK-NEXT: }
// CHECK-NEXT: Op:
// CHECK-NEXT: %q = arith.divsi %c, %safe : i64
// CHECK-NEXT: %safe replaces %b.
// CHECK-NEXT: In scope: %b: i64
// CHECK-NEXT: Define: %safe : i64
// CHECK-NEXT: Replacement:
// CHECK-NEXT: // -----

// CHECK: Example, a division-by-zero fault. Hole:
// CHECK: Example, a division-by-zero fault. Hole:
// CHECK-NOT: Example
// CHECK: Fault in @div: division-by-zero: integer division by zero
// CHECK-NEXT: Failing call: @div(7 : i64, 0 : i64)
// CHECK-NEXT: Function:
// CHECK-NEXT: func.func @div(%a: i64, %b: i64) -> i64 {
// CHECK-NEXT:   %c = arith.addi %a, %a : i64
// CHECK-NEXT:   // HOLE: replace from here
// CHECK-NEXT:   %q = arith.divsi %c, %b : i64
// CHECK-NEXT:   // HOLE: to here
// CHECK-NEXT:   func.return %q : i64
// CHECK-NEXT: }
// CHECK-NEXT: Hole:
// CHECK-NEXT: %q = arith.divsi %c, %b : i64
// CHECK-NEXT: In scope: %a: i64, %b: i64, %c: i64
// CHECK-NEXT: Define: %q : i64
// CHECK-NEXT: Attempt 1 was rejected: hole: the answer does not define the hole's result %safe
// CHECK-NEXT: Replacement:
// CHECK-NOT: Location:

func.func @div(%a: i64, %b: i64) -> i64 attributes {neurojit.fault = #neurojit.fault<kind = "division-by-zero", message = "integer division by zero", inputs = [7 : i64, 0 : i64], loc = "div.mlir:59:8">} {
  %c = arith.addi %a, %a : i64
  %q = arith.divsi %c, %b : i64
  func.return %q : i64
}
