// KIND: verifier-error
// ENTRY: square_plus_one
// CALLS: [[3], [0], [5]]
// EXPECT: [10, 1, 26]
// A square computed in the loop body and used after the loop (the body does not dominate
// the exit: with n = 0 it never runs).
func.func @square_plus_one(%n: i64) -> i64 {
  %c0 = arith.constant 0 : i64
  %c1 = arith.constant 1 : i64
  cf.br ^head(%c0 : i64)
^head(%i: i64):
  %more = arith.cmpi slt, %i, %n : i64
  cf.cond_br %more, ^body, ^exit
^body:
  %sq = arith.muli %n, %n : i64
  %next = arith.addi %i, %c1 : i64
  cf.br ^head(%next : i64)
^exit:
  %r = arith.addi %sq, %c1 : i64
  func.return %r : i64
}
