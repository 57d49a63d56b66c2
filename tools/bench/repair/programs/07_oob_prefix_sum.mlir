// KIND: out-of-bounds
// ENTRY: prefix
// CALLS: [[[1, 2, 3, 4], 2], [[1, 2, 3, 4], 4], [[1, 2, 3, 4], 6]]
// Sum of the first n elements; n larger than the buffer reads past its end.
func.func @prefix(%t: memref<4xi64>, %n: index) -> i64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0 : i64
  %sum = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %zero) -> (i64) {
    %v = memref.load %t[%i] : memref<4xi64>
    %s = arith.addi %acc, %v : i64
    scf.yield %s : i64
  }
  func.return %sum : i64
}
