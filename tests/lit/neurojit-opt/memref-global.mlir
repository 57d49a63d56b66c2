// Upstream's custom syntax for memref.global parses and prints (xDSL 0.74 has only the
// generic form), including visibility, `constant`, untyped dense literals, splats,
// `uninitialized` and alignment; the generic form round-trips to the same custom text.
// RUN: neurojit-opt %s | FileCheck %s
// RUN: neurojit-opt %s | neurojit-opt | FileCheck %s
// RUN: neurojit-opt %s --print-op-generic | FileCheck %s --check-prefix=GENERIC
// RUN: neurojit-opt %s --print-op-generic | neurojit-opt | FileCheck %s
// Malformed globals, each error at the offending token (see the file's expected-error lines).
// RUN: neurojit-opt %S/Inputs/global-invalid.mlir --split-input-file --verify-diagnostics
// RUN: not neurojit-opt %S/Inputs/global-external.mlir 2>&1 | FileCheck %s --check-prefix=EXTERNAL

// CHECK: memref.global "private" constant @table : memref<8xi64> = dense<[3, 1, 4, 1, 5, 9, 2, 6]>
// CHECK-NEXT: memref.global @buffer : memref<4xf32> = uninitialized
// CHECK-NEXT: memref.global "private" @ones : memref<2x3xf64> = dense<1.000000e+00> {alignment = 64 : i64}
// CHECK-NEXT: memref.global "nested" constant @scalar : memref<i32> = dense<7>
// CHECK: memref.get_global @table : memref<8xi64>
// GENERIC: "memref.global"() <{sym_name = "table", sym_visibility = "private", type = memref<8xi64>, initial_value = dense<[3, 1, 4, 1, 5, 9, 2, 6]> : tensor<8xi64>, constant}> : () -> ()
// GENERIC: "memref.global"() <{sym_name = "buffer", sym_visibility = "public", type = memref<4xf32>, initial_value}> : () -> ()
// EXTERNAL: global-external.mlir:1:22: error: memref.global without an initial value
memref.global "private" constant @table : memref<8xi64> = dense<[3, 1, 4, 1, 5, 9, 2, 6]>
memref.global @buffer : memref<4xf32> = uninitialized
memref.global "private" @ones : memref<2x3xf64> = dense<1.0> {alignment = 64}
memref.global "nested" constant @scalar : memref<i32> = dense<7>

func.func @lookup(%i: index) -> i64 {
  %t = memref.get_global @table : memref<8xi64>
  %v = memref.load %t[%i] : memref<8xi64>
  func.return %v : i64
}
