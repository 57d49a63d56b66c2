// The prompt carries nothing that changes from run to run: the fault's pc and faulting
// address (ASLR moves them every run) become <address>, a location keeps only its file
// name. The same fault gives byte-identical prompts, run after run and whatever the
// addresses were; the rejection shown on the second attempt (which names an address too)
// is stable as well.
// RUN: rm -f %t.a %t.b %t.c
// RUN: neurojit-opt %s -p 'llm-repair{runner=mock responses="%S/Inputs/still-faulty-then-good.txt" proposers=model cache=none prompt-log="%t.a"}' -o /dev/null
// RUN: neurojit-opt %s -p 'llm-repair{runner=mock responses="%S/Inputs/still-faulty-then-good.txt" proposers=model cache=none prompt-log="%t.b"}' -o /dev/null
// RUN: neurojit-opt %S/Inputs/prompt-other-address.mlir -p 'llm-repair{runner=mock responses="%S/Inputs/still-faulty-then-good.txt" proposers=model cache=none prompt-log="%t.c"}' -o /dev/null
// RUN: diff %t.a %t.b
// RUN: diff %t.a %t.c
// RUN: FileCheck %s < %t.a

// CHECK:      Fault in @div: division-by-zero: integer division by zero at pc <address> (SIGFPE)
// CHECK-NOT:  0x7f
// CHECK:      // -----
// CHECK:      Attempt 1 was rejected: run: still faults on the triggering inputs: division-by-zero
// CHECK-NOT:  0x
// CHECK:      // -----

func.func @div(%a: i64, %b: i64) -> i64 attributes {neurojit.fault = #neurojit.fault<kind = "division-by-zero", message = "integer division by zero at pc 0x7f3a9c0e1234 (SIGFPE)", inputs = [7 : i64, 0 : i64], loc = "/tmp/run-8812/div.mlir:22:8">} {
  %q = arith.divsi %a, %b : i64
  func.return %q : i64
}
