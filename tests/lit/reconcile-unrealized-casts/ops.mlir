// RUN: neurojit-opt %s -p reconcile-unrealized-casts --split-input-file | FileCheck %s

// A round trip A -> B -> A folds to the original value.
// CHECK-LABEL: func.func @round_trip
// CHECK-NOT: unrealized_conversion_cast
// CHECK: func.return %arg0 : i64
func.func @round_trip(%arg0: i64) -> i64 {
  %0 = builtin.unrealized_conversion_cast %arg0 : i64 to index
  %1 = builtin.unrealized_conversion_cast %0 : index to i64
  return %1 : i64
}

// -----

// A dead cast is dropped.
// CHECK-LABEL: func.func @dead
// CHECK-NOT: unrealized_conversion_cast
func.func @dead(%arg0: i64) {
  %0 = builtin.unrealized_conversion_cast %arg0 : i64 to index
  return
}

// -----

// A longer round trip A -> B -> C -> A is left to xDSL's chain folding, and folds too.
// CHECK-LABEL: func.func @chain
// CHECK-NOT: unrealized_conversion_cast
// CHECK: func.return %arg0 : i64
func.func @chain(%arg0: i64) -> i64 {
  %0 = builtin.unrealized_conversion_cast %arg0 : i64 to index
  %1 = builtin.unrealized_conversion_cast %0 : index to i32
  %2 = builtin.unrealized_conversion_cast %1 : i32 to i64
  return %2 : i64
}
