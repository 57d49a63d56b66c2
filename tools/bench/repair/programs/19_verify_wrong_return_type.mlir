// KIND: verifier-error
// ENTRY: low
// CALLS: [[7, 1], [300, 2]]
// EXPECT: [8, 302]
// Declared to return i64 but returns the truncated i32.
func.func @low(%a: i64, %b: i64) -> i64 {
  %s = arith.addi %a, %b : i64
  %x = arith.trunci %s : i64 to i32
  func.return %x : i32
}
