// neurojit-opt parses its own lowered output: the llvm ops our lowering adds to xDSL's llvm
// dialect (llvm.fptosi/fptoui/uitofp, llvm.switch) are registered under "llvm".
// RUN: neurojit-opt -p neurojit-lower-to-llvm %s > %t.lowered.mlir
// RUN: neurojit-opt %t.lowered.mlir > %t.again.mlir
// RUN: diff %t.lowered.mlir %t.again.mlir
// RUN: FileCheck %s < %t.again.mlir

// CHECK-DAG: llvm.fptosi
// CHECK-DAG: llvm.fptoui
// CHECK-DAG: llvm.uitofp
// CHECK-DAG: llvm.switch
func.func @f(%a: f64, %b: i64, %c: i32) -> i64 {
  %x = arith.fptosi %a : f64 to i64
  %y = arith.fptoui %a : f64 to i64
  %z = arith.uitofp %b : i64 to f64
  %w = arith.fptosi %z : f64 to i64
  cf.switch %c : i32, [default: ^bb1(%x : i64), 1: ^bb1(%y : i64), 2: ^bb1(%w : i64)]
^bb1(%r: i64):
  return %r : i64
}
