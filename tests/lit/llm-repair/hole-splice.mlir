// A hole answer (ops only, no func.func) is spliced in place of the faulting op: the ops
// before it stay, the new ops come first, and the result keeps its name for its users.
// RUN: neurojit-opt %s -p 'llm-repair{runner=mock responses="%S/Inputs/hole-guard.txt" proposers=model cache=none}' | FileCheck %s

// CHECK: neurojit.strategy = #neurojit.strategy<source = "mock", model = "hole-guard.txt", attempt = 1,
// CHECK: %c = arith.addi %a, %a : i64
// CHECK-NEXT: %h1 = arith.constant 0 : i64
// CHECK-NEXT: %h2 = arith.constant 1 : i64
// CHECK-NEXT: %h3 = arith.cmpi eq, %b, %h1 : i64
// CHECK-NEXT: %h4 = arith.select %h3, %h2, %b : i64
// CHECK-NEXT: %q = arith.divsi %c, %h4 : i64
// CHECK-NEXT: func.return %q : i64

func.func @div(%a: i64, %b: i64) -> i64 attributes {neurojit.fault = #neurojit.fault<kind = "division-by-zero", message = "integer division by zero", inputs = [7 : i64, 0 : i64], loc = "div.mlir:16:8">} {
  %c = arith.addi %a, %a : i64
  %q = arith.divsi %c, %b : i64
  func.return %q : i64
}
