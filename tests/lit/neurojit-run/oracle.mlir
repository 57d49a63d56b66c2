// The same program through neurojit-run and through upstream MLIR 19 (mlir-opt-19 +
// mlir-cpu-runner-19) must print the same, independently known value: the sum of the primes
// below 1000 is 76127. Sieve over a heap memref, scf.while, nested scf.for, a call.
// REQUIRES: mlir-opt, mlir-cpu-runner
// RUN: neurojit-run %s --runner none | FileCheck %s
// RUN: neurojit-run %s --runner none --no-checks -O 0 | FileCheck %s
// RUN: %mlir-opt %s --convert-scf-to-cf --convert-math-to-llvm --convert-arith-to-llvm --finalize-memref-to-llvm --convert-func-to-llvm --convert-cf-to-llvm --reconcile-unrealized-casts | %mlir-cpu-runner -e main -entry-point-result=i64 | FileCheck %s

// CHECK: 76127
func.func @main() -> i64 {
  %n = arith.constant 1000 : index
  %s = func.call @prime_sum(%n) : (index) -> i64
  return %s : i64
}

func.func @prime_sum(%n: index) -> i64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %t = arith.constant 1 : i8
  %f = arith.constant 0 : i8
  %sieve = memref.alloc(%n) : memref<?xi8>
  scf.for %i = %c0 to %n step %c1 {
    memref.store %t, %sieve[%i] : memref<?xi8>
  }
  scf.for %i = %c2 to %n step %c1 {
    %p = memref.load %sieve[%i] : memref<?xi8>
    %isp = arith.cmpi ne, %p, %f : i8
    scf.if %isp {
      %sq = arith.muli %i, %i : index
      %j0 = scf.while (%j = %sq) : (index) -> index {
        %more = arith.cmpi ult, %j, %n : index
        scf.condition(%more) %j : index
      } do {
      ^bb0(%j: index):
        memref.store %f, %sieve[%j] : memref<?xi8>
        %nj = arith.addi %j, %i : index
        scf.yield %nj : index
      }
    }
  }
  %zero = arith.constant 0 : i64
  %sum = scf.for %i = %c2 to %n step %c1 iter_args(%acc = %zero) -> (i64) {
    %p = memref.load %sieve[%i] : memref<?xi8>
    %isp = arith.cmpi ne, %p, %f : i8
    %v = arith.index_cast %i : index to i64
    %add = arith.select %isp, %v, %zero : i64
    %next = arith.addi %acc, %add : i64
    scf.yield %next : i64
  }
  memref.dealloc %sieve : memref<?xi8>
  return %sum : i64
}
