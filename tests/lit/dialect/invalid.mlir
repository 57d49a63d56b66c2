// Every verifier error of the neurojit dialect, each in its own split.
// RUN: neurojit-opt %s --split-input-file --verify-diagnostics

func.func @unknown_kind_in_check(%c: i1) {
  // expected-error @+1 {{unknown fault kind "division-by-one"}}
  neurojit.check %c, "division-by-one", "m"
  func.return
}

// -----

func.func @non_i1_condition(%c: i64) {
  // expected-error @+1 {{condition must be i1, got i64}}
  "neurojit.check"(%c) <{kind = "trap", message = "m"}> : (i64) -> ()
  func.return
}

// -----

func.func @non_i1_condition_custom(%c: i32) {
  // The custom form fixes the condition's type to i1, so the parser catches it.
  // expected-error @+1 {{operand is used with type i1, but has been previously used or defined with type i32}}
  neurojit.check %c, "trap", "m"
  func.return
}

// -----

func.func @too_many_values(%c: i1, %a: i64) {
  // expected-error @+1 {{at most 2 reported values, got 3}}
  neurojit.check %c, "trap", "m" (%a : i64, %a : i64, %a : i64)
  func.return
}

// -----

func.func @placeholder_without_value(%c: i1, %a: i64) {
  // expected-error @+1 {{message names {1} but the check reports 1 value(s)}}
  neurojit.check %c, "trap", "{0} and {1}" (%a : i64)
  func.return
}

// -----

func.func @value_not_a_number(%c: i1, %m: memref<4xi64>) {
  // expected-error @+1 {{reported values must be integer, index or float, got memref<4xi64>}}
  neurojit.check %c, "out-of-bounds", "m" (%m : memref<4xi64>)
  func.return
}

// -----

// expected-error @+1 {{unknown fault kind "oops"}}
func.func @unknown_kind_in_fault() attributes {neurojit.fault = #neurojit.fault<kind = "oops", message = "m", inputs = []>} {
  func.return
}

// -----

// expected-error @+1 {{#neurojit.fault has 1 input(s) but @count takes 2 argument(s)}}
func.func @count(%a: i64, %b: i64) attributes {neurojit.fault = #neurojit.fault<kind = "trap", message = "m", inputs = [1 : i64]>} {
  func.return
}

// -----

// expected-error @+1 {{#neurojit.fault input #1 has type i32 but argument #1 of @types is i64}}
func.func @types(%a: i64, %b: i64) attributes {neurojit.fault = #neurojit.fault<kind = "trap", message = "m", inputs = [1 : i64, 2 : i32]>} {
  func.return
}

// -----

// expected-error @+1 {{fault inputs must be typed integer or float values}}
func.func @untyped(%a: i64) attributes {neurojit.fault = #neurojit.fault<kind = "trap", message = "m", inputs = ["one"]>} {
  func.return
}

// -----

// expected-error @+1 {{#neurojit.fault needs a 'message' field}}
func.func @no_message() attributes {neurojit.fault = #neurojit.fault<kind = "trap">} {
  func.return
}

// -----

// expected-error @+1 {{unknown field 'where' in #neurojit.fault}}
func.func @bad_field() attributes {neurojit.fault = #neurojit.fault<kind = "trap", message = "m", where = "x">} {
  func.return
}

// -----

// expected-error @+1 {{'neurojit.fault' must be a #neurojit.fault attribute}}
func.func @wrong_attr() attributes {neurojit.fault = "division-by-zero"} {
  func.return
}

// -----

// expected-error @+1 {{#neurojit.strategy needs a 'source' field}}
func.func @no_source() attributes {neurojit.strategy = #neurojit.strategy<model = "m">} {
  func.return
}

// -----

// expected-error @+1 {{'neurojit.strategy' must be a #neurojit.strategy attribute}}
func.func @wrong_strategy() attributes {neurojit.strategy = 3 : i64} {
  func.return
}
