// A chatty, fenced answer: the function is extracted, validated and installed.
// RUN: neurojit-opt %s -p 'llm-repair{runner=mock responses="%S/Inputs/fenced.txt" proposers=model,rules cache=none}' | FileCheck %s

// CHECK-LABEL: func.func @div(%a: i64, %b: i64) -> i64
// CHECK-SAME:    neurojit.strategy = #neurojit.strategy<source = "mock", model = "fenced.txt", attempt = 1, fingerprint = "{{[0-9a-f]+}}">
// CHECK-NOT:     neurojit.fault
// CHECK:         %[[Z:.*]] = arith.cmpi eq, %b, %{{.*}} : i64
// CHECK:         %[[S:.*]] = arith.select %[[Z]], %{{.*}}, %b : i64
// CHECK:         arith.divsi %a, %[[S]] : i64
// CHECK-NOT:     Sure
func.func @div(%a: i64, %b: i64) -> i64 attributes {neurojit.fault = #neurojit.fault<kind = "division-by-zero", message = "divisor is 0", inputs = [7 : i64, 0 : i64]>} {
  %q = arith.divsi %a, %b : i64
  func.return %q : i64
}
