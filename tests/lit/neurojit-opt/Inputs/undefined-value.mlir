func.func @f(%a: i64) -> i64 {
  %b = arith.addi %a, %a : i64
  %c = arith.muli %b, %typo : i64
  func.return %c : i64
}
