// RUN: neurojit-opt %s -p convert-neurojit-to-llvm --split-input-file | FileCheck %s

// A check splits its block: the true edge continues, the false edge goes to a block that
// passes the site descriptor's address and the two values to nj_fail and never returns.
// CHECK: llvm.mlir.global private constant @nj_site_0("out-of-bounds\1Findex {0} not in [0, {1})\1F{{.*}}check.mlir:[[# @LINE + 17]]:3\1Flookup\1Fint,int\00")
// CHECK-LABEL: func.func @lookup
// CHECK: %[[OK:.*]] = arith.cmpi ult
// CHECK-NEXT: llvm.cond_br %[[OK]], ^[[CONT:bb[0-9]+]], ^[[FAIL:bb[0-9]+]]
// CHECK-NEXT: ^[[FAIL]]:
// CHECK-NEXT: %[[SITE:.*]] = llvm.mlir.addressof @nj_site_0 : !llvm.ptr
// CHECK-NEXT: %[[ID:.*]] = llvm.ptrtoint %[[SITE]] : !llvm.ptr to i64
// CHECK-NEXT: %[[I:.*]] = arith.index_cast %{{.*}} : index to i64
// CHECK-NEXT: %[[N:.*]] = arith.index_cast %{{.*}} : index to i64
// CHECK-NEXT: llvm.call @nj_fail(%[[ID]], %[[I]], %[[N]]) : (i64, i64, i64) -> ()
// CHECK-NEXT: llvm.unreachable
// CHECK-NEXT: ^[[CONT]]:
// CHECK-NEXT: memref.load
// CHECK: llvm.func @nj_fail(i64, i64, i64)
func.func @lookup(%t: memref<4xi64>, %i: index) -> i64 {
  %n = arith.constant 4 : index
  %ok = arith.cmpi ult, %i, %n : index
  neurojit.check %ok, "out-of-bounds", "index {0} not in [0, {1})" (%i : index, %n : index)
  %v = memref.load %t[%i] : memref<4xi64>
  return %v : i64
}

// -----

// Operand values travel as i64 bit patterns: narrow ints sign-extended, floats as f64 bits;
// a missing value is a zero.
// CHECK: llvm.mlir.global private constant @nj_site_{{[0-9]}}("trap\1F{0} is not finite\1F{{.*}}\1Fvalues\1Ffloat\00")
// CHECK-LABEL: func.func @values
// CHECK: arith.extsi %{{.*}} : i32 to i64
// CHECK: arith.extf %{{.*}} : f32 to f64
// CHECK-NEXT: arith.bitcast %{{.*}} : f64 to i64
// CHECK: llvm.call @nj_fail
// CHECK: %[[ZERO:.*]] = arith.constant 0 : i64
// CHECK-NEXT: llvm.call @nj_fail(%{{.*}}, %{{.*}}, %[[ZERO]])
func.func @values(%a: i32, %x: f32, %c: i1) {
  neurojit.check %c, "division-by-zero", "{0} and {1}" (%a : i32, %x : f32)
  neurojit.check %c, "trap", "{0} is not finite" (%x : f32)
  return
}

// -----

// A check on a constant true folds away.
// CHECK-LABEL: func.func @always
// CHECK-NOT: nj_fail
// CHECK: return
func.func @always(%a: i64) -> i64 {
  %t = arith.constant true
  neurojit.check %t, "trap", "never"
  return %a : i64
}

// -----

// Back-to-back checks become one branch on their conjunction; the cold path tests them in
// order, so the first failing check reports. A constant-true one drops out of the run.
// CHECK-LABEL: func.func @run
// CHECK-SAME: (%[[P:.*]]: i1, %[[Q:.*]]: i1, %[[R:.*]]: i1)
// CHECK: %[[PQ:.*]] = arith.andi %[[P]], %[[Q]] : i1
// CHECK-NEXT: %[[PQR:.*]] = arith.andi %[[PQ]], %[[R]] : i1
// CHECK-NEXT: llvm.cond_br %[[PQR]], ^[[CONT:bb[0-9]+]], ^[[D1:bb[0-9]+]]
// CHECK-NEXT: ^[[D1]]:
// CHECK-NEXT: llvm.cond_br %[[P]], ^[[D2:bb[0-9]+]], ^[[FP:bb[0-9]+]]
// CHECK-NEXT: ^[[D2]]:
// CHECK-NEXT: llvm.cond_br %[[Q]], ^[[FR:bb[0-9]+]], ^[[FQ:bb[0-9]+]]
// CHECK-NEXT: ^[[FP]]:
// CHECK: llvm.mlir.addressof @[[SP:nj_site_[0-9]+]]
// CHECK: ^[[FQ]]:
// CHECK: llvm.mlir.addressof @[[SQ:nj_site_[0-9]+]]
// CHECK: ^[[FR]]:
// CHECK: llvm.mlir.addressof @[[SR:nj_site_[0-9]+]]
// CHECK: ^[[CONT]]:
// CHECK-NEXT: return
func.func @run(%p: i1, %q: i1, %r: i1) {
  %t = arith.constant true
  neurojit.check %p, "trap", "p"
  neurojit.check %t, "trap", "always"
  neurojit.check %q, "trap", "q"
  neurojit.check %r, "trap", "r"
  return
}
