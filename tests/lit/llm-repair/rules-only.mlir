// proposers=rules: no model at all; a template instantiated at the faulting op is accepted.
// (For the recursion: its result is multiplied, so the base case returns 1, not 0.)
// RUN: neurojit-opt %s --split-input-file -p 'llm-repair{proposers=rules cache=none}' | FileCheck %s

// CHECK-LABEL: func.func @div
// CHECK-SAME:    #neurojit.strategy<source = "rules", model = "zero-result", attempt = 1
// CHECK:         %[[Z:.*]] = arith.cmpi eq, %b, %{{.*}} : i64
// CHECK:         %[[M1:.*]] = arith.cmpi eq, %b, %{{.*}} : i64
// CHECK:         %[[MIN:.*]] = arith.cmpi eq, %a, %{{.*}} : i64
// CHECK:         %[[OVF:.*]] = arith.andi %[[M1]], %[[MIN]] : i1
// CHECK:         %[[BAD:.*]] = arith.ori %[[Z]], %[[OVF]] : i1
// CHECK:         %[[D:.*]] = arith.select %[[BAD]], %{{.*}}, %b : i64
// CHECK:         %[[Q:.*]] = arith.divsi %a, %[[D]] : i64
// CHECK:         %[[R:.*]] = arith.select %[[BAD]], %{{.*}}, %[[Q]] : i64
// CHECK:         func.return %[[R]] : i64
func.func @div(%a: i64, %b: i64) -> i64 attributes {neurojit.fault = #neurojit.fault<kind = "signed-overflow", message = "INT64_MIN / -1", inputs = [-9223372036854775808 : i64, -1 : i64]>} {
  %q = arith.divsi %a, %b : i64
  func.return %q : i64
}

// -----

// CHECK-LABEL: func.func @lookup
// CHECK-SAME:    #neurojit.strategy<source = "rules", model = "guard-access", attempt = 1
// CHECK:         %[[LT:.*]] = arith.cmpi slt, %i, %{{.*}} : index
// CHECK:         %[[V:.*]] = scf.if %{{.*}} -> (i64) {
// CHECK-NEXT:      %[[L:.*]] = memref.load %t[%i] : memref<4xi64>
// CHECK-NEXT:      scf.yield %[[L]] : i64
// CHECK-NEXT:    } else {
// CHECK:         func.return %[[V]] : i64
func.func @lookup(%t: memref<4xi64>, %i: index) -> i64 attributes {neurojit.fault = #neurojit.fault<kind = "out-of-bounds", message = "index 9 not in [0, 4)">} {
  %v = memref.load %t[%i] : memref<4xi64>
  func.return %v : i64
}

// -----

// CHECK-LABEL: func.func @fact
// CHECK-SAME:    #neurojit.strategy<source = "rules", model = "base-case(arg0 sle 0 -> one)", attempt = 1
// CHECK:         %[[STOP:.*]] = arith.cmpi sle, %{{.*}}, %{{.*}} : i64
// CHECK:         cf.cond_br %[[STOP]], ^[[BASE:.*]], ^[[REC:[a-z0-9]*]](%{{.*}} : i64)
// CHECK:       ^[[BASE]]:
// CHECK-NEXT:    %[[ONE:.*]] = arith.constant 1 : i64
// CHECK-NEXT:    func.return %[[ONE]] : i64
// CHECK:       ^[[REC]](%n: i64):
// CHECK:         func.call @fact
func.func @fact(%n: i64) -> i64 attributes {neurojit.fault = #neurojit.fault<kind = "stack-overflow", message = "stack overflow", inputs = [-1 : i64]>} {
  %one = arith.constant 1 : i64
  %m = arith.subi %n, %one : i64
  %r = func.call @fact(%m) : (i64) -> i64
  %p = arith.muli %n, %r : i64
  func.return %p : i64
}

// -----

// CHECK-LABEL: func.func @sum
// CHECK-SAME:    #neurojit.strategy<source = "rules", model = "positive-step", attempt = 1
// CHECK:         %[[POS:.*]] = arith.cmpi sgt, %step, %{{.*}} : index
// CHECK:         %[[S:.*]] = arith.select %[[POS]], %step, %{{.*}} : index
// CHECK:         scf.for %{{.*}} = %{{.*}} to %{{.*}} step %[[S]]
func.func @sum(%n: index, %step: index) -> i64 attributes {neurojit.fault = #neurojit.fault<kind = "timeout", message = "no progress", inputs = [4 : index, 0 : index]>} {
  %lb = arith.constant 0 : index
  %z = arith.constant 0 : i64
  %one = arith.constant 1 : i64
  %r = scf.for %i = %lb to %n step %step iter_args(%acc = %z) -> (i64) {
    %next = arith.addi %acc, %one : i64
    scf.yield %next : i64
  }
  func.return %r : i64
}
