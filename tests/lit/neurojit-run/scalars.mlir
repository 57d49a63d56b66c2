// Scalars and multiple results through the packed entries: ints in decimal, i1 as 0/1,
// floats as Python's repr, one result per line.
// RUN: neurojit-run %s --runner none | FileCheck %s --check-prefix=MAIN
// RUN: neurojit-run - --runner none < %s | FileCheck %s --check-prefix=MAIN
// RUN: neurojit-run %s --runner none --entry mix --arg -7 --arg 2 --arg 0.5 | FileCheck %s --check-prefix=MIX
// RUN: neurojit-run %s --runner none --entry narrow --arg 200 --arg true | FileCheck %s --check-prefix=NARROW
// RUN: neurojit-run %s --runner none --entry f32 --arg 0.1 | FileCheck %s --check-prefix=F32
// RUN: neurojit-run %s --runner none --entry nothing | FileCheck %s --allow-empty --check-prefix=NONE
// RUN: neurojit-run %s --runner none --entry mix --arg 0x10 --arg 3 --arg=-inf --no-checks -O 0 | FileCheck %s --check-prefix=HEX

// MAIN: 42
// MAIN-EMPTY:
func.func @main() -> i64 {
  %a = arith.constant 6 : i64
  %b = arith.constant 7 : i64
  %c = arith.muli %a, %b : i64
  return %c : i64
}

// divsi truncates toward zero: -7/2 = -3 rem -1.
// MIX:      -3
// MIX-NEXT: -1
// MIX-NEXT: -2.5
// MIX-NEXT: 1
// HEX:      5
// HEX-NEXT: 1
// HEX-NEXT: -inf
// HEX-NEXT: 0
func.func @mix(%a: i64, %b: i64, %x: f64) -> (i64, i64, f64, i1) {
  %q = arith.divsi %a, %b : i64
  %r = arith.remsi %a, %b : i64
  %f = arith.sitofp %q : i64 to f64
  %g = arith.addf %f, %x : f64
  %z = arith.constant 0 : i64
  %neg = arith.cmpi slt, %r, %z : i64
  return %q, %r, %g, %neg : i64, i64, f64, i1
}

// NARROW:      -56
// NARROW-NEXT: 0
func.func @narrow(%a: i32, %b: i1) -> (i8, i1) {
  %t = arith.trunci %a : i32 to i8
  %one = arith.constant true
  %n = arith.xori %b, %one : i1
  return %t, %n : i8, i1
}

// 0.1 as f32 (0.100000001490116...) halved, printed as the Python float of that f32.
// F32: 0.05000000074505806
func.func @f32(%a: f32) -> f32 {
  %h = arith.constant 0.5 : f32
  %r = arith.mulf %a, %h : f32
  return %r : f32
}

// NONE-NOT: {{.}}
func.func @nothing() {
  return
}
