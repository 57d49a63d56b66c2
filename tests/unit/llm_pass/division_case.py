"""A division by zero, and a guard that repairs it: the case several repair tests share."""

SOURCE = """
func.func private @helper(i64) -> i64
func.func @div(%a: i64, %b: i64) -> i64 attributes {neurojit.fault = #neurojit.fault<
    kind = "division-by-zero", message = "divisor is 0", inputs = [7 : i64, 0 : i64]>} {
  %q = arith.divsi %a, %b : i64
  func.return %q : i64
}
"""

# Safe, but returns a / 1 = a when b == 0.
BY_ONE = """func.func @div(%a: i64, %b: i64) -> i64 {
  %zero = arith.constant 0 : i64
  %one = arith.constant 1 : i64
  %z = arith.cmpi eq, %b, %zero : i64
  %d = arith.select %z, %one, %b : i64
  %q = arith.divsi %a, %d : i64
  func.return %q : i64
}"""
