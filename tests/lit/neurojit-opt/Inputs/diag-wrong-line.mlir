// The right error, on the wrong line.
func.func @f(%c: i64) {
  // expected-error @+2 {{condition must be i1}}
  "neurojit.check"(%c) <{kind = "trap", message = "m"}> : (i64) -> ()
  func.return
}
