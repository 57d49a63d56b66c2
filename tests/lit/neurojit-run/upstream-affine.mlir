// affine.for/apply/load/store with iter_args: 3i+1 for i = 0, 2, .., 8 sums to 65.
// Native front end only (upstream MLIR 22 lowers it; our xDSL passes do not), checked
// against upstream MLIR 19 (mlir-opt-19 + mlir-cpu-runner-19) and a value worked out by hand.
// REQUIRES: native, mlir-opt, mlir-cpu-runner
// RUN: neurojit-run --frontend=native --runner none %s | FileCheck %s
// RUN: neurojit-run --frontend=native --runner none --no-checks -O 0 %s | FileCheck %s
// RUN: %mlir-opt %s --lower-affine --convert-scf-to-cf --convert-math-to-llvm --convert-arith-to-llvm --finalize-memref-to-llvm --convert-func-to-llvm --convert-cf-to-llvm --reconcile-unrealized-casts | %mlir-cpu-runner -e main -entry-point-result=i64 | FileCheck %s

// CHECK: 65
#map = affine_map<(d0) -> (d0 * 3 + 1)>
func.func @main() -> i64 {
  %m = memref.alloc() : memref<10xi64>
  affine.for %i = 0 to 10 {
    %x = affine.apply #map(%i)
    %v = arith.index_cast %x : index to i64
    affine.store %v, %m[%i] : memref<10xi64>
  }
  %z = arith.constant 0 : i64
  %s = affine.for %i = 0 to 10 step 2 iter_args(%acc = %z) -> (i64) {
    %v = affine.load %m[%i] : memref<10xi64>
    %n = arith.addi %acc, %v : i64
    affine.yield %n : i64
  }
  return %s : i64
}
