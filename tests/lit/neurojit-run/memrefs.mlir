// memrefs across the boundary: a JSON list in, numpy arrays out (printed as lists), a
// memref.global lookup table, dynamic shapes, rank 2.
// RUN: neurojit-run %s --runner none | FileCheck %s --check-prefix=MAIN
// RUN: neurojit-run %s --runner none --entry iota --arg 5 | FileCheck %s --check-prefix=IOTA
// RUN: neurojit-run %s --runner none --entry total --arg "[3, 4, 5, -2]" | FileCheck %s --check-prefix=TOTAL
// RUN: neurojit-run %s --runner none --entry grid --arg 2 --arg 3 | FileCheck %s --check-prefix=GRID
// RUN: neurojit-run %s --runner none --entry lookup --arg 2 | FileCheck %s --check-prefix=LOOKUP
// RUN: neurojit-run %s --runner none --entry table | FileCheck %s --check-prefix=TABLE

memref.global "private" constant @squares : memref<5xi64> = dense<[0, 1, 4, 9, 16]>

// Sum of squares 0..4 read from the global table: 30.
// MAIN: 30
func.func @main() -> i64 {
  %t = memref.get_global @squares : memref<5xi64>
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c5 = arith.constant 5 : index
  %z = arith.constant 0 : i64
  %s = scf.for %i = %c0 to %c5 step %c1 iter_args(%acc = %z) -> (i64) {
    %v = memref.load %t[%i] : memref<5xi64>
    %n = arith.addi %acc, %v : i64
    scf.yield %n : i64
  }
  return %s : i64
}

// LOOKUP: 4
func.func @lookup(%i: index) -> i64 {
  %t = memref.get_global @squares : memref<5xi64>
  %v = memref.load %t[%i] : memref<5xi64>
  return %v : i64
}

// TABLE: [0, 1, 4, 9, 16]
func.func @table() -> memref<5xi64> {
  %t = memref.get_global @squares : memref<5xi64>
  return %t : memref<5xi64>
}

// IOTA: [0.0, 0.5, 1.0, 1.5, 2.0]
func.func @iota(%n: index) -> memref<?xf64> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %half = arith.constant 0.5 : f64
  %m = memref.alloc(%n) : memref<?xf64>
  scf.for %i = %c0 to %n step %c1 {
    %a = arith.index_cast %i : index to i64
    %f = arith.sitofp %a : i64 to f64
    %h = arith.mulf %f, %half : f64
    memref.store %h, %m[%i] : memref<?xf64>
  }
  return %m : memref<?xf64>
}

// TOTAL:      10
// TOTAL-NEXT: 4
func.func @total(%m: memref<?xi64>) -> (i64, index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = memref.dim %m, %c0 : memref<?xi64>
  %z = arith.constant 0 : i64
  %s = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %z) -> (i64) {
    %v = memref.load %m[%i] : memref<?xi64>
    %a = arith.addi %acc, %v : i64
    scf.yield %a : i64
  }
  return %s, %n : i64, index
}

// grid[i][j] = 10*i + j
// GRID: {{\[\[}}0, 1, 2], [10, 11, 12]]
func.func @grid(%r: index, %c: index) -> memref<?x?xi32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %ten = arith.constant 10 : i32
  %m = memref.alloc(%r, %c) : memref<?x?xi32>
  scf.for %i = %c0 to %r step %c1 {
    scf.for %j = %c0 to %c step %c1 {
      %a = arith.index_cast %i : index to i32
      %b = arith.index_cast %j : index to i32
      %x = arith.muli %a, %ten : i32
      %y = arith.addi %x, %b : i32
      memref.store %y, %m[%i, %j] : memref<?x?xi32>
    }
  }
  return %m : memref<?x?xi32>
}
