// RUN: not neurojit-opt %s -p reconcile-unrealized-casts 2>&1 | FileCheck %s

// A live cast that nothing cancels is an error naming the op.
// CHECK: live-cast-error.mlir:6:3: error: cannot lower 'builtin.unrealized_conversion_cast' to LLVM: an unrealized conversion cast remains live
func.func @live(%arg0: i64) -> index {
  %0 = builtin.unrealized_conversion_cast %arg0 : i64 to index
  return %0 : index
}
