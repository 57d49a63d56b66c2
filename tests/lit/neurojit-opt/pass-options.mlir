// Pass options: mlir-opt's --pass='k=v' and xdsl-opt's -p 'pass{k=v}' reach the pass alike.
// RUN: neurojit-opt %s --expand-math-to-polynomials='terms=2' | FileCheck %s --check-prefix=TWO
// RUN: neurojit-opt %s -p 'expand-math-to-polynomials{terms=2}' | FileCheck %s --check-prefix=TWO
// RUN: neurojit-opt %s --expand-math-to-polynomials=terms=3 | FileCheck %s --check-prefix=THREE
// Without the option the pass leaves math.exp alone.
// RUN: neurojit-opt %s --expand-math-to-polynomials | FileCheck %s --check-prefix=NONE
// An unquoted path is passed as a string; here the option wants an int, so that is an error.
// RUN: not neurojit-opt %s --expand-math-to-polynomials='terms=a/b.txt' 2>&1 | FileCheck %s --check-prefix=STR
// RUN: not neurojit-opt %s --expand-math-to-polynomials='depth=2' 2>&1 | FileCheck %s --check-prefix=UNKNOWN

// 1 + x (two terms): one addf, no math.exp left.
// TWO: func.func @e
// TWO-NOT: math.exp
// TWO-COUNT-1: arith.addf
// TWO-NOT: arith.addf
// 1 + x + x^2/2: two addf.
// THREE-NOT: math.exp
// THREE-COUNT-2: arith.addf
// THREE-NOT: arith.addf
// NONE: math.exp %x : f32
// STR: error: bad option for pass 'expand-math-to-polynomials': {{.*}}'a/b.txt'
// STR-NOT: Traceback
// UNKNOWN: error: bad option for pass 'expand-math-to-polynomials': {{.*}}depth
func.func @e(%x: f32) -> f32 {
  %y = math.exp %x : f32
  func.return %y : f32
}
