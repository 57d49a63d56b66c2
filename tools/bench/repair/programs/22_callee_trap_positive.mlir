// KIND: trap
// ENTRY: checked_total
// CALLS: [[1, 2], [5, 6], [3, -1]]
// A callee asserts its argument is positive; a refund (-1) trips it.
func.func @positive(%x: i64) -> i64 {
  %z = arith.constant 0 : i64
  %ok = arith.cmpi sgt, %x, %z : i64
  cf.assert %ok, "amount must be positive"
  func.return %x : i64
}

func.func @checked_total(%a: i64, %b: i64) -> i64 {
  %pa = func.call @positive(%a) : (i64) -> i64
  %pb = func.call @positive(%b) : (i64) -> i64
  %s = arith.addi %pa, %pb : i64
  func.return %s : i64
}
