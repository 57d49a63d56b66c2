// KIND: signed-overflow
// ENTRY: quot
// CALLS: [[8, 2], [-9, 3], [-2147483648, -1]]
// 32-bit quotient; INT_MIN / -1 does not fit (SIGFPE on x86).
func.func @quot(%a: i32, %b: i32) -> i32 {
  %q = arith.divsi %a, %b : i32
  func.return %q : i32
}
