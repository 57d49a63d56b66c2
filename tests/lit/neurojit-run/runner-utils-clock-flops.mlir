// printFlops (stderr, "%lf GFLOPS"), rtclock and nanoTime, as upstream's libraries define them.
// REQUIRES: native, mlir-opt, mlir-cpu-runner, mlir-c-runner-utils, mlir-runner-utils
// RUN: neurojit-run --frontend=native %s -e main -entry-point-result=void --runner none 2>&1 | FileCheck %s
// RUN: %mlir-opt %s --convert-scf-to-cf --convert-math-to-llvm --convert-arith-to-llvm --convert-func-to-llvm --reconcile-unrealized-casts | %mlir-cpu-runner -e main -entry-point-result=void -shared-libs=%mlir_c_runner_utils,%mlir_runner_utils 2>&1 | FileCheck %s
// CHECK: 2.500000 GFLOPS
// CHECK-NEXT: clock ok
// CHECK-NEXT: nanotime ok
func.func private @printFlops(f64)
func.func private @rtclock() -> f64
func.func private @nanoTime() -> i64 attributes { llvm.emit_c_interface }
func.func private @printString(!llvm.ptr)
llvm.mlir.global internal constant @clock_ok("clock ok\0A\00") {addr_space = 0 : i32}
llvm.mlir.global internal constant @nano_ok("nanotime ok\0A\00") {addr_space = 0 : i32}
llvm.mlir.global internal constant @bad("bad\0A\00") {addr_space = 0 : i32}
func.func @main() {
  %f = arith.constant 2.5e9 : f64
  call @printFlops(%f) : (f64) -> ()
  // Seconds since the epoch: after 2020-01-01 (1577836800), and not going backwards.
  %t0 = call @rtclock() : () -> f64
  %t1 = call @rtclock() : () -> f64
  %y2020 = arith.constant 1577836800.0 : f64
  %after = arith.cmpf ogt, %t0, %y2020 : f64
  %mono = arith.cmpf oge, %t1, %t0 : f64
  %ok = arith.andi %after, %mono : i1
  %okp = llvm.mlir.addressof @clock_ok : !llvm.ptr
  %badp = llvm.mlir.addressof @bad : !llvm.ptr
  %p = arith.select %ok, %okp, %badp : !llvm.ptr
  call @printString(%p) : (!llvm.ptr) -> ()
  // Nanoseconds since the epoch, consistent with rtclock to within a minute.
  %n = call @nanoTime() : () -> i64
  %nf = arith.sitofp %n : i64 to f64
  %scale = arith.constant 1.0e-9 : f64
  %ns = arith.mulf %nf, %scale : f64
  %diff = arith.subf %ns, %t1 : f64
  %adiff = math.absf %diff : f64
  %minute = arith.constant 60.0 : f64
  %close = arith.cmpf olt, %adiff, %minute : f64
  %nokp = llvm.mlir.addressof @nano_ok : !llvm.ptr
  %q = arith.select %close, %nokp, %badp : !llvm.ptr
  call @printString(%q) : (!llvm.ptr) -> ()
  return
}
