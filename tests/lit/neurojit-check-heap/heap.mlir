// RUN: neurojit-opt %s -p neurojit-lower-to-llvm,neurojit-check-heap --split-input-file | FileCheck %s

// Allocation goes through the checked heap's nj_malloc; each free becomes nj_dealloc with two
// site descriptors at the memref.dealloc's location (not allocated by this call / freed
// already), and the libc declarations nothing calls any more are gone.
// CHECK: llvm.mlir.global private constant @[[FOREIGN:nj_site_[0-9]+]]("invalid-free\1Fmemref.dealloc of memory this call did not allocate (an argument, a global, a stack buffer or a buffer from an earlier call)\1F{{.*}}heap.mlir:[[# @LINE + 12]]:3\1Ff\1F\00")
// CHECK: llvm.mlir.global private constant @[[DOUBLE:nj_site_[0-9]+]]("invalid-free\1Fmemref.dealloc of a buffer this call already freed (double free)\1F{{.*}}heap.mlir:[[# @LINE + 11]]:3\1Ff\1F\00")
// CHECK-LABEL: llvm.func @f
// CHECK: %[[P:.*]] = llvm.call @nj_malloc(%{{.*}}) : (i64) -> !llvm.ptr
// CHECK: %[[A:.*]] = llvm.extractvalue %{{.*}}[0]
// CHECK: llvm.mlir.addressof @[[FOREIGN]]
// CHECK: llvm.mlir.addressof @[[DOUBLE]]
// CHECK: llvm.call @nj_dealloc(%[[A]], %{{.*}}, %{{.*}}) : (!llvm.ptr, i64, i64) -> ()
// CHECK-NOT: llvm.func @malloc
// CHECK-NOT: llvm.func @free
func.func @f(%n: index) {
  %m = memref.alloc(%n) : memref<?xi64>
  memref.dealloc %m : memref<?xi64>
  return
}

// -----

// Nothing allocated on the heap: nothing changes (an alloca is not the heap's).
// CHECK-LABEL: llvm.func @g
// CHECK-NOT: nj_malloc
// CHECK-NOT: nj_dealloc
// CHECK: llvm.return
func.func @g() -> i64 {
  %m = memref.alloca() : memref<2xi64>
  %c0 = arith.constant 0 : index
  %v = memref.load %m[%c0] : memref<2xi64>
  return %v : i64
}
