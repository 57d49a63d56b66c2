// The same options through xdsl-opt's -p pipeline and mlir-opt's pass flag, composed with
// another pass.
// RUN: neurojit-opt %s -p 'llm-repair{runner=mock responses="%S/Inputs/fenced.txt" max-attempts=1 proposers=model cache=none},convert-scf-to-cf' | FileCheck %s
// With proposers=model,rules and no recorded calls, the rules' candidate competes with the
// model's and the smaller edit wins (the rules keep the scf.if the model flattened).
// RUN: neurojit-opt %s --llm-repair='runner=mock responses=%S/Inputs/fenced.txt max-attempts=1 proposers=model,rules cache=none temperature=0 seed=3 max-tokens=64' --convert-scf-to-cf | FileCheck %s --check-prefix=BOTH
// An unquoted path inside -p works too, as in mlir-opt.
// RUN: cd %S && neurojit-opt %s -p 'llm-repair{runner=mock responses=Inputs/fenced.txt max-attempts=1 proposers=model cache=none}' | FileCheck %s
// Bad option values are one-line errors.
// RUN: not neurojit-opt %s -p 'llm-repair{proposers=oracle cache=none}' 2>&1 | FileCheck %s --check-prefix=BAD
// RUN: not neurojit-opt %s -p 'llm-repair{max-attemps=2}' 2>&1 | FileCheck %s --check-prefix=TYPO

// CHECK: #neurojit.strategy<source = "mock", model = "fenced.txt", attempt = 1
// CHECK-NOT: scf.if
// CHECK: arith.divsi
// BOTH: #neurojit.strategy<source = "rules", model = "zero-result", attempt = 1
// BOTH: cf.cond_br
// BAD: error: llm-repair: unknown proposer 'oracle'
// TYPO: error: bad option for pass 'llm-repair': {{.*}}max_attemps

func.func @div(%a: i64, %b: i64) -> i64 attributes {neurojit.fault = #neurojit.fault<kind = "division-by-zero", message = "divisor is 0", inputs = [7 : i64, 0 : i64]>} {
  %c = arith.constant true
  %q = scf.if %c -> (i64) {
    %d = arith.divsi %a, %b : i64
    scf.yield %d : i64
  } else {
    scf.yield %a : i64
  }
  func.return %q : i64
}
