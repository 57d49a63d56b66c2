// REQUIRES: mlir-opt, mlir-cpu-runner
// The architecture's pipeline: explicit checks first, then the repair. The checks are
// instrumentation, not meaning: the repair drops the one that guarded the old divisor (or it
// would fault again). Upstream MLIR 19 then runs the repaired module as the oracle:
// div(7, 0) + div(INT64_MIN, -1) + div(100, 7) = 0 + 0 + 14.
// RUN: neurojit-opt %s -p 'neurojit-insert-checks,llm-repair{proposers=rules cache=none}' > %t.mlir
// RUN: FileCheck %s --check-prefix=IR < %t.mlir
// RUN: sed -e 's/ attributes {neurojit.strategy = [^}]*}//' %t.mlir | %mlir-opt --convert-scf-to-cf --convert-math-to-llvm --convert-arith-to-llvm --finalize-memref-to-llvm --convert-func-to-llvm --convert-cf-to-llvm --reconcile-unrealized-casts | %mlir-cpu-runner -e main -entry-point-result=i64 | FileCheck %s --check-prefix=EXEC

// IR-LABEL: func.func @div
// IR-SAME:    #neurojit.strategy<source = "rules", model = "zero-result"
// IR-NOT:     neurojit.check
// IR-LABEL: func.func @main
// EXEC: 14

func.func @div(%a: i64, %b: i64) -> i64 attributes {neurojit.fault = #neurojit.fault<kind = "division-by-zero", message = "divisor is 0", inputs = [7 : i64, 0 : i64]>} {
  %q = arith.divsi %a, %b : i64
  func.return %q : i64
}

func.func @main() -> i64 {
  %seven = arith.constant 7 : i64
  %zero = arith.constant 0 : i64
  %min = arith.constant -9223372036854775808 : i64
  %m1 = arith.constant -1 : i64
  %hundred = arith.constant 100 : i64
  %r1 = func.call @div(%seven, %zero) : (i64, i64) -> i64
  %r2 = func.call @div(%min, %m1) : (i64, i64) -> i64
  %r3 = func.call @div(%hundred, %seven) : (i64, i64) -> i64
  %s = arith.addi %r1, %r2 : i64
  %t = arith.addi %s, %r3 : i64
  func.return %t : i64
}
