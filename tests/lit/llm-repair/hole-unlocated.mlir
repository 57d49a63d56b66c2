// A fault with no location (a stack overflow) starts at the inferred site: the test that
// decides the recursion (op hole), then the scf.if holding the recursive call (region
// hole), then the whole body (function hole: body lines under the function's own header).
// RUN: rm -f %t.log
// RUN: neurojit-opt %s -p 'llm-repair{runner=mock responses="%S/Inputs/hole-unlocated.txt" proposers=model cache=none prompt-log="%t.log"}' 2>&1 | FileCheck %s
// RUN: FileCheck %s --check-prefix=PROMPTS < %t.log

// CHECK: note: llm-repair: @down repaired by mock
// CHECK: neurojit.strategy = #neurojit.strategy<source = "mock", model = "hole-unlocated.txt", attempt = 3,
// CHECK: %stop = arith.cmpi sle, %k, %c0 : i32

// PROMPTS: Fault in @down: stack-overflow: stack overflow
// PROMPTS: {{^}}  // HOLE: replace from here
// PROMPTS-NEXT: {{^}}  %stop = arith.cmpi eq, %k, %c0 : i32
// PROMPTS-NEXT: {{^}}  // HOLE: to here
// PROMPTS: Define: %stop : i1
// PROMPTS: // -----
// PROMPTS: {{^}}  // HOLE: replace from here
// PROMPTS-NEXT: {{^}}  %r = scf.if %stop -> (i32) {
// PROMPTS: Define: %r : i32
// PROMPTS-NEXT: Attempt 1 was rejected: hole: the answer is the hole, unchanged
// PROMPTS: // -----
// PROMPTS: func.func @down(%k: i32) -> i32 {
// PROMPTS-NEXT: {{^}}  // HOLE: replace from here
// PROMPTS: End with: func.return of i32
// PROMPTS-NEXT: Attempt 1 was rejected: hole: the answer is the hole, unchanged
// PROMPTS-NEXT: Attempt 2 was rejected: run:
// PROMPTS-NEXT: Replacement:

func.func @down(%k: i32) -> i32 attributes {neurojit.fault = #neurojit.fault<kind = "stack-overflow", message = "stack overflow (SIGSEGV at 0x7ffd00000ff8)", inputs = [-1 : i32]>} {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %stop = arith.cmpi eq, %k, %c0 : i32
  %r = scf.if %stop -> (i32) {
    scf.yield %c0 : i32
  } else {
    %j = arith.subi %k, %c1 : i32
    %s = func.call @down(%j) : (i32) -> i32
    %t = arith.addi %s, %c1 : i32
    scf.yield %t : i32
  }
  func.return %r : i32
}
