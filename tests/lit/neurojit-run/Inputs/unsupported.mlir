func.func @main(%a: i64) -> i64 {
  %c = arith.constant 2 : i64
  %t = tensor.empty() : tensor<4xi64>
  return %c : i64
}
