// KIND: trap
// ENTRY: checked_sum
// CALLS: [[[1, 2, 3, 4]], [[0, 0, 9, 1]], [[3, -1, 2, 2]]]
// Sums a buffer and asserts every element is non-negative; the third buffer has a -1.
func.func @checked_sum(%t: memref<4xi64>) -> i64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %zero = arith.constant 0 : i64
  %sum = scf.for %i = %c0 to %c4 step %c1 iter_args(%acc = %zero) -> (i64) {
    %v = memref.load %t[%i] : memref<4xi64>
    %ok = arith.cmpi sge, %v, %zero : i64
    cf.assert %ok, "negative sample"
    %s = arith.addi %acc, %v : i64
    scf.yield %s : i64
  }
  func.return %sum : i64
}
