// RUN: neurojit-opt %s -p convert-arith-to-llvm | FileCheck %s
// RUN: neurojit-opt %s -p convert-arith-to-llvm,finalize-memref-to-llvm,convert-func-to-llvm,convert-cf-to-llvm,reconcile-unrealized-casts | FileCheck %s --check-prefix=CHAIN

// Run on its own, the pass leaves verifiable IR: index values entering llvm ops and i64
// values leaving to unconverted ops cross an unrealized_conversion_cast, as upstream's.
// CHECK-LABEL: func.func @f
// CHECK: %[[A:.*]] = builtin.unrealized_conversion_cast %a : index to i64
// CHECK: %[[S:.*]] = llvm.add %[[A]], %{{.*}} : i64
// CHECK: %[[SI:.*]] = builtin.unrealized_conversion_cast %[[S]] : i64 to index
// CHECK: memref.load %m[%[[SI]]] : memref<?xi64>
// CHECK: cf.br ^{{.*}}(%[[SI]] : index)

// The passes chained one by one, then reconciled, leave no cast at all.
// CHAIN-NOT: unrealized_conversion_cast
// CHAIN: llvm.func @f(
// CHAIN-NOT: unrealized_conversion_cast
func.func @f(%a: index, %m: memref<?xi64>) -> index {
  %c1 = arith.constant 1 : index
  %s = arith.addi %a, %c1 : index
  %v = memref.load %m[%s] : memref<?xi64>
  cf.br ^bb1(%s : index)
^bb1(%x: index):
  return %x : index
}
