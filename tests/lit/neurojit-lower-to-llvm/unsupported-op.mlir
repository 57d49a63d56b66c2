// RUN: not neurojit-opt %s -t llvm 2>&1 | FileCheck %s

// An op nothing lowers is reported at its source position, naming the op; no traceback.
// CHECK: unsupported-op.mlir:9:3: error: cannot lower 'memref.atomic_rmw' to LLVM
// CHECK-NOT: Traceback
func.func @f(%m: memref<4xi64>, %v: i64) -> i64 {
  %c = arith.constant 2 : index
  %s = arith.addi %v, %v : i64
  %r = "memref.atomic_rmw"(%s, %m, %c) <{kind = 0 : i64}> : (i64, memref<4xi64>, index) -> i64
  return %r : i64
}
