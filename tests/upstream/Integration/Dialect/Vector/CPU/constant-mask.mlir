// Imported from llvm/llvm-project mlir/test/Integration/Dialect/Vector/CPU/constant-mask.mlir
// at revision 54d47062b6efb57825935b917d10c19c801de372.
// Part of the LLVM Project, under the Apache License v2.0 with LLVM Exceptions.
// See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

// RUN: mlir-opt %s -convert-vector-to-scf -convert-scf-to-cf -convert-vector-to-llvm -convert-func-to-llvm -reconcile-unrealized-casts | \
// RUN: mlir-cpu-runner -e entry -entry-point-result=void  \
// RUN:   -shared-libs=%mlir_c_runner_utils | \
// RUN: FileCheck %s

func.func @entry() {
  %0 = vector.constant_mask [4] : vector<8xi1>
  vector.print %0 : vector<8xi1>
  // CHECK: ( 1, 1, 1, 1, 0, 0, 0, 0 )

  %1 = vector.constant_mask [1, 3] : vector<4x4xi1>
  vector.print %1 : vector<4x4xi1>
  // CHECK: ( ( 1, 1, 1, 0 ), ( 0, 0, 0, 0 ), ( 0, 0, 0, 0 ), ( 0, 0, 0, 0 ) )

  %2 = vector.constant_mask [2, 2] : vector<4x4xi1>
  vector.print %2 : vector<4x4xi1>
  // CHECK: ( ( 1, 1, 0, 0 ), ( 1, 1, 0, 0 ), ( 0, 0, 0, 0 ), ( 0, 0, 0, 0 ) )

  %3 = vector.constant_mask [2, 4] : vector<4x4xi1>
  vector.print %3 : vector<4x4xi1>
  // CHECK: ( ( 1, 1, 1, 1 ), ( 1, 1, 1, 1 ), ( 0, 0, 0, 0 ), ( 0, 0, 0, 0 ) )

  %4 = vector.constant_mask [3, 1] : vector<4x4xi1>
  vector.print %4 : vector<4x4xi1>
  // CHECK: ( ( 1, 0, 0, 0 ), ( 1, 0, 0, 0 ), ( 1, 0, 0, 0 ), ( 0, 0, 0, 0 ) )

  %5 = vector.constant_mask [3, 2] : vector<4x4xi1>
  vector.print %5 : vector<4x4xi1>
  // CHECK: ( ( 1, 1, 0, 0 ), ( 1, 1, 0, 0 ), ( 1, 1, 0, 0 ), ( 0, 0, 0, 0 ) )

  %6 = vector.constant_mask [4, 3] : vector<4x4xi1>
  vector.print %6 : vector<4x4xi1>
  // CHECK: ( ( 1, 1, 1, 0 ), ( 1, 1, 1, 0 ), ( 1, 1, 1, 0 ), ( 1, 1, 1, 0 ) )

  %7 = vector.constant_mask [4, 4] : vector<4x4xi1>
  vector.print %7 : vector<4x4xi1>
  // CHECK: ( ( 1, 1, 1, 1 ), ( 1, 1, 1, 1 ), ( 1, 1, 1, 1 ), ( 1, 1, 1, 1 ) )

  %8 = vector.constant_mask [1, 2, 3] : vector<2x3x4xi1>
  vector.print %8 : vector<2x3x4xi1>
  // CHECK: ( ( ( 1, 1, 1, 0 ), ( 1, 1, 1, 0 ), ( 0, 0, 0, 0 ) ), ( ( 0, 0, 0, 0 ), ( 0, 0, 0, 0 ), ( 0, 0, 0, 0 ) ) )

  %9 = vector.constant_mask [2, 2, 3] : vector<2x3x4xi1>
  vector.print %9 : vector<2x3x4xi1>
  // CHECK: ( ( ( 1, 1, 1, 0 ), ( 1, 1, 1, 0 ), ( 0, 0, 0, 0 ) ), ( ( 1, 1, 1, 0 ), ( 1, 1, 1, 0 ), ( 0, 0, 0, 0 ) ) )

  return
}

