// The localized prompt: two examples of the same fault kind in the hole format, the fault
// once, the function with the faulting op marked as the hole (no location line: the
// marker is the location), the hole again, the values in scope, and what to define.
// RUN: rm -f %t.log
// RUN: neurojit-opt %s -p 'llm-repair{runner=mock responses="%S/Inputs/hole-guard.txt" proposers=model cache=none prompt-log="%t.log"}' > /dev/null
// RUN: FileCheck %s < %t.log

// CHECK: Answer with the ops that replace the hole, one per line
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
// CHECK-NEXT: Replacement:
// CHECK-NOT: Location:

func.func @div(%a: i64, %b: i64) -> i64 attributes {neurojit.fault = #neurojit.fault<kind = "division-by-zero", message = "integer division by zero", inputs = [7 : i64, 0 : i64], loc = "div.mlir:31:8">} {
  %c = arith.addi %a, %a : i64
  %q = arith.divsi %c, %b : i64
  func.return %q : i64
}
