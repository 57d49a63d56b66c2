// An unrepaired fault (--runner none) prints one diagnosis line on stderr and exits 3; the
// process is never killed by the signal. With checks (the default) the diagnosis names the
// op location and the operand values; without, the signal path still recovers.
//
// RUN: %python %S/Inputs/expect_exit.py 3 neurojit-run %s --runner none --entry lookup --arg '[1,2,3,4]' --arg 100000000000 --report %t.oob.json 2>&1 | FileCheck %s --check-prefix=OOB
// OOB: neurojit-run: out-of-bounds: index 100000000000 not in [0, 4) at {{.*}}faults.mlir:[[# @LINE + 23]]:3 in @lookup
// OOB-NOT: {{.}}
// RUN: %python %S/Inputs/check_fault_report.py %t.oob.json fault lookup out-of-bounds null '[[1, 2, 3, 4], 100000000000]'
//
// RUN: %python %S/Inputs/expect_exit.py 3 neurojit-run %s --runner none --no-checks --entry lookup --arg '[1,2,3,4]' --arg 100000000000 --report %t.segv.json 2>&1 | FileCheck %s --check-prefix=SEGV
// SEGV: neurojit-run: segfault: invalid memory access at address 0x{{[0-9a-f]+}} (SIGSEGV) in @lookup
// SEGV-NOT: {{.}}
// RUN: %python %S/Inputs/check_fault_report.py %t.segv.json fault lookup segfault SIGSEGV '[[1, 2, 3, 4], 100000000000]'
//
// RUN: %python %S/Inputs/expect_exit.py 3 neurojit-run %s --runner none --entry ratio --arg 7 --arg 0 2>&1 | FileCheck %s --check-prefix=DIV
// DIV: neurojit-run: division-by-zero: divisor is zero in 7 / 0 at {{.*}}faults.mlir:[[# @LINE + 17]]:3 in @ratio
// RUN: %python %S/Inputs/expect_exit.py 3 neurojit-run %s --runner none --no-checks --entry ratio --arg -9223372036854775808 --arg -1 2>&1 | FileCheck %s --check-prefix=OVF
// OVF: neurojit-run: signed-overflow: {{.*}}(SIGFPE) in @ratio
//
// RUN: %python %S/Inputs/expect_exit.py 3 neurojit-run %s --runner none --entry spin --arg 1 --timeout 0.3 --report %t.spin.json 2>&1 | FileCheck %s --check-prefix=SPIN
// SPIN: neurojit-run: timeout: the call ran past the 0.3 s watchdog deadline in @spin
// RUN: %python %S/Inputs/check_fault_report.py %t.spin.json fault spin timeout SIGRTMIN+5 '[1]'
//
// RUN: %python %S/Inputs/expect_exit.py 0 neurojit-run %s --runner none --entry ratio --arg 7 --arg 2 --report %t.ok.json | FileCheck %s --check-prefix=OK
// OK: 3
// RUN: %python %S/Inputs/check_fault_report.py %t.ok.json ok

func.func @lookup(%t: memref<4xi64>, %i: index) -> i64 {
  %v = memref.load %t[%i] : memref<4xi64>
  return %v : i64
}
func.func @ratio(%a: i64, %b: i64) -> i64 {
  %q = arith.divsi %a, %b : i64
  return %q : i64
}
func.func @spin(%a: i64) -> i64 {
  %zero = arith.constant 0 : i64
  %two = arith.constant 2 : i64
  %r = scf.while (%x = %a) : (i64) -> i64 {
    %c = arith.cmpi ne, %x, %zero : i64
    scf.condition(%c) %x : i64
  } do {
  ^bb0(%y: i64):
    %z = arith.addi %y, %two : i64
    scf.yield %z : i64
  }
  return %r : i64
}
