// KIND: out-of-bounds
// ENTRY: gather_sum
// CALLS: [[[10, 20, 30, 40], [0, 1, 2, 3]], [[1, 2, 3, 4], [3, 3, 0, 0]], [[1, 2, 3, 4], [0, 1, 2, 7]]]
// Sums t[idx[i]] through a lookup callee; index 7 reads past the table inside @lookup.
func.func @lookup(%t: memref<4xi64>, %i: index) -> i64 {
  %v = memref.load %t[%i] : memref<4xi64>
  func.return %v : i64
}

func.func @gather_sum(%t: memref<4xi64>, %idx: memref<4xi64>) -> i64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %zero = arith.constant 0 : i64
  %sum = scf.for %i = %c0 to %c4 step %c1 iter_args(%acc = %zero) -> (i64) {
    %k = memref.load %idx[%i] : memref<4xi64>
    %ki = arith.index_cast %k : i64 to index
    %v = func.call @lookup(%t, %ki) : (memref<4xi64>, index) -> i64
    %s = arith.addi %acc, %v : i64
    scf.yield %s : i64
  }
  func.return %sum : i64
}
