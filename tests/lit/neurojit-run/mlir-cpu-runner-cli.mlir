// mlir-cpu-runner's command line: -e, -entry-point-result, -shared-libs, -O3, stdin, and input
// already lowered to the llvm dialect by mlir-opt-19 (as upstream's RUN lines pipe it).
// Printing goes through the runtime's own runner utils (no library given), or through
// upstream's real libraries with -shared-libs; both print what mlir-cpu-runner-19 prints.
// REQUIRES: native, mlir-opt, mlir-cpu-runner, mlir-c-runner-utils, mlir-runner-utils
// RUN: neurojit-run --frontend=native %s -e main -entry-point-result=void --runner none | FileCheck %s
// RUN: %mlir-opt %s --convert-scf-to-cf --convert-arith-to-llvm --finalize-memref-to-llvm --convert-func-to-llvm --convert-cf-to-llvm --reconcile-unrealized-casts | neurojit-run - -e main -entry-point-result=void -O3 --runner none | FileCheck %s
// RUN: %mlir-opt %s --convert-scf-to-cf --convert-arith-to-llvm --finalize-memref-to-llvm --convert-func-to-llvm --convert-cf-to-llvm --reconcile-unrealized-casts | neurojit-run - -e main -entry-point-result=void --O0 -shared-libs=%mlir_c_runner_utils,%mlir_runner_utils | FileCheck %s
// RUN: %mlir-opt %s --convert-scf-to-cf --convert-arith-to-llvm --finalize-memref-to-llvm --convert-func-to-llvm --convert-cf-to-llvm --reconcile-unrealized-casts | %mlir-cpu-runner -e main -entry-point-result=void -shared-libs=%mlir_c_runner_utils,%mlir_runner_utils | FileCheck %s

// CHECK: 42
// CHECK-NEXT: -1.5
// CHECK-NEXT: ( 7, 8 )
// CHECK-NEXT: Unranked Memref base@ = 0x{{[0-9a-f]+}} rank = 1 offset = 0 sizes = [3] strides = [1] data =
// CHECK-NEXT: [0,  1,  2]
// CHECK-NEXT: done

// Results are printed as mlir-cpu-runner prints them; a wrong result type is its error.
// RUN: neurojit-run --frontend=native %s -e answer -entry-point-result=i32 --runner none | FileCheck %s --check-prefix=I32
// RUN: %mlir-opt %s --convert-scf-to-cf --convert-arith-to-llvm --finalize-memref-to-llvm --convert-func-to-llvm --convert-cf-to-llvm --reconcile-unrealized-casts | %mlir-cpu-runner -e answer -entry-point-result=i32 -shared-libs=%mlir_c_runner_utils,%mlir_runner_utils | FileCheck %s --check-prefix=I32
// I32: 42
// RUN: neurojit-run --frontend=native %s -e half -entry-point-result=f32 --runner none | FileCheck %s --check-prefix=F32
// RUN: %mlir-opt %s --convert-scf-to-cf --convert-arith-to-llvm --finalize-memref-to-llvm --convert-func-to-llvm --convert-cf-to-llvm --reconcile-unrealized-casts | %mlir-cpu-runner -e half -entry-point-result=f32 -shared-libs=%mlir_c_runner_utils,%mlir_runner_utils | FileCheck %s --check-prefix=F32
// F32: 5.000000e-01
// RUN: %python %S/Inputs/expect_exit.py 1 neurojit-run --frontend=native %s -e answer -entry-point-result=void --runner none 2>&1 | FileCheck %s --check-prefix=VOID
// VOID: mlir-cpu-runner-cli.mlir: error: expected void function
// RUN: %python %S/Inputs/expect_exit.py 1 neurojit-run --frontend=native %s -e answer -entry-point-result=i64 --runner none 2>&1 | FileCheck %s --check-prefix=I64
// I64: error: only single i64 function result supported
// RUN: %python %S/Inputs/expect_exit.py 2 neurojit-run --frontend=native %s -march=aarch64 --runner none 2>&1 | FileCheck %s --check-prefix=MARCH
// MARCH: neurojit-run: error: --march=aarch64: the JIT runs code on this host (x86_64) only
// RUN: %python %S/Inputs/expect_exit.py 1 neurojit-run --frontend=native %s -shared-libs=%t.missing.so --runner none 2>&1 | FileCheck %s --check-prefix=LIB
// LIB: .missing.so: error: cannot load shared library

func.func private @printI64(i64)
func.func private @printF64(f64)
func.func private @printNewline()
func.func private @printOpen()
func.func private @printClose()
func.func private @printComma()
func.func private @printString(!llvm.ptr)
func.func private @printMemrefI64(memref<*xi64>) attributes { llvm.emit_c_interface }
llvm.mlir.global internal constant @done("done\0A\00") {addr_space = 0 : i32}

func.func @answer() -> i32 {
  %c = arith.constant 42 : i32
  return %c : i32
}

func.func @half() -> f32 {
  %c = arith.constant 0.5 : f32
  return %c : f32
}

func.func @main() {
  %c42 = arith.constant 42 : i64
  call @printI64(%c42) : (i64) -> ()
  call @printNewline() : () -> ()
  %f = arith.constant -1.5 : f64
  call @printF64(%f) : (f64) -> ()
  call @printNewline() : () -> ()
  %c7 = arith.constant 7 : i64
  %c8 = arith.constant 8 : i64
  call @printOpen() : () -> ()
  call @printI64(%c7) : (i64) -> ()
  call @printComma() : () -> ()
  call @printI64(%c8) : (i64) -> ()
  call @printClose() : () -> ()
  call @printNewline() : () -> ()
  %m = memref.alloc() : memref<3xi64>
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  scf.for %i = %c0 to %c3 step %c1 {
    %v = arith.index_cast %i : index to i64
    memref.store %v, %m[%i] : memref<3xi64>
  }
  %u = memref.cast %m : memref<3xi64> to memref<*xi64>
  call @printMemrefI64(%u) : (memref<*xi64>) -> ()
  %s = llvm.mlir.addressof @done : !llvm.ptr
  call @printString(%s) : (!llvm.ptr) -> ()
  return
}
