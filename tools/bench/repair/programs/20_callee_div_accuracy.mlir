// KIND: division-by-zero
// ENTRY: team_accuracy
// CALLS: [[43, 100, 0], [9, 10, 0], [3, 10, 2], [5, 0, 1]]
// A team's accuracy in percent plus a bonus; @accuracy divides by the shot count, and a team
// with no shots yet faults inside the callee, which Python never calls directly.
func.func @accuracy(%hits: i64, %shots: i64) -> i64 {
  %c100 = arith.constant 100 : i64
  %scaled = arith.muli %hits, %c100 : i64
  %pct = arith.divsi %scaled, %shots : i64
  func.return %pct : i64
}

func.func @team_accuracy(%hits: i64, %shots: i64, %bonus: i64) -> i64 {
  %a = func.call @accuracy(%hits, %shots) : (i64, i64) -> i64
  %r = arith.addi %a, %bonus : i64
  func.return %r : i64
}
