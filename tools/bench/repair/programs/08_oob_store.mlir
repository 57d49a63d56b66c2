// KIND: out-of-bounds
// ENTRY: put
// CALLS: [[[0.0, 0.0, 0.0, 0.0], 0, 1.5], [[0.0, 0.0, 0.0, 0.0], 3, 2.5], [[0.0, 0.0, 0.0, 0.0], -1, 4.0]]
// Store a sample and return the value it replaced; index -1 writes before the buffer.
func.func @put(%t: memref<4xf64>, %i: index, %x: f64) -> f64 {
  %old = memref.load %t[%i] : memref<4xf64>
  memref.store %x, %t[%i] : memref<4xf64>
  func.return %old : f64
}
