// KIND: stack-overflow
// ENTRY: tri_total
// CALLS: [[3, 4], [1, 2], [2, -1]]
// Triangle numbers by recursion in a callee; its base case is n == 0, so a negative n
// recurses until the stack runs out.
func.func @tri(%n: i64) -> i64 {
  %z = arith.constant 0 : i64
  %c1 = arith.constant 1 : i64
  %is0 = arith.cmpi eq, %n, %z : i64
  %r = scf.if %is0 -> (i64) {
    scf.yield %z : i64
  } else {
    %m = arith.subi %n, %c1 : i64
    %t = func.call @tri(%m) : (i64) -> i64
    %s = arith.addi %n, %t : i64
    scf.yield %s : i64
  }
  func.return %r : i64
}

func.func @tri_total(%a: i64, %b: i64) -> i64 {
  %ta = func.call @tri(%a) : (i64) -> i64
  %tb = func.call @tri(%b) : (i64) -> i64
  %s = arith.addi %ta, %tb : i64
  func.return %s : i64
}
