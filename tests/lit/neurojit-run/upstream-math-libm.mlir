// math.tan, math.atan2, math.erf have no LLVM intrinsic: math-to-libm calls libm. tan(.5) + atan2(.5, .5) + erf(.5) = 1.852200...
// Both front ends lower it (ours: neurojit/passes/convert_math_to_llvm.py's libm calls), checked
// against upstream MLIR 19 (mlir-opt-19 + mlir-cpu-runner-19) and a value worked out by hand.
// REQUIRES: native, mlir-opt, mlir-cpu-runner
// RUN: neurojit-run --frontend=native --runner none %s | FileCheck %s
// RUN: neurojit-run --frontend=native --runner none --no-checks -O 0 %s | FileCheck %s
// RUN: %mlir-opt %s --convert-math-to-llvm --convert-math-to-libm --convert-scf-to-cf --convert-math-to-llvm --convert-arith-to-llvm --finalize-memref-to-llvm --convert-func-to-llvm --convert-cf-to-llvm --reconcile-unrealized-casts | %mlir-cpu-runner -e main -entry-point-result=i64 | FileCheck %s

// CHECK: 1852200
func.func @main() -> i64 {
  %x = arith.constant 0.5 : f64
  %t = math.tan %x : f64
  %a = math.atan2 %x, %x : f64
  %e = math.erf %x : f64
  %s = arith.addf %t, %a : f64
  %s2 = arith.addf %s, %e : f64
  %k = arith.constant 1000000.0 : f64
  %p = arith.mulf %s2, %k : f64
  %r = arith.fptosi %p : f64 to i64
  return %r : i64
}
