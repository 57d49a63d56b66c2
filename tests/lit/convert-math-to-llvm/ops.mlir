// RUN: neurojit-opt %s -p convert-math-to-llvm --split-input-file | FileCheck %s

// Float functions LLVM has intrinsics for become typed intrinsic calls.
// CHECK-LABEL: func.func @intrinsics
// CHECK: llvm.call_intrinsic "llvm.sqrt.f64"(%{{.*}}) : (f64) -> f64
// CHECK: llvm.call_intrinsic "llvm.fabs.f64"
// CHECK: llvm.call_intrinsic "llvm.exp.f64"
// CHECK: llvm.call_intrinsic "llvm.log.f64"
// CHECK: llvm.call_intrinsic "llvm.sin.f32"(%{{.*}}) : (f32) -> f32
// CHECK: llvm.call_intrinsic "llvm.cos.f64"
// CHECK: llvm.call_intrinsic "llvm.pow.f64"(%{{.*}}, %{{.*}}) : (f64, f64) -> f64
// CHECK: llvm.call_intrinsic "llvm.floor.f64"
// CHECK: llvm.call_intrinsic "llvm.ceil.f64"
// CHECK: llvm.call_intrinsic "llvm.fma.f64"(%{{.*}}, %{{.*}}, %{{.*}}) : (f64, f64, f64) -> f64
// CHECK: llvm.call_intrinsic "llvm.copysign.f64"
func.func @intrinsics(%x: f64, %y: f32) -> f64 {
  %0 = math.sqrt %x : f64
  %1 = math.absf %0 : f64
  %2 = math.exp %1 : f64
  %3 = math.log %2 : f64
  %4 = math.sin %y : f32
  %5 = math.cos %3 : f64
  %6 = math.powf %5, %x : f64
  %7 = math.floor %6 : f64
  %8 = math.ceil %7 : f64
  %9 = math.fma %8, %x, %x : f64
  %10 = math.copysign %9, %x : f64
  return %10 : f64
}

// -----

// Bit counting and abs take LLVM's trailing "is zero poison" flag, set to false.
// CHECK-LABEL: func.func @bits
// CHECK: %[[F:.*]] = llvm.mlir.constant(false) : i1
// CHECK: llvm.call_intrinsic "llvm.ctlz.i32"(%{{.*}}, %[[F]]) : (i32, i1) -> i32
// CHECK: llvm.call_intrinsic "llvm.cttz.i32"
// CHECK: llvm.call_intrinsic "llvm.ctpop.i32"(%{{.*}}) : (i32) -> i32
// CHECK: llvm.call_intrinsic "llvm.abs.i32"
func.func @bits(%a: i32) -> i32 {
  %0 = math.ctlz %a : i32
  %1 = math.cttz %0 : i32
  %2 = math.ctpop %1 : i32
  %3 = math.absi %2 : i32
  return %3 : i32
}

// -----

// No intrinsic: a libm call, with the f32 name for f32, declared once.
// CHECK-LABEL: func.func @libm
// CHECK: llvm.call @tanh(%{{.*}}) : (f64) -> f64
// CHECK: llvm.call @atan2(%{{.*}}, %{{.*}}) : (f64, f64) -> f64
// CHECK: llvm.call @tanhf(%{{.*}}) : (f32) -> f32
// CHECK: llvm.call @tanh(
// CHECK-DAG: llvm.func @tanh(f64) -> f64
// CHECK-DAG: llvm.func @atan2(f64, f64) -> f64
// CHECK-DAG: llvm.func @tanhf(f32) -> f32
func.func @libm(%x: f64, %y: f32) -> f64 {
  %0 = math.tanh %x : f64
  %1 = math.atan2 %0, %x : f64
  %2 = math.tanh %y : f32
  %3 = math.tanh %1 : f64
  return %3 : f64
}

// -----

// CHECK-LABEL: func.func @rsqrt
// CHECK: %[[S:.*]] = llvm.call_intrinsic "llvm.sqrt.f32"
// CHECK: %[[ONE:.*]] = llvm.mlir.constant(1.000000e+00 : f32) : f32
// CHECK: llvm.fdiv %[[ONE]], %[[S]] : f32
func.func @rsqrt(%x: f32) -> f32 {
  %0 = math.rsqrt %x : f32
  return %0 : f32
}

// -----

// ipowi has no intrinsic: an exponentiation-by-squaring loop, then the negative-exponent
// cases (base 1, base -1, else 0) selected after it.
// CHECK-LABEL: func.func @ipowi
// CHECK: llvm.br ^[[LOOP:.*]](%{{.*}}, %{{.*}}, %{{.*}} : i32, i32, i32)
// CHECK: ^[[LOOP]](%{{.*}}: i32, %[[K:.*]]: i32, %[[ACC:.*]]: i32):
// CHECK: llvm.icmp "sgt" %[[K]]
// CHECK: llvm.cond_br
// CHECK: llvm.mul
// CHECK: llvm.ashr
// CHECK: llvm.icmp "slt"
// CHECK: llvm.select
func.func @ipowi(%b: i32, %e: i32) -> i32 {
  %0 = math.ipowi %b, %e : i32
  return %0 : i32
}
