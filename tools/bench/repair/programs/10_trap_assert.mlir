// KIND: trap
// ENTRY: isqrt
// CALLS: [[16], [10], [-4]]
// Integer square root by Newton steps; it asserts a non-negative input.
func.func @isqrt(%a: i64) -> i64 {
  %zero = arith.constant 0 : i64
  %one = arith.constant 1 : i64
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c32 = arith.constant 32 : index
  %ok = arith.cmpi sge, %a, %zero : i64
  cf.assert %ok, "isqrt of a negative number"
  %x0 = arith.addi %a, %one : i64
  %r = scf.for %i = %c0 to %c32 step %c1 iter_args(%x = %x0) -> (i64) {
    %q = arith.divsi %a, %x : i64
    %s = arith.addi %x, %q : i64
    %two = arith.constant 2 : i64
    %h = arith.divsi %s, %two : i64
    %better = arith.cmpi slt, %h, %x : i64
    %n = arith.select %better, %h, %x : i64
    scf.yield %n : i64
  }
  func.return %r : i64
}
