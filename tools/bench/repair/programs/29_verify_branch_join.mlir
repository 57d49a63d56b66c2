// KIND: verifier-error
// ENTRY: join
// CALLS: [[3, 1], [3, 0], [5, 1]]
// EXPECT: [13, 13, 31]
// %v is defined in one branch and used at the join: its definition does not dominate the use.
func.func @join(%a: i64, %p: i1) -> i64 {
  %one = arith.constant 1 : i64
  cf.cond_br %p, ^bb1, ^bb2
^bb1:
  %sq = arith.muli %a, %a : i64
  %v = arith.addi %sq, %one : i64
  cf.br ^bb3
^bb2:
  cf.br ^bb3
^bb3:
  %w = arith.addi %v, %a : i64
  func.return %w : i64
}
