// Ops whose upstream custom syntax xDSL 0.74 lacks (cast, memory_space_cast, copy, rank,
// extract_aligned_pointer_as_index; arith.index_castui and arith.remf, absent from xDSL),
// next to memref/arith/math/scf/cf forms it already had.
memref.global "private" @g : memref<4xi64> = dense<0>
func.func @casts(%n: index, %s: memref<4xi64, 1>) -> memref<?xi64> {
  %m = memref.alloc() : memref<4xi64>
  %d = memref.cast %m : memref<4xi64> to memref<?xi64>
  %u = memref.cast %m : memref<4xi64> to memref<*xi64>
  %b = memref.cast %u : memref<*xi64> to memref<4xi64>
  %v = memref.subview %m[1] [2] [1] : memref<4xi64> to memref<2xi64, strided<[1], offset: 1>>
  %w = memref.cast %v : memref<2xi64, strided<[1], offset: 1>> to memref<?xi64, strided<[?], offset: ?>>
  %ms = memref.memory_space_cast %s : memref<4xi64, 1> to memref<4xi64>
  memref.copy %ms, %b : memref<4xi64> to memref<4xi64>
  %r = memref.rank %m : memref<4xi64>
  %p = memref.extract_aligned_pointer_as_index %m : memref<4xi64> -> index {tag}
  %a = memref.alloc(%n) : memref<?xi64>
  %a3 = memref.alloc() {alignment = 64 : i64} : memref<8xf32>
  %t = memref.alloca(%n) : memref<?xf32>
  %c0 = arith.constant 0 : index
  %dim = memref.dim %a, %c0 : memref<?xi64>
  %gg = memref.get_global @g : memref<4xi64>
  %rc = memref.reinterpret_cast %m to offset: [%c0], sizes: [%n], strides: [1] : memref<4xi64> to memref<?xi64, strided<[1], offset: ?>>
  memref.dealloc %a : memref<?xi64>
  return %d : memref<?xi64>
}
func.func @scalars(%x: f32, %i: i32, %k: i64) -> i64 {
  %dv = arith.constant dense<[1, 2]> : vector<2xi32>
  %p1 = math.fpowi %x, %i : f32, i32
  %p2 = math.ipowi %k, %k : i64
  %ov = arith.addi %k, %k overflow<nsw> : i64
  %ad = arith.addf %x, %x fastmath<nnan,ninf> : f32
  %rf = arith.remf %ad, %x fastmath<fast> : f32
  %ic = arith.index_cast %k : i64 to index
  %icu = arith.index_castui %i : i32 to index
  %sw = scf.index_switch %ic -> i64
  case 2 {
    scf.yield %k : i64
  }
  default {
    scf.yield %ov : i64
  }
  cf.switch %i : i32, [
    default: ^bb1(%k : i64),
    4: ^bb1(%sw : i64)
  ]
^bb1(%z: i64):
  return %z : i64
}
