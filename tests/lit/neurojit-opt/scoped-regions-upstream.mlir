// REQUIRES: mlir-opt
// scf.execute_region and memref.alloca_scope in upstream's custom syntax, scf.if/scf.for with
// a bare `-> T`; mlir-opt-19 is the oracle both ways (our print -> upstream, upstream
// custom and generic -> us).
// RUN: %mlir-opt %S/Inputs/scoped-regions.mlir > %t.upstream
// RUN: neurojit-opt %S/Inputs/scoped-regions.mlir | %mlir-opt > %t.ours
// RUN: diff %t.upstream %t.ours
// RUN: neurojit-opt --print-op-generic %S/Inputs/scoped-regions.mlir | %mlir-opt > %t.ours-generic
// RUN: diff %t.upstream %t.ours-generic
// RUN: neurojit-opt %t.upstream | %mlir-opt > %t.back
// RUN: diff %t.upstream %t.back
// RUN: %mlir-opt --mlir-print-op-generic %S/Inputs/scoped-regions.mlir | neurojit-opt | %mlir-opt > %t.back-generic
// RUN: diff %t.upstream %t.back-generic
// RUN: FileCheck %s < %t.ours

// Guard against a vacuous diff.
// CHECK: scf.execute_region {
// CHECK-NEXT: scf.yield
// CHECK-NEXT: } {tag}
// CHECK: memref.alloca_scope -> (i64)
// CHECK: memref.alloca_scope.return %{{.*}} : i64
// CHECK: scf.if %{{.*}} -> (i64)
// CHECK: scf.for %{{.*}} iter_args(%{{.*}}) -> (f32) : i64
