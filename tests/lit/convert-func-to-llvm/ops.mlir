// RUN: neurojit-opt %s -p convert-func-to-llvm --split-input-file | FileCheck %s

// CHECK-LABEL: llvm.func @scalar(%{{.*}}: i64, %{{.*}}: f32) -> i64
// CHECK: llvm.return %{{.*}} : i64
func.func @scalar(%a: index, %x: f32) -> index {
  return %a : index
}

// -----

// Several results come back as one literal struct; callers unpack it with extractvalue.
// CHECK-LABEL: llvm.func @pair(
// CHECK-SAME: %[[A:.*]]: i64, %[[B:.*]]: i32) -> !llvm.struct<(i64, i32)>
// CHECK: %[[U:.*]] = llvm.mlir.undef : !llvm.struct<(i64, i32)>
// CHECK: %[[S0:.*]] = llvm.insertvalue %[[A]], %[[U]][0] : !llvm.struct<(i64, i32)>
// CHECK: %[[S1:.*]] = llvm.insertvalue %[[B]], %[[S0]][1] : !llvm.struct<(i64, i32)>
// CHECK: llvm.return %[[S1]] : !llvm.struct<(i64, i32)>
// CHECK-LABEL: llvm.func @use_pair
// CHECK: %[[R:.*]] = llvm.call @pair(%{{.*}}, %{{.*}}) : (i64, i32) -> !llvm.struct<(i64, i32)>
// CHECK: llvm.extractvalue %[[R]][0] : !llvm.struct<(i64, i32)>
// CHECK: llvm.extractvalue %[[R]][1] : !llvm.struct<(i64, i32)>
func.func @pair(%a: i64, %b: i32) -> (i64, i32) {
  return %a, %b : i64, i32
}
func.func @use_pair(%a: i64, %b: i32) -> i32 {
  %r:2 = func.call @pair(%a, %b) : (i64, i32) -> (i64, i32)
  return %r#1 : i32
}

// -----

// A memref argument expands to (allocated, aligned, offset, sizes..., strides...), as
// upstream's default convention; the body sees the rebuilt descriptor.
// CHECK-LABEL: llvm.func @takes_memref(%{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: i64, %{{.*}}: i64, %{{.*}}: i64, %{{.*}}: i64, %{{.*}}: i64, %{{.*}}: i64)
// CHECK: llvm.mlir.undef : !llvm.struct<(!llvm.ptr, !llvm.ptr, i64, !llvm.array<2 x i64>, !llvm.array<2 x i64>)>
// CHECK-COUNT-7: llvm.insertvalue
func.func @takes_memref(%m: memref<?x4xf32>, %k: i64) -> i64 {
  return %k : i64
}

// -----

// Recursion: a direct call to itself.
// CHECK-LABEL: llvm.func @rec(%{{.*}}: i64) -> i64
// CHECK: llvm.call @rec(%{{.*}}) : (i64) -> i64
func.func @rec(%n: i64) -> i64 {
  %r = func.call @rec(%n) : (i64) -> i64
  return %r : i64
}

// -----

// Private definitions are internal; declarations stay external.
// CHECK: llvm.func internal @helper
// CHECK: llvm.func @ext(i64) -> i64
func.func private @helper() {
  return
}
func.func private @ext(i64) -> i64
