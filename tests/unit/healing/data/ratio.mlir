// A latent division by zero: fine until the caller passes a zero divisor.
func.func @ratio(%a: i64, %b: i64) -> i64 {
  %q = arith.divsi %a, %b : i64
  return %q : i64
}

// Calls @ratio from native code: a swap of @ratio must be visible here too.
func.func @sum_ratios(%n: i64, %d: i64) -> i64 {
  %c0 = arith.constant 0 : i64
  %c1 = arith.constant 1 : i64
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %c0) -> (i64) : i64 {
    %k = arith.subi %d, %i : i64
    %q = func.call @ratio(%n, %k) : (i64, i64) -> i64
    %s = arith.addi %acc, %q : i64
    scf.yield %s : i64
  }
  return %r : i64
}
