// RUN: neurojit-opt %s -p neurojit-insert-checks --split-input-file | FileCheck %s

// A signed division gets a zero-divisor check and an INT_MIN / -1 check, both before it:
// the conditions first, then the checks back to back (lowered as one branch).
// CHECK-LABEL: func.func @divsi
// CHECK-SAME: (%[[A:.*]]: i64, %[[B:.*]]: i64)
// CHECK: %[[Z:.*]] = arith.constant 0 : i64
// CHECK: %[[NZ:.*]] = arith.cmpi ne, %[[B]], %[[Z]] : i64
// CHECK: %[[MIN:.*]] = arith.constant -9223372036854775808 : i64
// CHECK: %[[ISMIN:.*]] = arith.cmpi eq, %[[A]], %[[MIN]] : i64
// CHECK: %[[M1:.*]] = arith.constant -1 : i64
// CHECK: %[[ISM1:.*]] = arith.cmpi eq, %[[B]], %[[M1]] : i64
// CHECK: %[[BOTH:.*]] = arith.andi %[[ISMIN]], %[[ISM1]] : i1
// CHECK: %[[OK:.*]] = arith.xori %[[BOTH]], %{{.*}} : i1
// CHECK-NEXT: neurojit.check %[[NZ]], "division-by-zero", "divisor is zero in {0} / {1}" (%[[A]] : i64, %[[B]] : i64)
// CHECK-NEXT: neurojit.check %[[OK]], "signed-overflow", "{0} / {1} overflows" (%[[A]] : i64, %[[B]] : i64)
// CHECK-NEXT: arith.divsi %[[A]], %[[B]] : i64
func.func @divsi(%a: i64, %b: i64) -> i64 {
  %q = arith.divsi %a, %b : i64
  return %q : i64
}

// -----

// i32 uses i32's INT_MIN; remainders say `%`.
// CHECK-LABEL: func.func @remsi32
// CHECK: arith.constant -2147483648 : i32
// CHECK: "divisor is zero in {0} % {1}"
// CHECK: "signed-overflow", "{0} % {1} overflows"
// CHECK: arith.remsi
func.func @remsi32(%a: i32, %b: i32) -> i32 {
  %q = arith.remsi %a, %b : i32
  return %q : i32
}

// -----

// Unsigned division and remainder can only divide by zero.
// CHECK-LABEL: func.func @unsigned
// CHECK: "division-by-zero", "divisor is zero in {0} / {1}"
// CHECK-NOT: signed-overflow
// CHECK: arith.divui
// CHECK: "division-by-zero", "divisor is zero in {0} % {1}"
// CHECK-NOT: signed-overflow
// CHECK: arith.remui
func.func @unsigned(%a: i64, %b: i64) -> i64 {
  %q = arith.divui %a, %b : i64
  %r = arith.remui %q, %b : i64
  return %r : i64
}

// -----

// Static outcomes fold: a constant non-zero divisor other than -1 needs no check at all;
// a constant dividend other than INT_MIN needs no overflow check.
// CHECK-LABEL: func.func @folded
// CHECK-NOT: neurojit.check
// CHECK: arith.divsi
// CHECK: "division-by-zero"
// CHECK-NOT: signed-overflow
// CHECK: arith.divsi
// CHECK: return
func.func @folded(%a: i64, %b: i64) -> i64 {
  %c7 = arith.constant 7 : i64
  %q = arith.divsi %a, %c7 : i64
  %r = arith.divsi %c7, %b : i64
  %s = arith.addi %q, %r : i64
  return %s : i64
}

// -----

// A check known to fail stays, on a constant false: the run reports it at this op.
// CHECK-LABEL: func.func @always_zero
// CHECK: %[[F:.*]] = arith.constant false
// CHECK: neurojit.check %[[F]], "division-by-zero"
// CHECK: %[[F2:.*]] = arith.constant false
// CHECK: neurojit.check %[[F2]], "signed-overflow"
func.func @always_zero(%a: i64) -> i64 {
  %z = arith.constant 0 : i64
  %q = arith.divsi %a, %z : i64
  %min = arith.constant -9223372036854775808 : i64
  %m1 = arith.constant -1 : i64
  %r = arith.divsi %min, %m1 : i64
  %s = arith.addi %q, %r : i64
  return %s : i64
}

// -----

// Division on index: 64-bit INT_MIN.
// CHECK-LABEL: func.func @index_div
// CHECK: arith.cmpi ne, %{{.*}}, %{{.*}} : index
// CHECK: arith.constant -9223372036854775808 : index
// CHECK: arith.floordivsi
func.func @index_div(%a: index, %b: index) -> index {
  %q = arith.floordivsi %a, %b : index
  return %q : index
}
