// scf.parallel (2-D) fills a memref; the sum of 10*i + j over 4x5 is 300 + 40 = 340.
// Native front end only (upstream MLIR 22 lowers it; our xDSL passes do not), checked
// against upstream MLIR 19 (mlir-opt-19 + mlir-cpu-runner-19) and a value worked out by hand.
// REQUIRES: native, mlir-opt, mlir-cpu-runner
// RUN: neurojit-run --frontend=native --runner none %s | FileCheck %s
// RUN: neurojit-run --frontend=native --runner none --no-checks -O 0 %s | FileCheck %s
// RUN: %mlir-opt %s --convert-scf-to-cf --convert-math-to-llvm --convert-arith-to-llvm --finalize-memref-to-llvm --convert-func-to-llvm --convert-cf-to-llvm --reconcile-unrealized-casts | %mlir-cpu-runner -e main -entry-point-result=i64 | FileCheck %s

// CHECK: 340
func.func @main() -> i64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c5 = arith.constant 5 : index
  %m = memref.alloc() : memref<4x5xi64>
  scf.parallel (%i, %j) = (%c0, %c0) to (%c4, %c5) step (%c1, %c1) {
    %ii = arith.index_cast %i : index to i64
    %jj = arith.index_cast %j : index to i64
    %c10 = arith.constant 10 : i64
    %a = arith.muli %ii, %c10 : i64
    %v = arith.addi %a, %jj : i64
    memref.store %v, %m[%i, %j] : memref<4x5xi64>
    scf.reduce
  }
  %z = arith.constant 0 : i64
  %s = scf.for %i = %c0 to %c4 step %c1 iter_args(%acc = %z) -> (i64) {
    %t = scf.for %j = %c0 to %c5 step %c1 iter_args(%b = %acc) -> (i64) {
      %v = memref.load %m[%i, %j] : memref<4x5xi64>
      %n = arith.addi %b, %v : i64
      scf.yield %n : i64
    }
    scf.yield %t : i64
  }
  memref.dealloc %m : memref<4x5xi64>
  return %s : i64
}
