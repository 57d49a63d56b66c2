// KIND: verifier-error
// ENTRY: pick
// CALLS: [[2, 3], [9, 4]]
// EXPECT: [5, 9]
// The else block computes a sum but never returns it.
func.func @pick(%a: i64, %b: i64) -> i64 {
  %c = arith.cmpi sgt, %a, %b : i64
  cf.cond_br %c, ^bb1, ^bb2
^bb1:
  func.return %a : i64
^bb2:
  %s = arith.addi %a, %b : i64
}
