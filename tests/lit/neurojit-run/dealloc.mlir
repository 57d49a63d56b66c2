// A bad memref.dealloc in a user program is an invalid-free fault report at the dealloc
// (exit 3), on both front ends, instead of glibc aborting the process inside free()
// (SIGABRT; the last RUN line shows that with --no-checks).
// REQUIRES: native
// DEFINE: %{bad} = %python %S/Inputs/expect_exit.py 3 neurojit-run --frontend=native %s --runner none
// DEFINE: %{run} = neurojit-run --frontend=native %s --runner none
//
// RUN: %{bad} --entry twice 2>&1 | FileCheck %s --check-prefix=TWICE
// RUN: %{bad} --entry arg --arg '[1,2,3]' 2>&1 | FileCheck %s --check-prefix=ARG
// RUN: %{bad} --entry glob 2>&1 | FileCheck %s --check-prefix=GLOB
// RUN: %{bad} --entry stack 2>&1 | FileCheck %s --check-prefix=STACK
// RUN: %{run} --entry good --arg 4 | FileCheck %s --check-prefix=GOOD
//
// REDEFINE: %{bad} = %python %S/Inputs/expect_exit.py 3 neurojit-run --frontend=xdsl %s --runner none
// REDEFINE: %{run} = neurojit-run --frontend=xdsl %s --runner none
//
// RUN: %{bad} --entry twice 2>&1 | FileCheck %s --check-prefix=TWICE
// RUN: %{bad} --entry arg --arg '[1,2,3]' 2>&1 | FileCheck %s --check-prefix=ARG
// RUN: %{bad} --entry glob 2>&1 | FileCheck %s --check-prefix=GLOB
// RUN: %{bad} --entry stack 2>&1 | FileCheck %s --check-prefix=STACK
// RUN: %{run} --entry good --arg 4 | FileCheck %s --check-prefix=GOOD
//
// Healing: the rules drop the failing dealloc (at worst the buffer leaks), and the call
// re-runs to completion.
// RUN: neurojit-run %s --runner mock --proposers rules --no-cache --entry twice 2>&1 | FileCheck %s --check-prefix=HEAL
// HEAL: invalid-free
// HEAL: drop-dealloc
// HEAL: resumed: re-ran @twice
// HEAL-NEXT: 0
//
// The control, without checks: libc aborts the process.
// RUN: %python %S/Inputs/expect_exit.py -6 neurojit-run %s --runner none --no-checks --entry twice 2>&1 | FileCheck %s --check-prefix=ABORT
// ABORT: free(): double free detected

memref.global "private" @g : memref<4xi64> = dense<[1, 2, 3, 4]>

func.func @release(%m: memref<?xi64>) {
  // TWICE: neurojit-run: invalid-free: memref.dealloc of a buffer this call already freed (double free) at {{.*}}dealloc.mlir:[[# @LINE + 1]]:3 in @release
  memref.dealloc %m : memref<?xi64>
  return
}

func.func @twice() -> i64 {
  %c2 = arith.constant 2 : index
  %m = memref.alloc(%c2) : memref<?xi64>
  func.call @release(%m) : (memref<?xi64>) -> ()
  func.call @release(%m) : (memref<?xi64>) -> ()
  %z = arith.constant 0 : i64
  return %z : i64
}

func.func @arg(%m: memref<?xi64>) -> i64 {
  // ARG: neurojit-run: invalid-free: memref.dealloc of memory this call did not allocate (an argument, a global, a stack buffer or a buffer from an earlier call) at {{.*}}dealloc.mlir:[[# @LINE + 1]]:3 in @arg
  memref.dealloc %m : memref<?xi64>
  %z = arith.constant 0 : i64
  return %z : i64
}

func.func @glob() -> i64 {
  %m = memref.get_global @g : memref<4xi64>
  // GLOB: invalid-free: memref.dealloc of memory this call did not allocate {{.*}} at {{.*}}dealloc.mlir:[[# @LINE + 1]]:3 in @glob
  memref.dealloc %m : memref<4xi64>
  %z = arith.constant 0 : i64
  return %z : i64
}

func.func @stack() -> i64 {
  %m = memref.alloca() : memref<4xi64>
  // STACK: invalid-free: memref.dealloc of memory this call did not allocate {{.*}} at {{.*}}dealloc.mlir:[[# @LINE + 1]]:3 in @stack
  memref.dealloc %m : memref<4xi64>
  %z = arith.constant 0 : i64
  return %z : i64
}

// GOOD: 6
func.func @good(%n: index) -> i64 {
  %m = memref.alloc(%n) : memref<?xi64>
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c6 = arith.constant 6 : i64
  memref.store %c6, %m[%c1] : memref<?xi64>
  %v = memref.load %m[%c1] : memref<?xi64>
  memref.dealloc %m : memref<?xi64>
  return %v : i64
}
