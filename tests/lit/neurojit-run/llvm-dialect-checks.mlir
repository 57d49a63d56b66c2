// Input already lowered to the llvm dialect (mlir-opt-19's output, as upstream's RUN lines
// pipe it) gets the same division checks as arith: a zero divisor is a located fault report,
// not a SIGFPE or, after -O3 folds the undefined division, a wrong value.
// REQUIRES: native, mlir-opt
// RUN: %mlir-opt %s --convert-arith-to-llvm --convert-func-to-llvm | %python %S/Inputs/expect_exit.py 3 neurojit-run - --runner none -O3 --arg 7 --arg 0 2>&1 | FileCheck %s --check-prefix=ZERO
// ZERO: neurojit-run: division-by-zero: divisor is zero in 7 / 0 at <stdin>:{{[0-9]+}}:{{[0-9]+}} in @main
// RUN: %mlir-opt %s --convert-arith-to-llvm --convert-func-to-llvm | %python %S/Inputs/expect_exit.py 3 neurojit-run - --runner none --arg=-9223372036854775808 --arg=-1 2>&1 | FileCheck %s --check-prefix=OVERFLOW
// OVERFLOW: neurojit-run: signed-overflow: -9223372036854775808 / -1 overflows
// RUN: %mlir-opt %s --convert-arith-to-llvm --convert-func-to-llvm | neurojit-run - --runner none --arg 7 --arg 2 | FileCheck %s --check-prefix=OK
// OK: 3
func.func @main(%a: i64, %b: i64) -> i64 {
  %q = arith.divsi %a, %b : i64
  return %q : i64
}
