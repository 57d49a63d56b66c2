// --verify-diagnostics matches `expected-error` designators against the diagnostics:
// passing here, failing on the files in Inputs/ (a missing, an unexpected, a misplaced one).
// RUN: neurojit-opt %s --split-input-file --verify-diagnostics
// RUN: not neurojit-opt %S/Inputs/diag-missing.mlir --verify-diagnostics 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: not neurojit-opt %S/Inputs/diag-unexpected.mlir --verify-diagnostics 2>&1 | FileCheck %s --check-prefix=UNEXPECTED
// RUN: not neurojit-opt %S/Inputs/diag-wrong-line.mlir --verify-diagnostics 2>&1 | FileCheck %s --check-prefix=WRONGLINE
// Per split: the expectation of one piece cannot be satisfied by another piece's error.
// RUN: not neurojit-opt %S/Inputs/diag-split.mlir --split-input-file --verify-diagnostics 2>&1 | FileCheck %s --check-prefix=SPLIT
// Without --verify-diagnostics the same file is simply an error.
// RUN: not neurojit-opt %s --split-input-file 2>&1 | FileCheck %s --check-prefix=PLAIN

// MISSING: diag-missing.mlir:3:6: error: expected error "condition must be i1" was not produced
// UNEXPECTED: diag-unexpected.mlir:4:3: error: unexpected error: 'neurojit.check' op unknown fault kind "nope"
// WRONGLINE: diag-wrong-line.mlir:3:6: error: expected error "condition must be i1" was not produced
// WRONGLINE: diag-wrong-line.mlir:4:3: error: unexpected error: 'neurojit.check' op condition must be i1
// SPLIT: diag-split.mlir:5:6: error: expected error "unknown fault kind" was not produced
// SPLIT: diag-split.mlir:9:3: error: unexpected error: {{.*}}unknown fault kind "nope"
// PLAIN: verify-diagnostics.mlir:[[# @LINE + 4]]:3: error: 'neurojit.check' op condition must be i1

// Same line.
func.func @same_line(%c: i64) {
  "neurojit.check"(%c) <{kind = "trap", message = "m"}> : (i64) -> () // expected-error {{condition must be i1}}
  func.return
}

// -----

// @+N and a parse error (which stops the piece).
func.func @plus(%c: i1) {
  // expected-error @+2 {{unknown fault kind "nope"}}

  neurojit.check %c, "nope", "m"
  func.return
}

// -----

// @-N, and several designators in one piece.
func.func @minus(%c: i64) {
  "neurojit.check"(%c) <{kind = "trap", message = "m"}> : (i64) -> ()
  // expected-error @-1 {{condition must be i1, got i64}}
  func.return
}

// -----

// @above / @below.
// expected-error @below {{has 1 input(s) but @f takes 0}}
func.func @f() attributes {neurojit.fault = #neurojit.fault<kind = "trap", message = "m", inputs = [1 : i64]>} {
  func.return
}

// -----

// A piece without errors and without expectations is fine.
func.func @clean() {
  func.return
}
