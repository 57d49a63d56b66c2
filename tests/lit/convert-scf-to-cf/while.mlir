// RUN: neurojit-opt %s -p convert-scf-to-cf --split-input-file | FileCheck %s

// scf.while: the entry branches to the "before" block, which tests and either enters the
// "after" block or leaves with the forwarded values; "after" branches back.
// CHECK-LABEL: func.func @count
// CHECK:   cf.br ^[[BEFORE:.*]](%{{.*}} : i64)
// CHECK: ^[[BEFORE]](%[[I:.*]]: i64):
// CHECK:   %[[C:.*]] = arith.cmpi slt, %[[I]], %{{.*}} : i64
// CHECK:   cf.cond_br %[[C]], ^[[AFTER:.*]](%[[I]] : i64), ^[[EXIT:.*]](%[[I]] : i64)
// CHECK: ^[[AFTER]](%[[J:.*]]: i64):
// CHECK:   %[[N:.*]] = arith.addi %[[J]]
// CHECK:   cf.br ^[[BEFORE]](%[[N]] : i64)
// CHECK: ^[[EXIT]](%[[R:.*]]: i64):
// CHECK:   func.return %[[R]] : i64
func.func @count(%n: i64) -> i64 {
  %c0 = arith.constant 0 : i64
  %c1 = arith.constant 1 : i64
  %r = scf.while (%i = %c0) : (i64) -> i64 {
    %lt = arith.cmpi slt, %i, %n : i64
    scf.condition(%lt) %i : i64
  } do {
  ^bb0(%j: i64):
    %next = arith.addi %j, %c1 : i64
    scf.yield %next : i64
  }
  return %r : i64
}

// -----

// Nested: a while inside a for inside an if are all lowered in the one walk.
// CHECK-LABEL: func.func @nested
// CHECK-NOT: scf.
// CHECK: func.return
func.func @nested(%c: i1, %n: index) -> i64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %z = arith.constant 0 : i64
  %r = scf.if %c -> (i64) {
    %s = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %z) -> (i64) {
      %w = scf.while (%k = %acc) : (i64) -> i64 {
        %p = arith.cmpi sgt, %k, %z : i64
        scf.condition(%p) %k : i64
      } do {
      ^bb0(%k2: i64):
        %one = arith.constant 1 : i64
        %d = arith.subi %k2, %one : i64
        scf.yield %d : i64
      }
      scf.yield %w : i64
    }
    scf.yield %s : i64
  } else {
    scf.yield %z : i64
  }
  return %r : i64
}

// -----

// for/if/index_switch come from xDSL's patterns (reused, not copied).
// CHECK-LABEL: func.func @switch
// CHECK: cf.switch
func.func @switch(%i: index) -> i64 {
  %r = scf.index_switch %i -> i64
  case 2 {
    %a = arith.constant 20 : i64
    scf.yield %a : i64
  }
  default {
    %b = arith.constant 0 : i64
    scf.yield %b : i64
  }
  return %r : i64
}
