// KIND: timeout
// ENTRY: strided
// CALLS: [[10, 1], [10, 3], [10, 0]]
// Counts 0..n with a caller-given stride; stride 0 never advances.
func.func @strided(%n: index, %s: index) -> i64 {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0 : i64
  %one = arith.constant 1 : i64
  %r = scf.for %i = %c0 to %n step %s iter_args(%acc = %zero) -> (i64) {
    %a = arith.addi %acc, %one : i64
    scf.yield %a : i64
  }
  func.return %r : i64
}
