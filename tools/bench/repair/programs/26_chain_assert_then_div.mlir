// KIND: trap
// ENTRY: per_item
// CALLS: [[10, 2], [9, 3], [5, 0]]
// Asserts there are items, then averages over them: without the assert, the same input
// divides by zero.
func.func @per_item(%total: i64, %n: i64) -> i64 {
  %z = arith.constant 0 : i64
  %ok = arith.cmpi sgt, %n, %z : i64
  cf.assert %ok, "no items"
  %avg = arith.divsi %total, %n : i64
  func.return %avg : i64
}
