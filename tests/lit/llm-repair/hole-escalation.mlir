// Each rejected attempt grows the hole: a safe value for the faulting op's divisor, then the
// faulting op, then its enclosing scf.for, then the whole function (its body a hole too: the third answer is body lines, spliced under
// the function's own header); the report names the scope of every attempt.
// RUN: rm -f %t.log
// RUN: not neurojit-opt %s -p 'llm-repair{runner=mock responses="%S/Inputs/hole-escalate.txt" proposers=model max-attempts=4 cache=none prompt-log="%t.log"}' 2>&1 | FileCheck %s
// RUN: FileCheck %s --check-prefix=PROMPTS < %t.log

// CHECK: error: llm-repair could not repair @loop (division-by-zero) after 4 attempt(s):
// CHECK-SAME: model #1 [operand hole]: run: still faults on the triggering inputs: division-by-zero
// CHECK-SAME: model #2 [op hole]: run: on inputs [{{[0-9]+}}, {{[0-9]+}}] returns 1, but the original returned 0;
// CHECK-SAME: model #3 [region hole]: unchanged: the answer is the faulty function, unchanged;
// CHECK-SAME: model #4: run:

// The operand hole (empty, in front of the op that reads %safe), then the op hole, then
// the loop as the hole (its body inside the markers), then the whole body as the hole:
// each prompt shows the function once, with that step's hole marked.
// PROMPTS: Function:
// PROMPTS: {{^}}    // HOLE: replace from here
// PROMPTS-NEXT: {{^}}    // HOLE: to here
// PROMPTS-NEXT: {{^}}    %q = arith.divsi %a, %safe : i64
// PROMPTS: Define: %safe : i64
// PROMPTS-NEXT: Replacement:
// PROMPTS: // -----
// PROMPTS: {{^}}    // HOLE: replace from here
// PROMPTS-NEXT: {{^}}    %q = arith.divsi %a, %d : i64
// PROMPTS-NEXT: {{^}}    // HOLE: to here
// PROMPTS: Define: %q : i64
// PROMPTS-NEXT: Attempt 1 was rejected: run:
// PROMPTS-NEXT: Replacement:
// PROMPTS: // -----
// PROMPTS: {{^}}  // HOLE: replace from here
// PROMPTS-NEXT: {{^}}  %s = scf.for %i = %c0 to %n step %c1 iter_args(%a = %z) -> (i64) {
// PROMPTS-NEXT: {{^}}    %q = arith.divsi %a, %d : i64
// PROMPTS-NEXT: {{^}}    scf.yield %q : i64
// PROMPTS-NEXT: {{^}}  }
// PROMPTS-NEXT: {{^}}  // HOLE: to here
// PROMPTS: Define: %s : i64
// PROMPTS-NEXT: Attempt 1 was rejected: run:
// PROMPTS-NEXT: Attempt 2 was rejected: run:
// PROMPTS: // -----
// PROMPTS: func.func @loop(%n: index, %d: i64) -> i64 {
// PROMPTS-NEXT: {{^}}  // HOLE: replace from here
// PROMPTS-NEXT: {{^}}  %z = arith.constant 1 : i64
// PROMPTS: {{^}}  func.return %s : i64
// PROMPTS-NEXT: {{^}}  // HOLE: to here
// PROMPTS-NEXT: {{^}}}
// PROMPTS-NEXT: End with: func.return of i64
// PROMPTS-NEXT: Attempt 1 was rejected: run:
// PROMPTS-NEXT: Attempt 2 was rejected: run:
// PROMPTS-NEXT: Attempt 3 was rejected: unchanged:
// PROMPTS-NEXT: Replacement:
// PROMPTS-NOT: Answer with one complete func.func

func.func @loop(%n: index, %d: i64) -> i64 attributes {neurojit.fault = #neurojit.fault<kind = "division-by-zero", message = "integer division by zero", inputs = [3 : index, 0 : i64], loc = "loop.mlir:59:10">} {
  %z = arith.constant 1 : i64
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %s = scf.for %i = %c0 to %n step %c1 iter_args(%a = %z) -> (i64) {
    %q = arith.divsi %a, %d : i64
    scf.yield %q : i64
  }
  func.return %s : i64
}
