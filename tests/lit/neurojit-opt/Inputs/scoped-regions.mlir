// scf.execute_region (xDSL dropped its terminator and attributes) and memref.alloca_scope
// (no custom format in xDSL 0.74; upstream return is an implicit terminator).
func.func @h(%k: i64, %n: index) -> i64 {
  scf.execute_region {
    scf.yield
  } {tag}
  %e = scf.execute_region -> i64 {
    cf.br ^bb1
  ^bb1:
    scf.yield %k : i64
  }
  %e2:2 = scf.execute_region -> (i64, i64) {
    scf.yield %k, %e : i64, i64
  }
  %v = memref.alloca_scope -> (i64) {
    %t = memref.alloca(%n) : memref<?xi64>
    memref.alloca_scope.return %k : i64
  }
  memref.alloca_scope {
    %t = memref.alloca() : memref<4xi64>
  }
  memref.alloca_scope {
    memref.alloca_scope.return
  } {tag}
  return %v : i64
}
// Single result types without parentheses (upstream reads both forms; xDSL only one).
func.func @p(%b: i1, %k: i64) -> i64 {
  %r = scf.if %b -> i64 {
    scf.yield %k : i64
  } else {
    scf.yield %k : i64
  }
  %w = scf.while (%a = %k) : (i64) -> i64 {
    scf.condition(%b) %a : i64
  } do {
  ^bb0(%x: i64):
    scf.yield %x : i64
  }
  return %w : i64
}
func.func @q(%x: i64, %y: f32) -> f32 {
  %p = scf.for %iv = %x to %x step %x iter_args(%s = %y) -> f32 : i64 {
    scf.yield %s : f32
  }
  %q:2 = scf.for %iv = %x to %x step %x iter_args(%s = %y, %t = %x) -> (f32, i64) : i64 {
    scf.yield %s, %t : f32, i64
  }
  scf.for %i = %x to %x step %x : i64 {
  } {tag}
  %c = arith.constant true
  scf.if %c {
  }
  return %p : f32
}
