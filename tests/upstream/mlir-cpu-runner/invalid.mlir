// Imported from llvm/llvm-project mlir/test/mlir-cpu-runner/invalid.mlir
// at revision 187a8bc061fff2bc49ddb5e96ef43b8ac30a452c.
// LLVM 19 adaptation: run lines: '|&' -> '2>&1 |'
// Part of the LLVM Project, under the Apache License v2.0 with LLVM Exceptions.
// See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

// RUN: not mlir-cpu-runner --no-implicit-module %s 2>&1 | FileCheck %s

// CHECK: Error: top-level op must be a symbol table.
llvm.func @main()
