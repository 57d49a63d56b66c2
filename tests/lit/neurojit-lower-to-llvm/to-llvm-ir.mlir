// RUN: neurojit-opt %s -t llvm | FileCheck %s
// RUN: neurojit-opt %s -p neurojit-lower-to-llvm | FileCheck %s --check-prefix=DIALECT

// The whole pipeline leaves only llvm ops, and `-t llvm` prints LLVM IR.
// DIALECT-NOT: {{ (arith|scf|cf|func|memref|math)\.}}
// DIALECT: llvm.func @sum_table() -> i64

// CHECK: @"table" = internal constant [4 x i64] [i64 3, i64 1, i64 4, i64 1]
// CHECK-LABEL: define i64 @"sum_table"()
// CHECK: phi
// CHECK: getelementptr i64
// CHECK: load i64
// CHECK: switch i32
// CHECK: fptosi double
// CHECK: uitofp i32
memref.global "private" constant @table : memref<4xi64> = dense<[3, 1, 4, 1]>
func.func @sum_table() -> i64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %z = arith.constant 0 : i64
  %t = memref.get_global @table : memref<4xi64>
  %s = scf.for %i = %c0 to %c4 step %c1 iter_args(%acc = %z) -> (i64) {
    %v = memref.load %t[%i] : memref<4xi64>
    %n = arith.addi %acc, %v : i64
    scf.yield %n : i64
  }
  %k = arith.trunci %s : i64 to i32
  cf.switch %k : i32, [
    default: ^other,
    9: ^nine
  ]
^nine:
  %x = arith.constant 2.5 : f64
  %y = arith.fptosi %x : f64 to i64
  %u = arith.uitofp %k : i32 to f64
  %w = arith.fptosi %u : f64 to i64
  %r = arith.addi %y, %w : i64
  return %r : i64
^other:
  return %s : i64
}
