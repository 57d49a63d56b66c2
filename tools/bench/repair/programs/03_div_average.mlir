// KIND: division-by-zero
// ENTRY: average
// CALLS: [[[1, 2, 3, 4], 4], [[5, 5, 5, 5], 2], [[1, 1, 1, 1], 0]]
// Average of the first n samples; asking for zero samples divides by zero.
func.func @average(%t: memref<4xi64>, %n: i64) -> i64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0 : i64
  %ub = arith.index_cast %n : i64 to index
  %sum = scf.for %i = %c0 to %ub step %c1 iter_args(%acc = %zero) -> (i64) {
    %v = memref.load %t[%i] : memref<4xi64>
    %s = arith.addi %acc, %v : i64
    scf.yield %s : i64
  }
  %avg = arith.divsi %sum, %n : i64
  func.return %avg : i64
}
