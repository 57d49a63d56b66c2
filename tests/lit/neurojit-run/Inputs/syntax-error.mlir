func.func @main() -> i64 {
  %a = arith.constant 1 : i64
  %b = arith.addi %a, : i64
  return %b : i64
}
