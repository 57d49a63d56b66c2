// KIND: division-by-zero
// ENTRY: bucket
// CALLS: [[17, 4], [9, 5], [3, 0]]
// Hash-bucket index (key mod bucket count); a table with no buckets yet faults.
func.func @bucket(%key: i64, %n: i64) -> i64 {
  %k = arith.muli %key, %key : i64
  %r = arith.remsi %k, %n : i64
  func.return %r : i64
}
