// Bad input exits 1 with file:line:col and (for unsupported ops) the op name; usage errors
// exit 2; a fault in JIT code exits 3 with a one-line diagnosis. Never a traceback.
// RUN: %python %S/Inputs/expect_exit.py 1 neurojit-run %S/Inputs/syntax-error.mlir --runner none | FileCheck %s --check-prefix=SYNTAX
// RUN: %python %S/Inputs/expect_exit.py 1 neurojit-run - --runner none < %S/Inputs/syntax-error.mlir | FileCheck %s --check-prefix=STDIN
// RUN: %python %S/Inputs/expect_exit.py 1 neurojit-run %S/Inputs/verify-error.mlir --runner none | FileCheck %s --check-prefix=VERIFY
// RUN: %python %S/Inputs/expect_exit.py 1 neurojit-run %S/Inputs/unsupported.mlir --runner none --arg 1 | FileCheck %s --check-prefix=NOLOWER
// RUN: %python %S/Inputs/expect_exit.py 1 neurojit-run %S/Inputs/no-such-file.mlir --runner none | FileCheck %s --check-prefix=MISSING
// RUN: %python %S/Inputs/expect_exit.py 1 neurojit-run %s --runner none --entry nope | FileCheck %s --check-prefix=NOENTRY
// No FILE reads stdin when stdin is not a terminal, as mlir-cpu-runner does:
// RUN: %python %S/Inputs/expect_exit.py 1 neurojit-run --runner none < %S/Inputs/syntax-error.mlir | FileCheck %s --check-prefix=NOFILE
// RUN: %python %S/Inputs/expect_exit.py 2 neurojit-run %s --runner none --entry div --arg 1 | FileCheck %s --check-prefix=ARGC
// RUN: %python %S/Inputs/expect_exit.py 2 neurojit-run %s --runner none --entry div --arg 1 --arg x | FileCheck %s --check-prefix=ARGV
// RUN: %python %S/Inputs/expect_exit.py 3 neurojit-run %s --runner none --entry div --arg 7 --arg 0 | FileCheck %s --check-prefix=FAULT
// RUN: %python %S/Inputs/expect_exit.py 3 neurojit-run %s --runner none --no-checks --entry div --arg 7 --arg 0 --report %t.json | FileCheck %s --check-prefix=SIGNAL
// RUN: FileCheck %s --check-prefix=REPORT < %t.json
// RUN: neurojit-run %s --runner none --entry div --arg 7 --arg 2 --report %t.ok.json
// RUN: FileCheck %s --check-prefix=OK < %t.ok.json

// The two front ends' parsers place this error one column apart (upstream: after the comma).
// SYNTAX: syntax-error.mlir:3:{{22|23}}: error:
// SYNTAX-NOT: Traceback
// STDIN: <stdin>:3:{{22|23}}: error:
// VERIFY: verify-error.mlir:2:3: error: 'func.return' op
// NOLOWER: unsupported.mlir:3:3: error: cannot lower 'tensor.empty'
// MISSING: no-such-file.mlir: error: could not open input file: No such file or directory
// NOENTRY: errors.mlir: error: no public function @nope
// NOFILE: <stdin>:3:{{22|23}}: error:
// ARGC: error: @div takes 2 argument(s) (i64, i64) -> (i64), got 1 --arg
// ARGV: error: --arg #2 'x' is not a valid i64
// FAULT: neurojit-run: division-by-zero: {{.*}} at {{.*}}errors.mlir:[[# @LINE + 9]]:3 in @div
// FAULT-NOT: Traceback
// SIGNAL: neurojit-run: division-by-zero: {{.*}}SIGFPE{{.*}} in @div
// REPORT: "status": "fault"
// REPORT: "kind": "division-by-zero"
// REPORT: "inputs": [
// REPORT-NEXT: 7,
// REPORT-NEXT: 0
func.func @div(%a: i64, %b: i64) -> i64 {
  %q = arith.divsi %a, %b : i64
  return %q : i64
}
// OK: "status": "ok"
// OK: "results": [
// OK-NEXT: 3
