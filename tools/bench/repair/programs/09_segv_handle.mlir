// KIND: segfault
// ENTRY: deref
// CALLS: [[5, 0], [7, 0], [1, 8]]
// A value or, when the handle is non-zero, the i64 it points to: handle 8 is not a pointer.
func.func @deref(%a: i64, %handle: i64) -> i64 {
  %zero = arith.constant 0 : i64
  %direct = arith.cmpi eq, %handle, %zero : i64
  %r = scf.if %direct -> (i64) {
    scf.yield %a : i64
  } else {
    %p = llvm.inttoptr %handle : i64 to !llvm.ptr
    %v = llvm.load %p : !llvm.ptr -> i64
    scf.yield %v : i64
  }
  func.return %r : i64
}
