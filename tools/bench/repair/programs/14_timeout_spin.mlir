// KIND: timeout
// ENTRY: spin
// CALLS: [[-4], [-10], [3]]
// Counts up by 2 until 0: from an odd or positive start it never gets there.
func.func @spin(%a: i64) -> i64 {
  %zero = arith.constant 0 : i64
  %two = arith.constant 2 : i64
  %r = scf.while (%x = %a) : (i64) -> i64 {
    %c = arith.cmpi ne, %x, %zero : i64
    scf.condition(%c) %x : i64
  } do {
  ^bb0(%y: i64):
    %z = arith.addi %y, %two : i64
    scf.yield %z : i64
  }
  func.return %r : i64
}
