// RUN: neurojit-opt %s -p convert-cf-to-llvm --split-input-file | FileCheck %s

// CHECK-LABEL: func.func @branches
// CHECK: llvm.cond_br %{{.*}}, ^[[T:.*]], ^[[F:.*]](%{{.*}} : i64)
// CHECK: llvm.br ^[[F]](%{{.*}} : i64)
func.func @branches(%c: i1, %a: i64, %b: i64) -> i64 {
  cf.cond_br %c, ^t, ^f(%a : i64)
^t:
  cf.br ^f(%b : i64)
^f(%r: i64):
  return %r : i64
}

// -----

// CHECK-LABEL: func.func @switch
// Upstream's llvm.switch syntax: default edge first, then the case table.
// CHECK: llvm.switch %v : i32, ^d [
// CHECK-NEXT: 1: ^one,
// CHECK-NEXT: 7: ^seven(%a : i64)
// CHECK-NEXT: ]
func.func @switch(%v: i32, %a: i64) -> i64 {
  cf.switch %v : i32, [
    default: ^d,
    1: ^one,
    7: ^seven(%a : i64)
  ]
^d:
  return %a : i64
^one:
  return %a : i64
^seven(%x: i64):
  return %x : i64
}

// -----

// A failed assert traps (SIGILL, recoverable by NeuroJIT's guard) instead of aborting.
// CHECK-LABEL: func.func @check
// CHECK: llvm.cond_br %{{.*}}, ^[[OK:.*]], ^[[FAIL:.*]]
// CHECK: ^[[OK]]:
// CHECK: func.return
// CHECK: ^[[FAIL]]:
// CHECK-NEXT: llvm.call_intrinsic "llvm.trap"() : () -> ()
// CHECK-NEXT: llvm.unreachable
func.func @check(%c: i1) {
  cf.assert %c, "must hold"
  return
}
