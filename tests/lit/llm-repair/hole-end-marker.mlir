// A hole with no result (here the assertion a trap with no location is inferred to come
// from) is answered by ending at its marker: the answer "nothing" removes the op.
// RUN: rm -f %t.log
// RUN: neurojit-opt %s -p 'llm-repair{runner=mock responses="%S/Inputs/hole-end-marker.txt" proposers=model cache=none prompt-log="%t.log"}' 2>/dev/null | FileCheck %s
// RUN: FileCheck %s --check-prefix=PROMPT < %t.log

// CHECK: neurojit.strategy = #neurojit.strategy<source = "mock", model = "hole-end-marker.txt", attempt = 1,
// CHECK-NOT: cf.assert
// CHECK: func.return %x : i64

// PROMPT: Example, a trap fault. Hole:
// PROMPT-NEXT: cf.assert %ready, "not ready"
// PROMPT: Replacement:
// PROMPT-NEXT: // HOLE: to here
// PROMPT: {{^}}  // HOLE: replace from here
// PROMPT-NEXT: {{^}}  cf.assert %ok, "positive"
// PROMPT-NEXT: {{^}}  // HOLE: to here
// PROMPT: Define: nothing (end the answer with `// HOLE: to here`; it may be all the answer)

func.func @check(%x: i64) -> i64 attributes {neurojit.fault = #neurojit.fault<kind = "trap", message = "trap or illegal instruction at pc 0x7f0000001234 (SIGILL)", inputs = [-3 : i64]>} {
  %c0 = arith.constant 0 : i64
  %ok = arith.cmpi sgt, %x, %c0 : i64
  cf.assert %ok, "positive"
  func.return %x : i64
}
