// Control flow and calls: recursion (through the dispatch slot), scf.while, cf branches.
// RUN: neurojit-run %s --runner none | FileCheck %s --check-prefix=MAIN
// RUN: neurojit-run %s --runner none --entry collatz --arg 27 | FileCheck %s --check-prefix=COLLATZ
// RUN: neurojit-run %s --runner none --entry sign --arg=-5 | FileCheck %s --check-prefix=NEG
// RUN: neurojit-run %s --runner none --entry sign --arg 0 | FileCheck %s --check-prefix=ZERO

// fib(20) = 6765
// MAIN: 6765
func.func @main() -> i64 {
  %n = arith.constant 20 : i64
  %r = func.call @fib(%n) : (i64) -> i64
  return %r : i64
}

func.func private @fib(%n: i64) -> i64 {
  %two = arith.constant 2 : i64
  %small = arith.cmpi slt, %n, %two : i64
  %r = scf.if %small -> (i64) {
    scf.yield %n : i64
  } else {
    %one = arith.constant 1 : i64
    %a = arith.subi %n, %one : i64
    %b = arith.subi %n, %two : i64
    %fa = func.call @fib(%a) : (i64) -> i64
    %fb = func.call @fib(%b) : (i64) -> i64
    %s = arith.addi %fa, %fb : i64
    scf.yield %s : i64
  }
  return %r : i64
}

// 27 takes 111 steps to reach 1.
// COLLATZ: 111
func.func @collatz(%start: i64) -> i64 {
  %zero = arith.constant 0 : i64
  %one = arith.constant 1 : i64
  %two = arith.constant 2 : i64
  %three = arith.constant 3 : i64
  %res:2 = scf.while (%n = %start, %steps = %zero) : (i64, i64) -> (i64, i64) {
    %go = arith.cmpi ne, %n, %one : i64
    scf.condition(%go) %n, %steps : i64, i64
  } do {
  ^bb0(%m: i64, %s: i64):
    %r = arith.remui %m, %two : i64
    %even = arith.cmpi eq, %r, %zero : i64
    %next = scf.if %even -> (i64) {
      %h = arith.divui %m, %two : i64
      scf.yield %h : i64
    } else {
      %t = arith.muli %m, %three : i64
      %u = arith.addi %t, %one : i64
      scf.yield %u : i64
    }
    %s1 = arith.addi %s, %one : i64
    scf.yield %next, %s1 : i64, i64
  }
  return %res#1 : i64
}

// NEG: -1
// ZERO: 0
func.func @sign(%x: i64) -> i64 {
  %zero = arith.constant 0 : i64
  %neg = arith.cmpi slt, %x, %zero : i64
  cf.cond_br %neg, ^minus, ^rest
^minus:
  %m = arith.constant -1 : i64
  return %m : i64
^rest:
  %pos = arith.cmpi sgt, %x, %zero : i64
  %p = arith.extui %pos : i1 to i64
  return %p : i64
}
