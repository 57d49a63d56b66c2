// RUN: not neurojit-opt %s -t llvm 2>&1 | FileCheck %s

// An op nothing lowers is reported at its source position, naming the op; no traceback.
// CHECK: unsupported-op.mlir:9:3: error: cannot lower 'math.ipowi' to LLVM
// CHECK-NOT: Traceback
func.func @f(%a: i64) -> i64 {
  %c = arith.constant 2 : i64
  %s = arith.addi %a, %c : i64
  %r = math.ipowi %s, %c : i64
  return %r : i64
}
