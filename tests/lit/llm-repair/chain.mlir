// A repair chain: dropping the failing assert removes the trap, but the same input then
// divides by zero. That candidate is kept as a link, the division is repaired in turn, and
// the whole chain is validated (the faulting input runs cleanly; generated inputs where the
// original returns give the same results) and reported link by link.
// RUN: neurojit-opt %s -p 'llm-repair{proposers=rules cache=none}' 2>%t.err | FileCheck %s
// RUN: FileCheck %s --check-prefix=NOTES < %t.err

// CHECK-LABEL: func.func @per_item
// CHECK-SAME:    #neurojit.strategy<source = "rules", model = "zero-result"
// CHECK-NOT:     cf.assert
// CHECK:         arith.divsi
// CHECK:         arith.select

// NOTES: note: llm-repair: @per_item repaired by rules, validated: differential on {{[0-9]+}} {{generated|sampled}} inputs
// NOTES-NEXT: note: llm-repair: @per_item chain link 1/2: trap (no items) removed by rules [drop-assert]
// NOTES-NEXT: note: llm-repair: @per_item chain link 2/2: division-by-zero ({{.*}}) removed by rules [zero-result]

func.func @per_item(%total: i64, %n: i64) -> i64 attributes {neurojit.fault = #neurojit.fault<kind = "trap", message = "no items", inputs = [5 : i64, 0 : i64]>} {
  %z = arith.constant 0 : i64
  %ok = arith.cmpi sgt, %n, %z : i64
  cf.assert %ok, "no items"
  %avg = arith.divsi %total, %n : i64
  func.return %avg : i64
}
