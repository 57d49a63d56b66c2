// RUN: neurojit-opt %s -p convert-arith-to-llvm --split-input-file | FileCheck %s

// CHECK-LABEL: func.func @int_binops
// CHECK: llvm.add %{{.*}}, %{{.*}} overflow<nsw> : i64
// CHECK: llvm.sub %{{.*}}, %{{.*}} : i64
// CHECK: llvm.mul %{{.*}}, %{{.*}} overflow<nsw,nuw> : i64
// CHECK: llvm.sdiv
// CHECK: llvm.udiv
// CHECK: llvm.srem
// CHECK: llvm.urem
// CHECK: llvm.and
// CHECK: llvm.or
// CHECK: llvm.xor
// CHECK: llvm.shl
// CHECK: llvm.ashr
// CHECK: llvm.lshr
// CHECK-NOT: arith.
func.func @int_binops(%a: i64, %b: i64) -> i64 {
  %0 = arith.addi %a, %b overflow<nsw> : i64
  %1 = arith.subi %0, %b : i64
  %2 = arith.muli %1, %b overflow<nsw,nuw> : i64
  %3 = arith.divsi %2, %b : i64
  %4 = arith.divui %3, %b : i64
  %5 = arith.remsi %4, %b : i64
  %6 = arith.remui %5, %b : i64
  %7 = arith.andi %6, %b : i64
  %8 = arith.ori %7, %b : i64
  %9 = arith.xori %8, %b : i64
  %10 = arith.shli %9, %b : i64
  %11 = arith.shrsi %10, %b : i64
  %12 = arith.shrui %11, %b : i64
  return %12 : i64
}

// -----

// Index is i64: constants, arithmetic and index_cast to i64 vanish into i64 values.
// CHECK-LABEL: func.func @index_is_i64
// CHECK: %[[C:.*]] = llvm.mlir.constant(0) : i64
// CHECK: %[[S:.*]] = llvm.add %{{.*}}, %[[C]] : i64
// CHECK-NOT: index_cast
// CHECK: %[[T:.*]] = llvm.trunc %[[S]] : i64 to i32
// CHECK: %[[E:.*]] = llvm.sext %[[T]] : i32 to i64
func.func @index_is_i64(%a: i64) -> i64 {
  %c0 = arith.constant 0 : index
  %i = arith.index_cast %a : i64 to index
  %s = arith.addi %i, %c0 : index
  %n = arith.index_cast %s : index to i32
  %back = arith.index_cast %n : i32 to index
  %r = arith.index_cast %back : index to i64
  return %r : i64
}

// -----

// CHECK-LABEL: func.func @floats
// CHECK: llvm.fadd %{{.*}}, %{{.*}} {fastmathFlags = #llvm.fastmath<fast>} : f64
// CHECK: llvm.fsub
// CHECK: llvm.fmul
// CHECK: llvm.fdiv
// CHECK: llvm.fneg
func.func @floats(%a: f64, %b: f64) -> f64 {
  %0 = arith.addf %a, %b fastmath<fast> : f64
  %1 = arith.subf %0, %b : f64
  %2 = arith.mulf %1, %b : f64
  %3 = arith.divf %2, %b : f64
  %4 = arith.negf %3 : f64
  return %4 : f64
}

// -----

// CHECK-LABEL: func.func @compares
// CHECK: llvm.icmp "ult" %{{.*}}, %{{.*}} : i32
// CHECK: llvm.fcmp "une" %{{.*}}, %{{.*}} : f32
// CHECK: llvm.mlir.constant(true) : i1
// CHECK: llvm.select %{{.*}}, %{{.*}}, %{{.*}} : i1, i32
func.func @compares(%a: i32, %b: i32, %x: f32) -> i32 {
  %c = arith.cmpi ult, %a, %b : i32
  %f = arith.cmpf une, %x, %x : f32
  %t = arith.cmpf true, %x, %x : f32
  %s = arith.select %c, %a, %b : i32
  return %s : i32
}

// -----

// CHECK-LABEL: func.func @casts
// CHECK: llvm.sext %{{.*}} : i8 to i32
// CHECK: llvm.zext %{{.*}} : i8 to i32
// CHECK: llvm.trunc %{{.*}} : i32 to i8
// CHECK: llvm.sitofp %{{.*}} : i32 to f64
// CHECK: llvm.uitofp %{{.*}} : i32 to f64
// CHECK: llvm.fptosi %{{.*}} : f64 to i32
// CHECK: llvm.fptoui %{{.*}} : f64 to i32
// CHECK: llvm.fpext %{{.*}} : f32 to f64
// CHECK: llvm.fptrunc %{{.*}} : f64 to f32
// CHECK: llvm.bitcast %{{.*}} : f32 to i32
func.func @casts(%a: i8, %x: f32) -> i32 {
  %0 = arith.extsi %a : i8 to i32
  %1 = arith.extui %a : i8 to i32
  %2 = arith.trunci %1 : i32 to i8
  %3 = arith.sitofp %0 : i32 to f64
  %4 = arith.uitofp %0 : i32 to f64
  %5 = arith.fptosi %3 : f64 to i32
  %6 = arith.fptoui %4 : f64 to i32
  %7 = arith.extf %x : f32 to f64
  %8 = arith.truncf %7 : f64 to f32
  %9 = arith.bitcast %8 : f32 to i32
  return %9 : i32
}

// -----

// CHECK-LABEL: func.func @min_max
// CHECK: llvm.call_intrinsic "llvm.smax.i64"
// CHECK: llvm.call_intrinsic "llvm.umin.i64"
// CHECK: llvm.call_intrinsic "llvm.maximum.f64"
// CHECK: llvm.call_intrinsic "llvm.minnum.f64"
func.func @min_max(%a: i64, %b: i64, %x: f64) -> f64 {
  %0 = arith.maxsi %a, %b : i64
  %1 = arith.minui %0, %b : i64
  %2 = arith.maximumf %x, %x : f64
  %3 = arith.minnumf %2, %x : f64
  return %3 : f64
}

// -----

// floordivsi: truncating quotient, minus one when the remainder's sign differs from b's.
// CHECK-LABEL: func.func @floordiv
// CHECK: %[[Q:.*]] = llvm.sdiv %[[A:.*]], %[[B:.*]] : i64
// CHECK: %[[R:.*]] = llvm.srem %[[A]], %[[B]] : i64
// CHECK: llvm.xor
// CHECK: llvm.and
// CHECK: %[[F:.*]] = llvm.zext %{{.*}} : i1 to i64
// CHECK: llvm.sub %[[Q]], %[[F]] : i64
func.func @floordiv(%a: i64, %b: i64) -> i64 {
  %0 = arith.floordivsi %a, %b : i64
  return %0 : i64
}

// -----

// CHECK-LABEL: func.func @extended
// CHECK: llvm.zext %{{.*}} : i32 to i64
// CHECK: llvm.mul %{{.*}}, %{{.*}} : i64
// CHECK: llvm.lshr
func.func @extended(%a: i32, %b: i32) -> i32 {
  %lo, %hi = arith.mului_extended %a, %b : i32
  return %hi : i32
}
