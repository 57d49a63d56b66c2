// An operand-hole answer (ops only, ending with %safe) is spliced in front of the faulting
// op, which then reads %safe in place of its divisor; the ops before it stay, and the
// op's result keeps its name for its users.
// RUN: neurojit-opt %s -p 'llm-repair{runner=mock responses="%S/Inputs/hole-operand.txt" proposers=model cache=none}' | FileCheck %s
// An op-hole answer (the second attempt here) is spliced in place of the faulting op.
// RUN: neurojit-opt %s -p 'llm-repair{runner=mock responses="%S/Inputs/hole-operand-then-op.txt" proposers=model cache=none}' | FileCheck %s --check-prefix=OP

// CHECK: neurojit.strategy = #neurojit.strategy<source = "mock", model = "hole-operand.txt", attempt = 1,
// CHECK: %c = arith.addi %a, %a : i64
// CHECK-NEXT: %h1 = arith.constant 0 : i64
// CHECK-NEXT: %h2 = arith.constant 1 : i64
// CHECK-NEXT: %h3 = arith.cmpi eq, %b, %h1 : i64
// CHECK-NEXT: %safe = arith.select %h3, %h2, %b : i64
// CHECK-NEXT: %q = arith.divsi %c, %safe : i64
// CHECK-NEXT: func.return %q : i64

// OP: neurojit.strategy = #neurojit.strategy<source = "mock", model = "hole-operand-then-op.txt", attempt = 2,
// OP: %c = arith.addi %a, %a : i64
// OP-NEXT: %h1 = arith.constant 0 : i64
// OP-NEXT: %h2 = arith.constant 1 : i64
// OP-NEXT: %h3 = arith.cmpi eq, %b, %h1 : i64
// OP-NEXT: %h4 = arith.select %h3, %h2, %b : i64
// OP-NEXT: %q = arith.divsi %c, %h4 : i64
// OP-NEXT: func.return %q : i64

func.func @div(%a: i64, %b: i64) -> i64 attributes {neurojit.fault = #neurojit.fault<kind = "division-by-zero", message = "integer division by zero", inputs = [7 : i64, 0 : i64], loc = "div.mlir:28:8">} {
  %c = arith.addi %a, %a : i64
  %q = arith.divsi %c, %b : i64
  func.return %q : i64
}
