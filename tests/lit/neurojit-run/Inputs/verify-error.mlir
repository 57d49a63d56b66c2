func.func @main(%a: i64) -> i32 {
  return %a : i64
}
