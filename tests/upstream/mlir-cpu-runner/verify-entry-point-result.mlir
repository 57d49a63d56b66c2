// Imported from llvm/llvm-project mlir/test/mlir-cpu-runner/verify-entry-point-result.mlir
// at revision 642ae4edcd817bc43f557eb0d185a995c0939d5e.
// Part of the LLVM Project, under the Apache License v2.0 with LLVM Exceptions.
// See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

// RUN: not mlir-cpu-runner %s -e entry -entry-point-result=void 2>&1 | FileCheck %s

// CHECK: Error: expected void function
llvm.func @entry() -> (i32) {
  %0 = llvm.mlir.constant(0 : index) : i32
  llvm.return %0 : i32
}
