// An error that nobody expects.
func.func @f(%c: i1) {

  neurojit.check %c, "nope", "m"
  func.return
}
