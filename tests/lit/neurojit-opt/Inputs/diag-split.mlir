// The first piece expects an error that only the second piece produces.
func.func @f(%c: i1) {
  neurojit.check %c, "trap", "m"
  func.return
  // expected-error @-2 {{unknown fault kind}}
}
// -----
func.func @g(%c: i1) {
  neurojit.check %c, "nope", "m"
  func.return
}
