// KIND: verifier-error
// ENTRY: mix
// CALLS: [[2, 3], [-1, 4]]
// EXPECT: [25, 9]
// A callee adds an i32 to an i64 without extending it; the entry squares the sum.
func.func @widen_add(%a: i32, %b: i64) -> i64 {
  %s = "arith.addi"(%a, %b) : (i32, i64) -> i64
  func.return %s : i64
}

func.func @mix(%a: i32, %b: i64) -> i64 {
  %s = func.call @widen_add(%a, %b) : (i32, i64) -> i64
  %sq = arith.muli %s, %s : i64
  func.return %sq : i64
}
