// KIND: out-of-bounds
// ENTRY: lookup
// CALLS: [[[10, 20, 30, 40], 1], [[10, 20, 30, 40], 3], [[10, 20, 30, 40], 4]]
// Table lookup; index 4 is one past the end.
func.func @lookup(%t: memref<4xi64>, %i: index) -> i64 {
  %v = memref.load %t[%i] : memref<4xi64>
  func.return %v : i64
}
