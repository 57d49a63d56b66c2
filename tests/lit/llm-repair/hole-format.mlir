// The localized prompt: the faulting op is marked as the hole, the values in scope are
// listed with their types, and the answer must define the hole's result.
// RUN: rm -f %t.log
// RUN: neurojit-opt %s -p 'llm-repair{runner=mock responses="%S/Inputs/hole-guard.txt" proposers=model cache=none prompt-log="%t.log"}' > /dev/null
// RUN: FileCheck %s < %t.log

// CHECK: Answer with the ops that replace the hole, one per line
// CHECK: Fault in @div: division-by-zero
// CHECK: Function:
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
// CHECK-NOT: Replacement:

func.func @div(%a: i64, %b: i64) -> i64 attributes {neurojit.fault = #neurojit.fault<kind = "division-by-zero", message = "integer division by zero", inputs = [7 : i64, 0 : i64], loc = "div.mlir:26:8">} {
  %c = arith.addi %a, %a : i64
  %q = arith.divsi %c, %b : i64
  func.return %q : i64
}
