// memref.reshape 6 -> 2x3, through an unranked memref<*xi64> (memref.rank = 2) and back: 2*100 + m[1][2] = 205.
// Native front end only (upstream MLIR 22 lowers it; our xDSL passes do not), checked
// against upstream MLIR 19 (mlir-opt-19 + mlir-cpu-runner-19) and a value worked out by hand.
// REQUIRES: native, mlir-opt, mlir-cpu-runner
// RUN: neurojit-run --frontend=native --runner none %s | FileCheck %s
// RUN: neurojit-run --frontend=native --runner none --no-checks -O 0 %s | FileCheck %s
// RUN: %mlir-opt %s --expand-strided-metadata --convert-scf-to-cf --convert-math-to-llvm --convert-arith-to-llvm --finalize-memref-to-llvm --convert-func-to-llvm --convert-cf-to-llvm --reconcile-unrealized-casts | %mlir-cpu-runner -e main -entry-point-result=i64 | FileCheck %s

// CHECK: 205
func.func @main() -> i64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %c6 = arith.constant 6 : index
  %flat = memref.alloc() : memref<6xi64>
  scf.for %i = %c0 to %c6 step %c1 {
    %v = arith.index_cast %i : index to i64
    memref.store %v, %flat[%i] : memref<6xi64>
  }
  %shape = memref.alloc() : memref<2xindex>
  memref.store %c2, %shape[%c0] : memref<2xindex>
  memref.store %c3, %shape[%c1] : memref<2xindex>
  %m = memref.reshape %flat(%shape) : (memref<6xi64>, memref<2xindex>) -> memref<2x3xi64>
  %u = memref.cast %m : memref<2x3xi64> to memref<*xi64>
  %r = memref.rank %u : memref<*xi64>
  %back = memref.cast %u : memref<*xi64> to memref<2x3xi64>
  %a = memref.load %back[%c1, %c2] : memref<2x3xi64>
  %r64 = arith.index_cast %r : index to i64
  %c100 = arith.constant 100 : i64
  %x = arith.muli %r64, %c100 : i64
  %s = arith.addi %x, %a : i64
  return %s : i64
}
