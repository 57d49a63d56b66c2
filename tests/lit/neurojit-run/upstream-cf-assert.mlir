// cf.assert: a passing assert costs nothing; a failing one prints its message (puts, as
// upstream's lowering) and becomes a `trap` fault carrying the message (native front end;
// the xdsl one traps with SIGILL), where upstream's lowering would call abort() and kill the host.
// Both front ends lower it (the native one by legalising cf.assert first), checked
// against upstream MLIR 19 (mlir-opt-19 + mlir-cpu-runner-19) and a value worked out by hand.
// REQUIRES: native, mlir-opt, mlir-cpu-runner
// RUN: neurojit-run --frontend=native --runner none %s | FileCheck %s
// RUN: neurojit-run --frontend=native --runner none --no-checks -O 0 %s | FileCheck %s
// RUN: %mlir-opt %s --convert-scf-to-cf --convert-math-to-llvm --convert-arith-to-llvm --finalize-memref-to-llvm --convert-func-to-llvm --convert-cf-to-llvm --reconcile-unrealized-casts | %mlir-cpu-runner -e main -entry-point-result=i64 | FileCheck %s
// RUN: %python %S/Inputs/expect_exit.py 3 neurojit-run --runner none --entry check --arg=-1 %s 2>&1 | FileCheck %s --check-prefix=FAIL
// FAIL: neurojit-run: trap: {{.*}}in @check
// RUN: %python %S/Inputs/expect_exit.py 3 neurojit-run --frontend=native --runner none --entry check --arg=-1 %s 2>&1 | FileCheck %s --check-prefix=NATIVE
// NATIVE: a must not be negative
// NATIVE-NEXT: neurojit-run: trap: a must not be negative at {{.*}}upstream-cf-assert.mlir:24:3 in @check
// Already lowered by mlir-opt-19 (puts + abort): abort() is a trap fault, not a dead host.
// RUN: %mlir-opt %s --convert-scf-to-cf --convert-arith-to-llvm --convert-func-to-llvm --convert-cf-to-llvm --reconcile-unrealized-casts | %python %S/Inputs/expect_exit.py 3 neurojit-run - --runner none --entry check --arg=-1 2>&1 | FileCheck %s --check-prefix=LOWERED
// LOWERED: a must not be negative
// LOWERED-NEXT: neurojit-run: trap: abort() called

// CHECK: 42
func.func @check(%a: i64) -> i64 {
  %zero = arith.constant 0 : i64
  %ok = arith.cmpi sge, %a, %zero : i64
  cf.assert %ok, "a must not be negative"
  %two = arith.constant 2 : i64
  %r = arith.muli %a, %two : i64
  return %r : i64
}
func.func @main() -> i64 {
  %c = arith.constant 21 : i64
  %r = func.call @check(%c) : (i64) -> i64
  return %r : i64
}
