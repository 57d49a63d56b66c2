func.func @main(%a: i64) -> i64 {
  %c = arith.constant 2 : i64
  %b = math.ipowi %a, %c : i64
  return %b : i64
}
