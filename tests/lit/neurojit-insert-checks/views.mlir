// RUN: neurojit-opt %s -p neurojit-insert-checks --split-input-file | FileCheck %s

// A subview gets one check per source dimension, before the view is made: offset, size and
// stride against the dimension's extent (static here, memref.dim when dynamic).
// CHECK-LABEL: func.func @subview
// CHECK: neurojit.check %{{.*}}, "out-of-bounds", "memref.subview slice of dimension 0 at offset {0} leaves [0, {1})" (%[[O:.*]] : index, %{{.*}} : index)
// CHECK-NEXT: neurojit.check %{{.*}}, "out-of-bounds", "memref.subview slice of dimension 1 at offset {0} leaves [0, {1})"
// CHECK-NEXT: memref.subview
func.func @subview(%m: memref<8x?xi64>, %o: index, %s: index) -> memref<?x2xi64, strided<[?, 1], offset: ?>> {
  %v = memref.subview %m[%o, 0] [%s, 2] [1, 1] : memref<8x?xi64> to memref<?x2xi64, strided<[?, 1], offset: ?>>
  return %v : memref<?x2xi64, strided<[?, 1], offset: ?>>
}

// -----

// The stride is compared against a quotient, never multiplied by the size: no wrap.
// CHECK-LABEL: func.func @subview_divides
// CHECK: arith.maxui
// CHECK: arith.divui
// CHECK: neurojit.check
// CHECK-NEXT: memref.subview
func.func @subview_divides(%m: memref<16xi64>, %k: index) -> memref<4xi64, strided<[?], offset: 1>> {
  %v = memref.subview %m[1] [4] [%k] : memref<16xi64> to memref<4xi64, strided<[?], offset: 1>>
  return %v : memref<4xi64, strided<[?], offset: 1>>
}

// -----

// A reinterpret_cast of an identity-layout source: the whole new view within the source's
// element count, one check.
// CHECK-LABEL: func.func @reinterpret
// CHECK: %[[D:.*]] = memref.dim %{{.*}}, %{{.*}} : memref<?xi64>
// CHECK: neurojit.check %{{.*}}, "out-of-bounds", "memref.reinterpret_cast view at offset {0} reaches beyond the source's {1} elements"
// CHECK-NEXT: memref.reinterpret_cast
func.func @reinterpret(%m: memref<?xi64>, %n: index) -> memref<?x4xi64, strided<[4, 1], offset: 2>> {
  %r = memref.reinterpret_cast %m to offset: [2], sizes: [%n, 4], strides: [4, 1] : memref<?xi64> to memref<?x4xi64, strided<[4, 1], offset: 2>>
  return %r : memref<?x4xi64, strided<[4, 1], offset: 2>>
}

// -----

// A strided source has no extent known from its aligned pointer: left to the capability
// policy (candidates) and the signal guard.
// CHECK-LABEL: func.func @reinterpret_strided
// CHECK-NOT: neurojit.check
// CHECK: memref.reinterpret_cast
func.func @reinterpret_strided(%m: memref<?xi64, strided<[2]>>) -> memref<4xi64> {
  %r = memref.reinterpret_cast %m to offset: [0], sizes: [4], strides: [1] : memref<?xi64, strided<[2]>> to memref<4xi64>
  return %r : memref<4xi64>
}

// -----

// A dynamic allocation size: non-negative and within MAX_ALLOC_BYTES (2^40) / 8 bytes.
// CHECK-LABEL: func.func @alloc1
// CHECK: %[[LIM:.*]] = arith.constant 137438953472 : index
// CHECK: %[[OK:.*]] = arith.cmpi ule, %[[N:.*]], %[[LIM]] : index
// CHECK: neurojit.check %[[OK]], "out-of-bounds", "memref.alloc size {0} is negative or makes the allocation larger than 1099511627776 bytes (at most {1} here)" (%[[N]] : index, %[[LIM]] : index)
// CHECK: memref.alloc(%[[N]])
func.func @alloc1(%n: index) -> memref<?xi64> {
  %a = memref.alloc(%n) : memref<?xi64>
  return %a : memref<?xi64>
}

// -----

// Two dynamic sizes around a static 3 (12 bytes a row of i32): the first is bounded by
// 2^40 / 12, the second by 2^40 over the bytes of the first, so the
// product is checked before it can wrap.
// CHECK-LABEL: func.func @alloc2
// CHECK: arith.constant 91625968981 : index
// CHECK: arith.maxui
// CHECK: arith.divui
// CHECK: neurojit.check %{{.*}} (%{{.*}}r : index
// CHECK-NEXT: neurojit.check %{{.*}} (%{{.*}}c : index
// CHECK-NEXT: memref.alloca
func.func @alloc2(%r: index, %c: index) -> i32 {
  %a = memref.alloca(%r, %c) : memref<?x3x?xi32>
  %z = arith.constant 0 : i32
  return %z : i32
}

// -----

// Static sizes need no check.
// CHECK-LABEL: func.func @alloc_static
// CHECK-NOT: neurojit.check
func.func @alloc_static() -> memref<4xi64> {
  %a = memref.alloc() : memref<4xi64>
  return %a : memref<4xi64>
}

// -----

// A cast to a static size checks the dynamic size it replaces; the other direction needs none.
// CHECK-LABEL: func.func @cast
// CHECK: %[[D:.*]] = memref.dim %[[M:.*]], %{{.*}} : memref<?x4xi64>
// CHECK: %[[N:.*]] = arith.constant 8 : index
// CHECK: %[[OK:.*]] = arith.cmpi eq, %[[D]], %[[N]] : index
// CHECK-NEXT: neurojit.check %[[OK]], "out-of-bounds", "memref.cast of dimension 0: size {0} is not {1}"
// CHECK-NEXT: memref.cast %[[M]] : memref<?x4xi64> to memref<8x4xi64>
// CHECK-NOT: neurojit.check
// CHECK: memref.cast %{{.*}} : memref<8x4xi64> to memref<?x4xi64>
func.func @cast(%m: memref<?x4xi64>) -> memref<?x4xi64> {
  %s = memref.cast %m : memref<?x4xi64> to memref<8x4xi64>
  %t = memref.cast %s : memref<8x4xi64> to memref<?x4xi64>
  return %t : memref<?x4xi64>
}
