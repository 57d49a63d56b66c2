// KIND: division-by-zero
// ENTRY: ratio
// CALLS: [[7, 2], [9, 3], [5, 0]]
// A ratio of two counters; the third call's denominator is an empty counter.
func.func @ratio(%a: i64, %b: i64) -> i64 {
  %q = arith.divsi %a, %b : i64
  func.return %q : i64
}
