// `mlir(...)` in a neurojit-opt pipeline runs upstream MLIR 22's passes in-process, mixed
// with xDSL's and ours; the IR crosses as text and comes back into xDSL.
// REQUIRES: native
// RUN: neurojit-opt %s -p 'mlir(canonicalize)' | FileCheck %s --check-prefix=CANON
// RUN: neurojit-opt %s -p 'llm-repair{proposers=rules cache=none},mlir(canonicalize,cse),neurojit-insert-checks' | FileCheck %s --check-prefix=MIXED
// RUN: neurojit-opt %s -p 'mlir(canonicalize,convert-to-llvm)' | FileCheck %s --check-prefix=LLVM
// RUN: neurojit-opt %s -p 'mlir(canonicalize,convert-to-llvm)' | neurojit-opt | FileCheck %s --check-prefix=LLVM
// RUN: not neurojit-opt %s -p 'mlir(bogus-pass)' 2>&1 | FileCheck %s --check-prefix=BOGUS

// CANON-LABEL: func.func @fold
// CANON-NEXT:    %[[C:.*]] = arith.constant 6 : i64
// CANON-NEXT:    %[[R:.*]] = arith.addi %{{.*}}, %[[C]] : i64
// CANON-NEXT:    func.return %[[R]] : i64

// The repair (xDSL world) guards the division; upstream then folds the constants; our check
// pass (xDSL world again) still finds the division it must guard.
// MIXED-LABEL: func.func @div
// MIXED-SAME:    #neurojit.strategy<source = "rules"
// MIXED:         neurojit.check {{.*}}"division-by-zero"
// MIXED:         arith.divsi

// LLVM-LABEL: llvm.func @fold
// LLVM:         llvm.add
// LLVM-NOT:     arith.
// BOGUS: error: invalid upstream pipeline 'bogus-pass': 'bogus-pass' does not refer to a registered pass

func.func @fold(%a: i64) -> i64 {
  %c0 = arith.constant 0 : i64
  %b = arith.addi %a, %c0 : i64
  %c2 = arith.constant 2 : i64
  %c3 = arith.constant 3 : i64
  %m = arith.muli %c2, %c3 : i64
  %r = arith.addi %b, %m : i64
  return %r : i64
}

func.func @div(%a: i64, %b: i64) -> i64 attributes {neurojit.fault = #neurojit.fault<kind = "division-by-zero", message = "divisor is zero">} {
  %q = arith.divsi %a, %b : i64
  return %q : i64
}
