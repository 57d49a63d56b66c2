// The input comes from stdin when the file is '-' or missing; errors then name <stdin>.
// RUN: neurojit-opt < %s | FileCheck %s
// RUN: cat %s | neurojit-opt - --cse | FileCheck %s
// RUN: neurojit-opt -o %t.out < %s && FileCheck %s < %t.out
// RUN: echo "func.func @broken(" | not neurojit-opt 2>&1 | FileCheck %s --check-prefix=ERR

// CHECK: func.func @from_stdin(%x: i64) -> i64
// CHECK-NEXT: func.return %x : i64
// ERR: <stdin>:{{[0-9]+}}:{{[0-9]+}}: error:
func.func @from_stdin(%x: i64) -> i64 {
  func.return %x : i64
}
