// RUN: neurojit-opt %s -p neurojit-insert-checks,neurojit-lower-to-llvm -t llvm | FileCheck %s
// RUN: not neurojit-opt %s -p neurojit-insert-checks,convert-neurojit-to-llvm 2>&1 | FileCheck %s --check-prefix=ORDER

// Through the whole pipeline the checks become LLVM IR: compare, branch, a call to the
// runtime's nj_fail followed by unreachable, and the site descriptor as a private constant.
// CHECK: @"nj_site_0" = private constant [{{[0-9]+}} x i8] c"division-by-zero\1fdivisor is zero in {0} / {1}\1f{{.*}}pipeline.mlir:[[# @LINE + 17]]:{{[0-9]+}}\1fratio\1fint,int\00"
// CHECK: define i64 @"ratio"(i64 %[[A:[^,]*]], i64 %[[B:.*]])
// CHECK: %[[NZ:.*]] = icmp ne i64 %[[B]], 0
// CHECK: %[[ALL:.*]] = and i1 %[[NZ]], %{{.*}}
// CHECK-NEXT: br i1 %[[ALL]], label %"[[CONT:[^"]*]]", label %"[[DISPATCH:[^"]*]]"
// CHECK-NEXT: [[DISPATCH]]:
// CHECK-NEXT: br i1 %[[NZ]], label %"[[OVF:[^"]*]]", label %"[[FAIL:[^"]*]]"
// CHECK-NEXT: [[FAIL]]:
// CHECK-NEXT: %[[ID:.*]] = ptrtoint {{.*}} @"nj_site_0" to i64
// CHECK-NEXT: call ccc void @"nj_fail"(i64 %[[ID]], i64 %[[A]], i64 %[[B]])
// CHECK-NEXT: unreachable
// CHECK-NEXT: [[OVF]]:
// CHECK-NEXT: ptrtoint {{.*}} @"nj_site_1" to i64
// CHECK: [[CONT]]:
// CHECK-NEXT: sdiv i64 %[[A]], %[[B]]
// CHECK: declare void @"nj_fail"(i64 %{{.*}}, i64 %{{.*}}, i64 %{{.*}})
func.func @ratio(%a: i64, %b: i64) -> i64 {
  %q = arith.divsi %a, %b : i64
  return %q : i64
}

// Checks inside scf regions need a CFG first: the error says which pass to run.
// ORDER: error: neurojit.check inside 'scf.for': run convert-scf-to-cf before convert-neurojit-to-llvm
func.func @sum(%m: memref<?xi64>, %n: index) -> i64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %z = arith.constant 0 : i64
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %z) -> (i64) {
    %x = memref.load %m[%i] : memref<?xi64>
    %t = arith.addi %acc, %x : i64
    scf.yield %t : i64
  }
  return %r : i64
}
