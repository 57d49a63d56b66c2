// The custom form prints back as written, and the generic form parses back to the same IR.
// RUN: neurojit-opt %s | FileCheck %s
// RUN: neurojit-opt %s --print-op-generic | FileCheck %s --check-prefix=GENERIC
// RUN: neurojit-opt %s --print-op-generic | neurojit-opt | FileCheck %s
// RUN: neurojit-opt %s | neurojit-opt | FileCheck %s

// CHECK-LABEL: func.func @checks(
// CHECK-SAME: %a: i64, %b: i64, %i: index, %x: f32
// CHECK: neurojit.check %ok, "division-by-zero", "divisor {0} is zero" (%b : i64)
// CHECK-NEXT: neurojit.check %ok, "out-of-bounds", "index {0} outside [0, {1})" (%i : index, %i : index)
// CHECK-NEXT: neurojit.check %ok, "trap", "no values"
// CHECK-NEXT: neurojit.check %ok, "signed-overflow", "x = {0}" (%x : f32) {site = 7 : i64}
// GENERIC: "neurojit.check"(%ok, %b) <{kind = "division-by-zero", message = "divisor {0} is zero"}> : (i1, i64) -> ()
// GENERIC: "neurojit.check"(%ok, %i, %i) <{kind = "out-of-bounds", message = "index {0} outside [0, {1})"}> : (i1, index, index) -> ()
// GENERIC: "neurojit.check"(%ok) <{kind = "trap", message = "no values"}> : (i1) -> ()
// GENERIC: "neurojit.check"(%ok, %x) <{kind = "signed-overflow", message = "x = {0}"}> {site = 7 : i64} : (i1, f32) -> ()
func.func @checks(%a: i64, %b: i64, %i: index, %x: f32) -> i64 {
  %zero = arith.constant 0 : i64
  %ok = arith.cmpi ne, %b, %zero : i64
  neurojit.check %ok, "division-by-zero", "divisor {0} is zero" (%b : i64)
  neurojit.check %ok, "out-of-bounds", "index {0} outside [0, {1})" (%i : index, %i : index)
  neurojit.check %ok, "trap", "no values"
  neurojit.check %ok, "signed-overflow", "x = {0}" (%x : f32) {site = 7 : i64}
  %q = arith.divsi %a, %b : i64
  func.return %q : i64
}

// The attributes print in a fixed field order whatever order they were written in;
// `loc` is omitted when absent and inputs may be empty.
// CHECK-LABEL: func.func @faulted(
// CHECK-SAME: attributes {neurojit.fault = #neurojit.fault<kind = "division-by-zero", message = "divisor is zero", inputs = [100 : i64, 0 : i64], loc = "f.mlir:3:5">, neurojit.strategy = #neurojit.strategy<source = "model", model = "smollm2-135m", attempt = 2, fingerprint = "ab12cd">}
// GENERIC: {neurojit.fault = #neurojit.fault<kind = "division-by-zero", message = "divisor is zero", inputs = [100 : i64, 0 : i64], loc = "f.mlir:3:5">, neurojit.strategy = #neurojit.strategy<source = "model", model = "smollm2-135m", attempt = 2, fingerprint = "ab12cd">}
func.func @faulted(%a: i64, %b: i64) -> i64 attributes {
    neurojit.fault = #neurojit.fault<inputs = [100 : i64, 0 : i64], kind = "division-by-zero", loc = "f.mlir:3:5", message = "divisor is zero">,
    neurojit.strategy = #neurojit.strategy<fingerprint = "ab12cd", source = "model", attempt = 2, model = "smollm2-135m">} {
  %q = arith.divsi %a, %b : i64
  func.return %q : i64
}

// CHECK-LABEL: func.func @no_inputs(
// CHECK-SAME: attributes {neurojit.fault = #neurojit.fault<kind = "verifier-error", message = "float {0}", inputs = []>}
func.func @no_inputs(%x: f64) -> f64 attributes {neurojit.fault = #neurojit.fault<kind = "verifier-error", message = "float {0}", inputs = []>} {
  func.return %x : f64
}

// CHECK-LABEL: func.func @float_inputs(
// CHECK-SAME: inputs = [2.500000e+00 : f64, 3 : i32]
func.func @float_inputs(%x: f64, %n: i32) attributes {neurojit.fault = #neurojit.fault<kind = "timeout", message = "hung", inputs = [2.5 : f64, 3 : i32]>} {
  func.return
}
