// The fault of prompt-stable.mlir as another run reports it: other addresses, another
// temporary directory, another line above the function (the op stays on line 24, where the fault says it is).




















func.func @div(%a: i64, %b: i64) -> i64 attributes {neurojit.fault = #neurojit.fault<kind = "division-by-zero", message = "integer division by zero at pc 0x7ffd00c0ffee (SIGFPE)", inputs = [7 : i64, 0 : i64], loc = "/home/user/other/place/div.mlir:24:8">} {
  %q = arith.divsi %a, %b : i64
  func.return %q : i64
}
