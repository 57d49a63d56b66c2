// REQUIRES: mlir-opt, mlir-cpu-runner
// The same program run by us and by upstream's pipeline must print the same value.
// RUN: neurojit-run %s > %t.ours
// RUN: %mlir-opt %s --convert-scf-to-cf --finalize-memref-to-llvm --convert-arith-to-llvm --convert-func-to-llvm --reconcile-unrealized-casts | %mlir-cpu-runner -e main -entry-point-result=i64 > %t.upstream
// RUN: diff %t.ours %t.upstream
func.func @main() -> i64 {
  %k = arith.constant 5 : i64
  %c0 = arith.constant 0 : index
  %m = memref.alloc() : memref<4xi64>
  %d = memref.cast %m : memref<4xi64> to memref<?xi64>
  memref.alloca_scope {
    %t = memref.alloca() : memref<4xi64>
    memref.store %k, %t[%c0] : memref<4xi64>
    memref.copy %t, %m : memref<4xi64> to memref<4xi64>
  }
  %e = scf.execute_region -> i64 {
    %x = memref.load %d[%c0] : memref<?xi64>
    scf.yield %x : i64
  }
  %v = memref.alloca_scope -> (i64) {
    %r = memref.rank %d : memref<?xi64>
    %ri = arith.index_cast %r : index to i64
    %s = arith.addi %e, %ri : i64
    memref.alloca_scope.return %s : i64
  }
  memref.dealloc %m : memref<4xi64>
  return %v : i64
}
