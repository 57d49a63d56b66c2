// The failure diagnostic sits on the function, so MLIR-style expectations match it, per split.
// RUN: neurojit-opt %s --split-input-file --verify-diagnostics -p 'llm-repair{proposers=rules cache=none}'

// A trap with no cf.assert to drop: no rule template fits.
// expected-error @+1 {{llm-repair could not repair @t (trap) after 1 attempt(s): rules: no rule template fits a trap here}}
func.func @t(%a: i64) -> i64 attributes {neurojit.fault = #neurojit.fault<kind = "trap", message = "llvm.trap reached">} {
  func.return %a : i64
}

// -----

// A function without a fault is left alone, and no diagnostic is expected.
func.func @fine(%a: i64) -> i64 {
  func.return %a : i64
}
