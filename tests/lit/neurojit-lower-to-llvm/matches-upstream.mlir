// REQUIRES: mlir-opt, mlir-cpu-runner
// RUN: %mlir-opt %s --convert-scf-to-cf --convert-math-to-llvm --convert-arith-to-llvm --finalize-memref-to-llvm --convert-func-to-llvm --convert-cf-to-llvm --reconcile-unrealized-casts | %mlir-cpu-runner -e main -entry-point-result=i64 > %t.upstream
// RUN: neurojit-opt %s -t llvm > %t.ll
// RUN: %python -c "import ctypes, sys, llvmlite.binding as b; b.initialize_native_target(); b.initialize_native_asmprinter(); m = b.parse_assembly(open(sys.argv[1]).read()); m.verify(); e = b.create_mcjit_compiler(m, b.Target.from_default_triple().create_target_machine()); e.finalize_object(); print(ctypes.CFUNCTYPE(ctypes.c_int64)(e.get_function_address('main'))())" %t.ll > %t.ours
// RUN: diff %t.upstream %t.ours

// Recursion, a while loop, a multi-result call and a dynamic memref, through both stacks.
func.func @gcd(%a: i64, %b: i64) -> i64 {
  %z = arith.constant 0 : i64
  %done = arith.cmpi eq, %b, %z : i64
  %r = scf.if %done -> (i64) {
    scf.yield %a : i64
  } else {
    %m = arith.remsi %a, %b : i64
    %g = func.call @gcd(%b, %m) : (i64, i64) -> i64
    scf.yield %g : i64
  }
  return %r : i64
}
func.func @minmax(%a: i64, %b: i64) -> (i64, i64) {
  %lo = arith.minsi %a, %b : i64
  %hi = arith.maxsi %a, %b : i64
  return %lo, %hi : i64, i64
}
func.func @main() -> i64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = arith.constant 6 : index
  %buf = memref.alloc(%n) : memref<?xi64>
  %one = arith.constant 1 : i64
  %i0 = arith.constant 0 : index
  %end = scf.while (%i = %i0) : (index) -> index {
    %more = arith.cmpi slt, %i, %n : index
    scf.condition(%more) %i : index
  } do {
  ^bb0(%j: index):
    %v = arith.index_cast %j : index to i64
    %sq = arith.muli %v, %v : i64
    memref.store %sq, %buf[%j] : memref<?xi64>
    %next = arith.addi %j, %c1 : index
    scf.yield %next : index
  }
  %a = memref.load %buf[%c0] : memref<?xi64>
  %c4 = arith.constant 4 : index
  %b = memref.load %buf[%c4] : memref<?xi64>
  %c3 = arith.constant 3 : index
  %c = memref.load %buf[%c3] : memref<?xi64>
  %g = func.call @gcd(%b, %c) : (i64, i64) -> i64
  %mm:2 = func.call @minmax(%b, %c) : (i64, i64) -> (i64, i64)
  memref.dealloc %buf : memref<?xi64>
  %k = arith.constant 1000 : i64
  %x = arith.muli %mm#0, %k : i64
  %y = arith.addi %x, %mm#1 : i64
  %w = arith.muli %y, %k : i64
  %r = arith.addi %w, %g : i64
  %e = arith.index_cast %end : index to i64
  %out = arith.addi %r, %e : i64
  return %out : i64
}
