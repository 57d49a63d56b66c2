// KIND: stack-overflow
// ENTRY: sum_even
// CALLS: [[4], [10], [7]]
// n + (n-2) + ... + 0, written for even n: an odd n steps over the base case.
func.func @sum_even(%n: i64) -> i64 {
  %zero = arith.constant 0 : i64
  %two = arith.constant 2 : i64
  %done = arith.cmpi eq, %n, %zero : i64
  %r = scf.if %done -> (i64) {
    scf.yield %zero : i64
  } else {
    %m = arith.subi %n, %two : i64
    %s = func.call @sum_even(%m) : (i64) -> i64
    %t = arith.addi %n, %s : i64
    scf.yield %t : i64
  }
  func.return %r : i64
}
