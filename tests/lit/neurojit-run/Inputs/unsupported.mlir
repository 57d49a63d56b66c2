func.func @main(%a: f64) -> f64 {
  %b = math.erf %a : f64
  return %b : f64
}
