// vector.load/store, arith on vector<8xi64>, vector.reduction and extract: 2*36 + 16 = 88.
// Native front end only (upstream MLIR 22 lowers it; our xDSL passes do not), checked
// against upstream MLIR 19 (mlir-opt-19 + mlir-cpu-runner-19) and a value worked out by hand.
// REQUIRES: native, mlir-opt, mlir-cpu-runner
// RUN: neurojit-run --frontend=native --runner none %s | FileCheck %s
// RUN: neurojit-run --frontend=native --runner none --no-checks -O 0 %s | FileCheck %s
// RUN: %mlir-opt %s --convert-vector-to-scf --convert-scf-to-cf --convert-vector-to-llvm --convert-scf-to-cf --convert-math-to-llvm --convert-arith-to-llvm --finalize-memref-to-llvm --convert-func-to-llvm --convert-cf-to-llvm --reconcile-unrealized-casts | %mlir-cpu-runner -e main -entry-point-result=i64 | FileCheck %s

// CHECK: 88
func.func @main() -> i64 {
  %c0 = arith.constant 0 : index
  %m = memref.alloc() : memref<8xi64>
  %init = arith.constant dense<[1, 2, 3, 4, 5, 6, 7, 8]> : vector<8xi64>
  vector.store %init, %m[%c0] : memref<8xi64>, vector<8xi64>
  %v = vector.load %m[%c0] : memref<8xi64>, vector<8xi64>
  %two = arith.constant dense<2> : vector<8xi64>
  %w = arith.muli %v, %two : vector<8xi64>
  %s = vector.reduction <add>, %w : vector<8xi64> into i64
  %e = vector.extract %w[7] : i64 from vector<8xi64>
  %r = arith.addi %s, %e : i64
  return %r : i64
}
