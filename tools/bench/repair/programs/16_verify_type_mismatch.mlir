// KIND: verifier-error
// ENTRY: scale
// CALLS: [[3, 4], [5, 6]]
// EXPECT: [7, 11]
// Adds an i32 to an i64 without an extension (generic form, so it parses; the verifier rejects it).
func.func @scale(%a: i32, %b: i64) -> i64 {
  %s = "arith.addi"(%a, %b) : (i32, i64) -> i64
  func.return %s : i64
}
