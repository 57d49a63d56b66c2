// RUN: neurojit-opt %s -p 'neurojit-insert-checks{check-float=true}' | FileCheck %s
// RUN: neurojit-opt %s -p neurojit-insert-checks | FileCheck %s --check-prefix=OFF

// With check-float=true a float result must be finite: |x| < inf is false for NaN and ±inf.
// CHECK-LABEL: func.func @ratio
// CHECK: %[[Q:.*]] = arith.divf
// CHECK-NEXT: %[[ABS:.*]] = math.absf %[[Q]] : f64
// CHECK-NEXT: %[[INF:.*]] = arith.constant {{0x7[fF][fF]0+}} : f64
// CHECK-NEXT: %[[OK:.*]] = arith.cmpf olt, %[[ABS]], %[[INF]] : f64
// CHECK-NEXT: neurojit.check %[[OK]], "trap", "arith.divf result {0} is not finite" (%[[Q]] : f64)
// CHECK: math.sqrt
// CHECK: neurojit.check %{{.*}}, "trap", "math.sqrt result {0} is not finite"
// OFF-NOT: neurojit.check
func.func @ratio(%a: f64, %b: f64) -> f64 {
  %q = arith.divf %a, %b : f64
  %r = math.sqrt %q : f64
  return %r : f64
}
