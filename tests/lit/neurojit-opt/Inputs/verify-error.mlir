// Returns a value from a function declared to return nothing.
func.func @f(%a: i64) {
  func.return %a : i64
}
