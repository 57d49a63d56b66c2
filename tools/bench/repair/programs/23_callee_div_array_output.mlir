// KIND: division-by-zero
// ENTRY: normalize
// CALLS: [[[2, 4, 6, 8], 2], [[9, 3, 6, 0], 3], [[1, 2, 3, 4], 0]]
// Divides every sample in place by a callee and returns the new sum: what the entry wrote
// into its array is part of its behaviour too.
func.func @share(%x: i64, %d: i64) -> i64 {
  %q = arith.divsi %x, %d : i64
  func.return %q : i64
}

func.func @normalize(%t: memref<4xi64>, %d: i64) -> i64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %zero = arith.constant 0 : i64
  %sum = scf.for %i = %c0 to %c4 step %c1 iter_args(%acc = %zero) -> (i64) {
    %v = memref.load %t[%i] : memref<4xi64>
    %q = func.call @share(%v, %d) : (i64, i64) -> i64
    memref.store %q, %t[%i] : memref<4xi64>
    %s = arith.addi %acc, %q : i64
    scf.yield %s : i64
  }
  func.return %sum : i64
}
