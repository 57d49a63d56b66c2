// RUN: neurojit-opt %s -p finalize-memref-to-llvm --split-input-file | FileCheck %s

// alloc: malloc(count * element size), row-major strides; static shapes fold to constants.
// CHECK-LABEL: func.func @alloc_static
// CHECK: %[[BYTES:.*]] = llvm.mlir.constant(96) : i64
// CHECK: %[[P:.*]] = llvm.call @malloc(%[[BYTES]]) : (i64) -> !llvm.ptr
// CHECK: llvm.mlir.undef : !llvm.struct<(!llvm.ptr, !llvm.ptr, i64, !llvm.array<2 x i64>, !llvm.array<2 x i64>)>
// CHECK: llvm.insertvalue %[[P]], %{{.*}}[0]
// CHECK: llvm.insertvalue %[[P]], %{{.*}}[1]
// CHECK: llvm.call @free
// CHECK: llvm.func @malloc(i64) -> !llvm.ptr
// CHECK: llvm.func @free(!llvm.ptr)
func.func @alloc_static() {
  %m = memref.alloc() : memref<3x4xf64>
  memref.dealloc %m : memref<3x4xf64>
  return
}

// -----

// Dynamic sizes: the byte count is computed, and `alignment` over-allocates then rounds up.
// CHECK-LABEL: func.func @alloc_dynamic
// CHECK: %[[ROW:.*]] = llvm.mul %{{.*}}, %{{.*}} : i64
// CHECK: llvm.add %{{.*}}, %{{.*}} : i64
// CHECK: %[[P:.*]] = llvm.call @malloc
// CHECK: llvm.ptrtoint %[[P]] : !llvm.ptr to i64
// CHECK: llvm.and
// CHECK: llvm.inttoptr
func.func @alloc_dynamic(%n: index) -> f32 {
  %c0 = arith.constant 0 : index
  %m = memref.alloc(%n) {alignment = 64 : i64} : memref<?x8xf32>
  %v = memref.load %m[%c0, %c0] : memref<?x8xf32>
  return %v : f32
}

// -----

// load/store: aligned pointer + offset + sum(index * stride); unit strides fold away.
// CHECK-LABEL: func.func @load_store
// CHECK: %[[ROWS:.*]] = llvm.mlir.constant(5) : i64
// CHECK: %[[LIN:.*]] = llvm.mul %{{.*}}, %[[ROWS]] : {{.*}}
// CHECK: %[[SUM:.*]] = llvm.add %[[LIN]], %{{.*}} : {{.*}}
// CHECK: %[[BASE:.*]] = llvm.extractvalue %{{.*}}[1]
// CHECK: %[[ADDR:.*]] = llvm.getelementptr %[[BASE]][%[[SUM]]] : (!llvm.ptr, i64) -> !llvm.ptr, i32
// CHECK: llvm.load %[[ADDR]] : !llvm.ptr -> i32
// CHECK: llvm.store
func.func @load_store(%m: memref<4x5xi32>, %i: index, %j: index) {
  %v = memref.load %m[%i, %j] : memref<4x5xi32>
  memref.store %v, %m[%j, %i] : memref<4x5xi32>
  return
}

// -----

// dim: a constant for static dims, the descriptor's size field for dynamic ones.
// CHECK-LABEL: func.func @dims
// CHECK: llvm.mlir.constant(7) : i64
// CHECK: llvm.extractvalue %{{.*}}[3, 0]
func.func @dims(%m: memref<?x7xf32>) -> index {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %a = memref.dim %m, %c1 : memref<?x7xf32>
  %b = memref.dim %m, %c0 : memref<?x7xf32>
  %s = arith.addi %a, %b : index
  return %s : index
}

// -----

// global: a flat constant array; get_global wraps its address in a static descriptor.
// CHECK: llvm.mlir.global internal constant @lut(dense<{{\[\[}}1, 2, 3], [4, 5, 6]]> : tensor<2x3xi32>) {{.*}}: !llvm.array<6 x i32>
// CHECK-LABEL: func.func @lookup
// CHECK: llvm.mlir.addressof @lut : !llvm.ptr
memref.global "private" constant @lut : memref<2x3xi32> = dense<[[1, 2, 3], [4, 5, 6]]>
func.func @lookup(%i: index) -> i32 {
  %g = memref.get_global @lut : memref<2x3xi32>
  %v = memref.load %g[%i, %i] : memref<2x3xi32>
  return %v : i32
}

// -----

// subview: offset += off_i * stride_i, strides scale by the steps, sizes replaced; a static
// result layout supplies the constants directly.
// CHECK-LABEL: func.func @subview
// CHECK: llvm.mlir.undef : !llvm.struct<(!llvm.ptr, !llvm.ptr, i64, !llvm.array<1 x i64>, !llvm.array<1 x i64>)>
// CHECK: llvm.mlir.constant(9) : i64
// CHECK: llvm.mlir.constant(3) : i64
// CHECK: llvm.mlir.constant(16) : i64
func.func @subview(%m: memref<8x8xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  %s = memref.subview %m[1, 1] [1, 3] [2, 2] : memref<8x8xf32> to memref<3xf32, strided<[2], offset: 9>>
  %t = memref.subview %m[2, 0] [1, 8] [1, 2] : memref<8x8xf32> to memref<8xf32, strided<[2], offset: 16>>
  %v = memref.load %s[%c0] : memref<3xf32, strided<[2], offset: 9>>
  return %v : f32
}

// -----

// reinterpret_cast keeps the pointers and takes the given offset/sizes/strides.
// CHECK-LABEL: func.func @reinterpret
// CHECK: llvm.extractvalue %{{.*}}[0]
// CHECK: llvm.extractvalue %{{.*}}[1]
// CHECK: llvm.mlir.constant(2) : i64
func.func @reinterpret(%m: memref<16xi64>, %n: index) -> i64 {
  %c0 = arith.constant 0 : index
  %r = memref.reinterpret_cast %m to offset: [2], sizes: [%n, 4], strides: [4, 1] : memref<16xi64> to memref<?x4xi64, strided<[4, 1], offset: 2>>
  %v = memref.load %r[%c0, %c0] : memref<?x4xi64, strided<[4, 1], offset: 2>>
  return %v : i64
}

// -----

// alloca: stack storage, no free.
// CHECK-LABEL: func.func @stack
// CHECK: llvm.alloca %{{.*}} x i64
// CHECK-NOT: @free
func.func @stack() -> i64 {
  %c0 = arith.constant 0 : index
  %a = memref.alloca() : memref<4xi64>
  %v = memref.load %a[%c0] : memref<4xi64>
  return %v : i64
}
