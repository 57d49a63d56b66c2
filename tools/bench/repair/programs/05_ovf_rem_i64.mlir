// KIND: signed-overflow
// ENTRY: wrap
// CALLS: [[10, 3], [-7, 2], [-9223372036854775808, -1]]
// 64-bit remainder; INT64_MIN rem -1 traps like the division does.
func.func @wrap(%a: i64, %b: i64) -> i64 {
  %r = arith.remsi %a, %b : i64
  func.return %r : i64
}
