// Imported from llvm/llvm-project mlir/test/Integration/Dialect/Arith/CPU/printing.mlir
// at revision 5a8923ecb95c08234b885c3796b8b3d4784897c9.
// Part of the LLVM Project, under the Apache License v2.0 with LLVM Exceptions.
// See https://llvm.org/LICENSE.txt for license information.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception

// tests arith operations on i1 type.

// RUN: mlir-opt %s --convert-scf-to-cf --convert-cf-to-llvm --convert-vector-to-llvm \
// RUN:             --convert-func-to-llvm --convert-arith-to-llvm | \
// RUN:   mlir-cpu-runner -e entry -entry-point-result=void \
// RUN:                   --shared-libs=%mlir_c_runner_utils | \
// RUN:   FileCheck %s --match-full-lines

func.func @i1Printing() {
    // printing i1 values
    // print(0 : i1) = '0'; print(1 : i1) = '1'; print(-1 : i1) = '1'
    // CHECK-NEXT: 0
    // CHECK-NEXT: 1
    // CHECK-NEXT: 1
    %false = arith.constant false
    %true = arith.constant 1 : i1
    %true_0 = arith.constant -1 : i1
    vector.print %false : i1
    vector.print %true : i1
    vector.print %true_0 : i1
    return
}

func.func @largestIndexPrinting() {
    // printing index values
    // print(0 : index) = '0'; print(1 : index) = '1'; print(-1 : index) = '2^w - 1'
    // CHECK:      0
    // CHECK-NEXT: 1
    // CHECK-NEXT: 18446744073709551615
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c-1 = arith.constant -1 : index
    vector.print %c0 : index
    vector.print %c1 : index
    vector.print %c-1 : index
    return
}

func.func @indexConstantsRepresentation() {
    // index constants are printed as unsigned
    // vector.print(arith.constant(x)) ~= toUnsignedRepr x
    // CHECK-NEXT: 18446744073709551615
    // CHECK-NEXT: 63
    // CHECK-NEXT: 0
    %c-1 = arith.constant -1 : index
    %c63 = arith.constant 63 : index
    %c0 = arith.constant 0 : index
    vector.print %c-1 : index
    vector.print %c63 : index
    vector.print %c0 : index
    return
}

func.func @entry() {
    func.call @i1Printing() : () -> ()
    func.call @largestIndexPrinting() : () -> ()
    func.call @indexConstantsRepresentation() : () -> ()
    return
}
