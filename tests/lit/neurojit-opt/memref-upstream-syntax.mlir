// REQUIRES: mlir-opt
// memref.cast & co. in upstream's custom syntax, with mlir-opt-19 as the oracle: what we
// print it reads as the same IR, and what it prints (custom or generic) we read back.
// RUN: %mlir-opt %S/Inputs/memref-upstream-ops.mlir > %t.upstream
// RUN: neurojit-opt %S/Inputs/memref-upstream-ops.mlir | %mlir-opt > %t.ours
// RUN: diff %t.upstream %t.ours
// RUN: neurojit-opt --print-op-generic %S/Inputs/memref-upstream-ops.mlir | %mlir-opt | sed -e 's/memref.global "public" /memref.global /' > %t.ours-generic
// RUN: diff %t.upstream %t.ours-generic
// RUN: neurojit-opt %t.upstream | %mlir-opt > %t.back
// RUN: diff %t.upstream %t.back
// RUN: %mlir-opt --mlir-print-op-generic %S/Inputs/memref-upstream-ops.mlir | neurojit-opt | %mlir-opt > %t.back-generic
// RUN: diff %t.upstream %t.back-generic
// Upstream rejects exactly the casts we reject (same expected-error lines, both tools).
// RUN: %mlir-opt %S/Inputs/cast-invalid.mlir --split-input-file --verify-diagnostics
// RUN: neurojit-opt %S/Inputs/cast-invalid.mlir --split-input-file --verify-diagnostics
// RUN: FileCheck %s < %t.ours

// Guard against a vacuous diff.
// CHECK: memref.cast %{{.*}} : memref<4xi64> to memref<?xi64>
// CHECK: memref.cast %{{.*}} : memref<*xi64> to memref<4xi64>
// CHECK: memref.memory_space_cast
// CHECK: memref.copy
// CHECK: memref.rank
// CHECK: memref.extract_aligned_pointer_as_index %{{.*}} : memref<4xi64> -> index {tag}
// CHECK: arith.remf %{{.*}}, %{{.*}} fastmath<fast> : f32
// CHECK: arith.index_castui %{{.*}} : i32 to index
// CHECK: scf.index_switch
