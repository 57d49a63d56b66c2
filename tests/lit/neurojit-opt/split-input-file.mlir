// Each `// -----` piece is parsed on its own; output pieces are separated the same way; an
// error in one piece does not stop the others, but makes the exit code 1; lines count from
// the start of the whole file.
// RUN: not neurojit-opt %s --split-input-file > %t.out 2> %t.err
// RUN: FileCheck %s --check-prefix=OUT < %t.out
// RUN: FileCheck %s --check-prefix=ERR < %t.err
// Without splitting, @one and @two clash with nothing but the third piece still fails.
// RUN: not neurojit-opt %s 2>&1 | FileCheck %s --check-prefix=WHOLE

// OUT: func.func @one
// OUT-NEXT: func.return
// OUT: // -----
// OUT-NEXT: builtin.module {
// OUT-NEXT: func.func @two
// OUT-NOT: @three
// The failed piece prints nothing between its two separators.
// OUT: // -----
// OUT-NEXT: // -----
// OUT-NEXT: builtin.module {
// OUT-NEXT: func.func @four
func.func @one() {
  func.return
}
// -----
func.func @two() {
  func.return
}
// -----
func.func @three() {
  // ERR: split-input-file.mlir:[[# @LINE + 2]]:3: error: 'func.return' op Expected arguments to have the same types as the function output types
  %c = arith.constant 1 : i64
  func.return %c : i64
}
// -----
func.func @four() {
  func.return
}
// WHOLE: split-input-file.mlir:{{[0-9]+}}:3: error: 'func.return' op Expected arguments
