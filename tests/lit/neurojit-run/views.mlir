// Views are checked against the memory they view, by both front ends: a reinterpret_cast,
// subview or cast reaching beyond its source is an out-of-bounds fault report (exit 3) at the
// view op's location, not a read of the heap. The same RUN lines run on the native front end
// (native_checks.py) and then on xdsl (neurojit-insert-checks), with the same expectations.
// REQUIRES: native
// DEFINE: %{run} = neurojit-run --frontend=native %s --runner none
// DEFINE: %{bad} = %python %S/Inputs/expect_exit.py 3 neurojit-run --frontend=native %s --runner none
//
// RUN: %{run} --entry rc --arg '[1,2,3]' --arg 3 | FileCheck %s --check-prefix=RC-OK
// RUN: %{bad} --entry rc --arg '[1,2,3]' --arg 1000000 2>&1 | FileCheck %s --check-prefix=RC-BAD
// RUN: %{run} --entry rc2 --arg '[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15]' --arg 8 | FileCheck %s --check-prefix=RC2-OK
// RUN: %{bad} --entry rc2 --arg '[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15]' --arg 9 2>&1 | FileCheck %s --check-prefix=RC2-BAD
// RUN: %{run} --entry sv --arg '[[0,1],[2,3],[4,5],[6,7]]' --arg 2 --arg 2 | FileCheck %s --check-prefix=SV-OK
// RUN: %{bad} --entry sv --arg '[[0,1],[2,3],[4,5],[6,7]]' --arg 3 --arg 2 2>&1 | FileCheck %s --check-prefix=SV-BAD
// RUN: %{bad} --entry sv --arg '[[0,1],[2,3],[4,5],[6,7]]' --arg -1 --arg 1 2>&1 | FileCheck %s --check-prefix=SV-NEG
// RUN: %{run} --entry cast --arg '[1,2,3,4]' | FileCheck %s --check-prefix=CAST-OK
// RUN: %{bad} --entry cast --arg '[1,2,3]' 2>&1 | FileCheck %s --check-prefix=CAST-BAD
//
// REDEFINE: %{run} = neurojit-run --frontend=xdsl %s --runner none
// REDEFINE: %{bad} = %python %S/Inputs/expect_exit.py 3 neurojit-run --frontend=xdsl %s --runner none
//
// RUN: %{run} --entry rc --arg '[1,2,3]' --arg 3 | FileCheck %s --check-prefix=RC-OK
// RUN: %{bad} --entry rc --arg '[1,2,3]' --arg 1000000 2>&1 | FileCheck %s --check-prefix=RC-BAD
// RUN: %{run} --entry rc2 --arg '[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15]' --arg 8 | FileCheck %s --check-prefix=RC2-OK
// RUN: %{bad} --entry rc2 --arg '[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15]' --arg 9 2>&1 | FileCheck %s --check-prefix=RC2-BAD
// RUN: %{run} --entry sv --arg '[[0,1],[2,3],[4,5],[6,7]]' --arg 2 --arg 2 | FileCheck %s --check-prefix=SV-OK
// RUN: %{bad} --entry sv --arg '[[0,1],[2,3],[4,5],[6,7]]' --arg 3 --arg 2 2>&1 | FileCheck %s --check-prefix=SV-BAD
// RUN: %{bad} --entry sv --arg '[[0,1],[2,3],[4,5],[6,7]]' --arg -1 --arg 1 2>&1 | FileCheck %s --check-prefix=SV-NEG
// RUN: %{run} --entry cast --arg '[1,2,3,4]' | FileCheck %s --check-prefix=CAST-OK
// RUN: %{bad} --entry cast --arg '[1,2,3]' 2>&1 | FileCheck %s --check-prefix=CAST-BAD

// RC-OK: 3
// RC-BAD: neurojit-run: out-of-bounds: memref.reinterpret_cast view at offset 0 reaches beyond the source's 3 elements at {{.*}}views.mlir:[[# @LINE + 2]]:3 in @rc
func.func @rc(%m: memref<?xi64>, %n: index) -> i64 {
  %v = memref.reinterpret_cast %m to offset: [0], sizes: [%n], strides: [1] : memref<?xi64> to memref<?xi64, strided<[1]>>
  %one = arith.constant 1 : index
  %i = arith.subi %n, %one : index
  %x = memref.load %v[%i] : memref<?xi64, strided<[1]>>
  return %x : i64
}

// RC2-OK: 13
// RC2-BAD: neurojit-run: out-of-bounds: memref.reinterpret_cast view at offset 9 reaches beyond the source's 16 elements at {{.*}}views.mlir:[[# @LINE + 2]]:3 in @rc2
func.func @rc2(%m: memref<16xi64>, %o: index) -> i64 {
  %v = memref.reinterpret_cast %m to offset: [%o], sizes: [2, 4], strides: [4, 1] : memref<16xi64> to memref<2x4xi64, strided<[4, 1], offset: ?>>
  %z = arith.constant 1 : index
  %x = memref.load %v[%z, %z] : memref<2x4xi64, strided<[4, 1], offset: ?>>
  return %x : i64
}

// SV-OK: 4
// SV-BAD: neurojit-run: out-of-bounds: memref.subview slice of dimension 0 at offset 3 leaves [0, 4) at {{.*}}views.mlir:[[# @LINE + 3]]:3 in @sv
// SV-NEG: neurojit-run: out-of-bounds: memref.subview slice of dimension 0 at offset -1 leaves [0, 4) at {{.*}}views.mlir:[[# @LINE + 2]]:3 in @sv
func.func @sv(%m: memref<4x2xi64>, %o: index, %s: index) -> i64 {
  %v = memref.subview %m[%o, 0] [%s, 2] [1, 1] : memref<4x2xi64> to memref<?x2xi64, strided<[2, 1], offset: ?>>
  %z = arith.constant 0 : index
  %x = memref.load %v[%z, %z] : memref<?x2xi64, strided<[2, 1], offset: ?>>
  return %x : i64
}

// CAST-OK: 4
// CAST-BAD: neurojit-run: out-of-bounds: memref.cast of dimension 0: size 3 is not 4 at {{.*}}views.mlir:[[# @LINE + 2]]:3 in @cast
func.func @cast(%m: memref<?xi64>) -> i64 {
  %s = memref.cast %m : memref<?xi64> to memref<4xi64>
  %i = arith.constant 3 : index
  %x = memref.load %s[%i] : memref<4xi64>
  return %x : i64
}
