// KIND: division-by-zero
// ENTRY: bucket
// CALLS: [[[5, 6, 7], 4, 3], [[5, 6, 7], 8, 3], [[], 4, 0]]
// A histogram bucket: key mod bucket count, then that bucket. With no buckets the remainder
// divides by zero; once that is guarded, the same input reads hist[0] of an empty histogram.
func.func @bucket(%hist: memref<?xi64>, %x: i64, %n: i64) -> i64 {
  %r = arith.remui %x, %n : i64
  %i = arith.index_cast %r : i64 to index
  %v = memref.load %hist[%i] : memref<?xi64>
  func.return %v : i64
}
