func.func @main(%a: i64) -> i64 {
  %c = arith.constant 2 : i64
  %t = tensor.empty() : tensor<4xi64>
  %f = linalg.fill ins(%c : i64) outs(%t : tensor<4xi64>) -> tensor<4xi64>
  %i = arith.constant 1 : index
  %v = tensor.extract %f[%i] : tensor<4xi64>
  return %v : i64
}
