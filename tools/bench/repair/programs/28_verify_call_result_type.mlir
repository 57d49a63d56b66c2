// KIND: verifier-error
// ENTRY: low_total
// CALLS: [[3, 4], [100, 20], [-5, 2]]
// EXPECT: [7, 120, -3]
// Calls @total as if it returned i32; it returns i64.
func.func @total(%a: i64, %b: i64) -> i64 {
  %s = arith.addi %a, %b : i64
  func.return %s : i64
}

func.func @low_total(%a: i64, %b: i64) -> i32 {
  %r = "func.call"(%a, %b) {callee = @total} : (i64, i64) -> i32
  func.return %r : i32
}
