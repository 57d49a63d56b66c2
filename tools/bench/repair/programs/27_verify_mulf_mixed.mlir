// KIND: verifier-error
// ENTRY: amplify
// CALLS: [[2.0, 1.5], [3.0, 2.0], [-1.0, 0.25]]
// EXPECT: [3.0, 6.0, -0.25]
// Multiplies an f64 sample by an f32 gain without extending the gain first.
func.func @amplify(%x: f64, %gain: f32) -> f64 {
  %y = "arith.mulf"(%x, %gain) : (f64, f32) -> f64
  func.return %y : f64
}
