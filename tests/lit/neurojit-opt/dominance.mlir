// xDSL 0.74's verifier does not check dominance; ours does, as mlir-opt does.
// RUN: neurojit-opt %s --split-input-file --verify-diagnostics
// RUN: not neurojit-opt %s --split-input-file 2>&1 | FileCheck %s
// The same files are rejected by upstream too.
// RUN: %if mlir-opt %{ not %mlir-opt %s --split-input-file 2>&1 | FileCheck %s --check-prefix=UPSTREAM %}

// CHECK: dominance.mlir:[[# @LINE + 4]]:3: error: 'arith.addi' uses %t before it is defined
// UPSTREAM: offset :[[# @LINE + 3]]:{{[0-9]+}}: error: operand #1 does not dominate this use
func.func @use_before_def(%a: i64, %b: i64) -> i64 {
  // expected-error @+1 {{'arith.addi' uses %t before it is defined}}
  %s = arith.addi %a, %t : i64
  %t = arith.muli %b, %b : i64
  func.return %s : i64
}

// -----

func.func @not_dominating(%c: i1, %a: i64) -> i64 {
  cf.cond_br %c, ^then, ^join
^then:
  %x = arith.addi %a, %a : i64
  cf.br ^join
^join:
  // expected-error @+1 {{'func.return' uses %x whose definition does not dominate it}}
  func.return %x : i64
}
