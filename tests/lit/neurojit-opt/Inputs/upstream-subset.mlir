// func/arith/math/scf/cf/memref: the subset NeuroJIT compiles, in upstream's custom syntax.
memref.global "private" constant @table : memref<4xi64> = dense<[3, 1, 4, 1]>
memref.global @scratch : memref<4xf32> = uninitialized
memref.global "private" @weights : memref<2xf64> = dense<[5.000000e-01, 2.500000e-01]> {alignment = 64 : i64}

func.func @sum(%n: index) -> i64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0 : i64
  %t = memref.get_global @table : memref<4xi64>
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %zero) -> (i64) {
    %v = memref.load %t[%i] : memref<4xi64>
    %s = arith.addi %acc, %v : i64
    scf.yield %s : i64
  }
  func.return %r : i64
}

func.func @safe_div(%a: i64, %b: i64) -> i64 {
  %zero = arith.constant 0 : i64
  %is_zero = arith.cmpi eq, %b, %zero : i64
  %q = scf.if %is_zero -> (i64) {
    scf.yield %zero : i64
  } else {
    %d = arith.divsi %a, %b : i64
    scf.yield %d : i64
  }
  func.return %q : i64
}

func.func @countdown(%n: i64) -> i64 {
  %one = arith.constant 1 : i64
  %zero = arith.constant 0 : i64
  %r = scf.while (%x = %n) : (i64) -> i64 {
    %more = arith.cmpi sgt, %x, %zero : i64
    scf.condition(%more) %x : i64
  } do {
  ^bb0(%y: i64):
    %next = arith.subi %y, %one : i64
    scf.yield %next : i64
  }
  func.return %r : i64
}

func.func @branches(%c: i1, %x: f64) -> f64 {
  cf.cond_br %c, ^bb1(%x : f64), ^bb2
^bb1(%v: f64):
  %s = math.sqrt %v : f64
  func.return %s : f64
^bb2:
  %a = memref.alloca() : memref<2xf64>
  %i = arith.constant 1 : index
  memref.store %x, %a[%i] : memref<2xf64>
  %l = memref.load %a[%i] : memref<2xf64>
  %n = arith.index_cast %i : index to i64
  %f = arith.sitofp %n : i64 to f64
  %g = arith.addf %l, %f : f64
  func.return %g : f64
}

func.func @call(%a: i64) -> i64 {
  %i = arith.index_cast %a : i64 to index
  %r = func.call @sum(%i) : (index) -> i64
  func.return %r : i64
}
