// KIND: verifier-error
// ENTRY: poly
// CALLS: [[2, 3], [4, 5]]
// EXPECT: [11, 29]
// Uses %t before the op that defines it (a dominance error).
func.func @poly(%a: i64, %b: i64) -> i64 {
  %s = arith.addi %a, %t : i64
  %t = arith.muli %b, %b : i64
  func.return %s : i64
}
