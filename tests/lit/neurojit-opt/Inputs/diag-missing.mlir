// A correct function, yet an error is expected: --verify-diagnostics must fail.
func.func @f(%c: i1) {
  // expected-error @+1 {{condition must be i1}}
  neurojit.check %c, "trap", "m"
  func.return
}
