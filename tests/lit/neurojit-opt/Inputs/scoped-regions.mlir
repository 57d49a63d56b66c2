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
