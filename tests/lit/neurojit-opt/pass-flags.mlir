// mlir-opt-style pass flags and xdsl-opt's -p build the same pipeline, in command-line order.
// RUN: neurojit-opt %s --canonicalize --cse | FileCheck %s
// RUN: neurojit-opt %s -p 'canonicalize,cse' | FileCheck %s
// RUN: neurojit-opt %s -p canonicalize --cse | FileCheck %s
// RUN: neurojit-opt %s --passes=canonicalize -cse | FileCheck %s
// RUN: neurojit-opt %s | FileCheck %s --check-prefix=NOPASS
// mlir-opt's own spellings: one dash, and the mlir- prefix on printing flags.
// RUN: neurojit-opt %s -canonicalize -cse -mlir-print-op-generic | FileCheck %s --check-prefix=GENERIC

// canonicalize folds 2 + 3, cse merges the two identical muls.
// CHECK-LABEL: func.func @fold(
// CHECK-NEXT: %[[C:.*]] = arith.constant 5 : i64
// CHECK-NEXT: %[[M:.*]] = arith.muli %x, %[[C]] : i64
// CHECK-NEXT: %[[S:.*]] = arith.addi %[[M]], %[[M]] : i64
// CHECK-NEXT: func.return %[[S]] : i64
// GENERIC: "arith.constant"() <{value = 5 : i64}> : () -> i64
// GENERIC-NOT: "arith.constant"
// NOPASS: arith.constant 2 : i64
// NOPASS: arith.constant 3 : i64
func.func @fold(%x: i64) -> i64 {
  %a = arith.constant 2 : i64
  %b = arith.constant 3 : i64
  %c = arith.addi %a, %b : i64
  %m1 = arith.muli %x, %c : i64
  %m2 = arith.muli %x, %c : i64
  %s = arith.addi %m1, %m2 : i64
  func.return %s : i64
}
