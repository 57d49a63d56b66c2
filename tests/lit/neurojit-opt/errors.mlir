// User errors: one line with file:line:col where there is one (plus MLIR's source line and
// caret for input errors), exit code 1, and never a Python traceback.
// RUN: not neurojit-opt %S/Inputs/syntax-error.mlir 2> %t.syntax
// RUN: FileCheck %s --check-prefix=SYNTAX < %t.syntax
// RUN: not neurojit-opt %S/Inputs/undefined-value.mlir 2>&1 | FileCheck %s --check-prefix=UNDEFINED
// RUN: not neurojit-opt %s --no-implicit-module 2>&1 | FileCheck %s --check-prefix=IMPLICIT
// RUN: not neurojit-opt %S/Inputs/no-such-file.mlir 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: not neurojit-opt %s --no-such-pass 2>&1 | FileCheck %s --check-prefix=UNKNOWN-FLAG
// RUN: not neurojit-opt %s -p 'cse,no-such-pass' 2>&1 | FileCheck %s --check-prefix=UNKNOWN-PASS
// RUN: not neurojit-opt %s -p 'cse{' 2>&1 | FileCheck %s --check-prefix=BAD-PIPELINE
// RUN: not neurojit-opt %s --cse='bogus=1' 2>&1 | FileCheck %s --check-prefix=BAD-OPTION
// RUN: not neurojit-opt %S/Inputs/verify-error.mlir 2>&1 | FileCheck %s --check-prefix=VERIFY
// RUN: not neurojit-opt %s -o %t.missing-dir/out.mlir 2>&1 | FileCheck %s --check-prefix=OUTPUT
// Exit codes, exactly: 1 for all of the above.
// RUN: %python -c "import subprocess as s, sys; sys.exit(s.run(sys.argv[1:], capture_output=True).returncode != 1)" neurojit-opt %S/Inputs/syntax-error.mlir
// RUN: %python -c "import subprocess as s, sys; sys.exit(s.run(sys.argv[1:], capture_output=True).returncode != 1)" neurojit-opt %s --no-such-pass

// SYNTAX: syntax-error.mlir:3:23: error: {{.*}}
// SYNTAX-NEXT: %c = arith.muli %b, : i64
// SYNTAX-NEXT: {{^ {22}\^$}}
// SYNTAX-NOT: Traceback
// An undefined value is reported at its use, as upstream does, not at the end of the file.
// UNDEFINED: undefined-value.mlir:3:23: error: use of undeclared SSA value name %typo
// IMPLICIT: errors.mlir:{{[0-9]+}}:1: error: builtin.module operation expected
// MISSING: no-such-file.mlir: error: could not open input file: No such file or directory
// MISSING-NOT: Traceback
// UNKNOWN-FLAG: neurojit-opt: error: unknown pass or option '--no-such-pass'
// UNKNOWN-PASS: neurojit-opt: error: unknown pass 'no-such-pass'
// BAD-PIPELINE: neurojit-opt: error: invalid pass pipeline 'cse{' at column 5
// BAD-OPTION: neurojit-opt: error: bad option for pass 'cse': {{.*}}bogus
// VERIFY: verify-error.mlir:3:3: error: 'func.return' op Expected arguments to have the same types as the function output types
// VERIFY-NEXT: func.return %a : i64
// VERIFY-NEXT: {{^  \^$}}
// OUTPUT: out.mlir: error: could not open output file
// CHECK-NOT: Traceback
func.func @ok() {
  func.return
}
