// An llvm-dialect module with global constructors is refused in one line (exit 1). It used to
// abort the whole process: the host's dispatch-slot rewrite put a slot where
// @llvm.global_ctors needs a function, and LLVM's IR parser ends the process on such a module.
// RUN: %python %S/Inputs/expect_exit.py 1 neurojit-run %s -e entry -entry-point-result=void --runner none 2>&1 | FileCheck %s
// CHECK: global-ctors.mlir: error: global constructors and destructors (@llvm.global_ctors) are not supported
// CHECK-NOT: LLVM ERROR

module {
  llvm.func @printNewline()
  llvm.func @printI64(i64)
  llvm.mlir.global_ctors ctors = [@ctor], priorities = [0 : i32], data = [#llvm.zero]
  llvm.func @ctor() {
    %0 = llvm.mlir.constant(1 : i64) : i64
    llvm.call @printI64(%0) : (i64) -> ()
    llvm.return
  }
  llvm.func @entry() {
    llvm.return
  }
}
