func.func @size(%m: memref<4xi64>) {
  // expected-error @+1 {{are cast incompatible}}
  %d = memref.cast %m : memref<4xi64> to memref<8xi64>
  return
}
// -----
func.func @elem(%m: memref<4xi64>) {
  // expected-error @+1 {{are cast incompatible}}
  %d = memref.cast %m : memref<4xi64> to memref<4xi32>
  return
}
// -----
func.func @rank(%m: memref<4xi64>) {
  // expected-error @+1 {{are cast incompatible}}
  %d = memref.cast %m : memref<4xi64> to memref<2x2xi64>
  return
}
// -----
func.func @unranked(%m: memref<*xi64>) {
  // expected-error @+1 {{are cast incompatible}}
  %d = memref.cast %m : memref<*xi64> to memref<*xi64>
  return
}
// -----
func.func @stride(%m: memref<4x4xi64>) {
  // expected-error @+1 {{are cast incompatible}}
  %d = memref.cast %m : memref<4x4xi64> to memref<4x4xi64, strided<[1, 4]>>
  return
}
// -----
func.func @offset(%m: memref<4xi64, strided<[1], offset: 2>>) {
  // expected-error @+1 {{are cast incompatible}}
  %d = memref.cast %m : memref<4xi64, strided<[1], offset: 2>> to memref<4xi64>
  return
}
// -----
func.func @space(%m: memref<4xi64, 1>) {
  // expected-error @+1 {{are cast incompatible}}
  %d = memref.cast %m : memref<4xi64, 1> to memref<4xi64>
  return
}
// -----
func.func @castui(%x: i32) {
  // expected-error @+1 {{are cast incompatible}}
  %i = arith.index_castui %x : i32 to i64
  return
}
// -----
// Allowed: dynamic on either side, ranked <-> unranked, layouts that agree where static.
func.func @ok(%m: memref<4x?xi64>, %s: memref<4xi64, strided<[1], offset: ?>>) {
  %a = memref.cast %m : memref<4x?xi64> to memref<?x4xi64>
  %b = memref.cast %m : memref<4x?xi64> to memref<4x?xi64, strided<[?, 1]>>
  %c = memref.cast %s : memref<4xi64, strided<[1], offset: ?>> to memref<4xi64, strided<[1], offset: 3>>
  %d = memref.cast %a : memref<?x4xi64> to memref<*xi64>
  return
}
