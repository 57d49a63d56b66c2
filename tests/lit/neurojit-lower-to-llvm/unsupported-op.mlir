// RUN: not neurojit-opt %s -t llvm 2>&1 | FileCheck %s

// An op nothing lowers is reported at its source position, naming the op; no traceback.
// CHECK: unsupported-op.mlir:9:3: error: cannot lower 'memref.view' to LLVM
// CHECK-NOT: Traceback
func.func @f(%a: i64) -> f32 {
  %c0 = arith.constant 0 : index
  %buf = memref.alloc() : memref<2048xi8>
  %v = memref.view %buf[%c0][] : memref<2048xi8> to memref<64x4xf32>
  %x = memref.load %v[%c0, %c0] : memref<64x4xf32>
  return %x : f32
}
