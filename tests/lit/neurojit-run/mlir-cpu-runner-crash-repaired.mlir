// A program that crashes under mlir-cpu-runner-19 (SIGFPE: integer division by zero; it
// dies, and what it had printed to a pipe is lost) completes under neurojit-run with the
// same command line: the fault is repaired by the rules proposer, the entry re-run, and only
// the output of the attempt that completed is printed (no line twice).
// REQUIRES: native, mlir-opt, mlir-cpu-runner, mlir-c-runner-utils
// RUN: %mlir-opt %s --convert-scf-to-cf --convert-arith-to-llvm --finalize-memref-to-llvm --convert-func-to-llvm --convert-cf-to-llvm --reconcile-unrealized-casts > %t.ll.mlir
// RUN: %python %S/Inputs/expect_exit.py -8 %mlir-cpu-runner %t.ll.mlir -e main -entry-point-result=void -shared-libs=%mlir_c_runner_utils > %t.upstream.out
// RUN: FileCheck %s --check-prefix=UPSTREAM < %t.upstream.out
// UPSTREAM: Stack dump
// RUN: rm -rf %t.home && mkdir -p %t.home
// RUN: env NEUROJIT_HOME=%t.home neurojit-run --frontend=native %s -e main -entry-point-result=void -shared-libs=%mlir_c_runner_utils --runner mock --proposers rules --cache none 2> %t.err | FileCheck %s
// RUN: FileCheck %s --check-prefix=HEAL < %t.err
// HEAL: neurojit: fault in @ratio at {{.*}}mlir-cpu-runner-crash-repaired.mlir:25:3: division-by-zero: divisor is zero in 100 / 0
// HEAL: neurojit: resumed: re-ran @main

// CHECK: -25
// CHECK-NEXT: -50
// CHECK-NEXT: 0
// CHECK-NEXT: 50
// CHECK-NOT: {{.}}

func.func private @printI64(i64)
func.func private @printNewline()
func.func @ratio(%a: i64, %b: i64) -> i64 {
  %q = arith.divsi %a, %b : i64
  return %q : i64
}
func.func @main() {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %hundred = arith.constant 100 : i64
  %two = arith.constant 2 : i64
  scf.for %i = %c0 to %c4 step %c1 {
    %ii = arith.index_cast %i : index to i64
    %d = arith.subi %ii, %two : i64
    %e = arith.addi %d, %d : i64
    %r = func.call @ratio(%hundred, %e) : (i64, i64) -> i64
    func.call @printI64(%r) : (i64) -> ()
    func.call @printNewline() : () -> ()
  }
  return
}
