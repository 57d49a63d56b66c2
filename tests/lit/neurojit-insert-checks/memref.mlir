// RUN: neurojit-opt %s -p neurojit-insert-checks --split-input-file | FileCheck %s

// One unsigned compare per index (a negative index is a huge unsigned one).
// CHECK-LABEL: func.func @load2d
// CHECK-SAME: (%[[M:.*]]: memref<4x?xf64>, %[[I:.*]]: index, %[[J:.*]]: index)
// CHECK: %[[D0:.*]] = arith.constant 4 : index
// CHECK: %[[OK0:.*]] = arith.cmpi ult, %[[I]], %[[D0]] : index
// CHECK: %[[C1:.*]] = arith.constant 1 : index
// CHECK: %[[D1:.*]] = memref.dim %[[M]], %[[C1]] : memref<4x?xf64>
// CHECK: %[[OK1:.*]] = arith.cmpi ult, %[[J]], %[[D1]] : index
// CHECK-NEXT: neurojit.check %[[OK0]], "out-of-bounds", "index {0} not in [0, {1})" (%[[I]] : index, %[[D0]] : index)
// CHECK-NEXT: neurojit.check %[[OK1]], "out-of-bounds", "index {0} not in [0, {1})" (%[[J]] : index, %[[D1]] : index)
// CHECK-NEXT: memref.load %[[M]][%[[I]], %[[J]]]
func.func @load2d(%m: memref<4x?xf64>, %i: index, %j: index) -> f64 {
  %v = memref.load %m[%i, %j] : memref<4x?xf64>
  return %v : f64
}

// -----

// CHECK-LABEL: func.func @store
// CHECK: arith.cmpi ult
// CHECK: neurojit.check %{{.*}}, "out-of-bounds"
// CHECK-NEXT: memref.store
func.func @store(%m: memref<8xi32>, %i: index, %v: i32) {
  memref.store %v, %m[%i] : memref<8xi32>
  return
}

// -----

// Constant indices inside a static shape need nothing; outside, a check on false.
// CHECK-LABEL: func.func @constant_indices
// CHECK-NOT: neurojit.check
// CHECK: memref.load
// CHECK: %[[F:.*]] = arith.constant false
// CHECK: neurojit.check %[[F]], "out-of-bounds"
// CHECK: memref.load
func.func @constant_indices(%m: memref<4xi64>) -> i64 {
  %c3 = arith.constant 3 : index
  %c4 = arith.constant 4 : index
  %a = memref.load %m[%c3] : memref<4xi64>
  %b = memref.load %m[%c4] : memref<4xi64>
  %s = arith.addi %a, %b : i64
  return %s : i64
}

// -----

// The contiguous loop `for i in [0, dim(A, 0))` indexes A in bounds by construction: no
// check. The same induction variable used on B (another memref) keeps its check, and so
// does a loop bound that exceeds the static size.
// CHECK-LABEL: func.func @loops
// CHECK: scf.for
// CHECK-NOT: neurojit.check
// CHECK: memref.load %{{.*}}[%[[I:.*]]] : memref<?xf64>
// CHECK: neurojit.check %{{.*}}, "out-of-bounds"
// CHECK-NEXT: memref.load %{{.*}} : memref<?xf64>
// CHECK: scf.for
// CHECK-NOT: neurojit.check
// CHECK: memref.load %{{.*}} : memref<8xf64>
// CHECK: scf.for
// CHECK: neurojit.check %{{.*}}, "out-of-bounds"
// CHECK-NEXT: memref.load %{{.*}} : memref<8xf64>
func.func @loops(%A: memref<?xf64>, %B: memref<?xf64>, %C: memref<8xf64>) -> f64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %c9 = arith.constant 9 : index
  %n = memref.dim %A, %c0 : memref<?xf64>
  %z = arith.constant 0.0 : f64
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %z) -> (f64) {
    %x = memref.load %A[%i] : memref<?xf64>
    %y = memref.load %B[%i] : memref<?xf64>
    %s = arith.addf %x, %y : f64
    %t = arith.addf %acc, %s : f64
    scf.yield %t : f64
  }
  %r2 = scf.for %i = %c0 to %c8 step %c1 iter_args(%acc = %r) -> (f64) {
    %x = memref.load %C[%i] : memref<8xf64>
    %t = arith.addf %acc, %x : f64
    scf.yield %t : f64
  }
  %r3 = scf.for %i = %c0 to %c9 step %c1 iter_args(%acc = %r2) -> (f64) {
    %x = memref.load %C[%i] : memref<8xf64>
    %t = arith.addf %acc, %x : f64
    scf.yield %t : f64
  }
  return %r3 : f64
}
