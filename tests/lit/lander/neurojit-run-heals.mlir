// The whole flight natively (@main calls @autopilot and @physics_step in a loop): the fault is
// in a callee, the healing loop repairs @autopilot, swaps it under the running caller and
// re-runs @main, which lands (1). Without healing: exit 3 and a one-line diagnosis.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import subprocess, sys; r = subprocess.run(sys.argv[1:], capture_output=True, text=True); print('exit', r.returncode); print(r.stderr)" neurojit-run %S/../../../examples/lander/lander.mlir --runner none | FileCheck %s --check-prefix=NONE
// RUN: neurojit-run %S/../../../examples/lander/lander.mlir --runner mock --proposers rules --cache %t/cache.json --report %t/r1.json 2> %t/err1.txt | FileCheck %s --check-prefix=LANDED
// RUN: FileCheck %s --check-prefix=HEAL < %t/err1.txt
// RUN: FileCheck %s --check-prefix=REPORT < %t/r1.json
// RUN: neurojit-run %S/../../../examples/lander/lander.mlir --runner mock --proposers rules --cache %t/cache.json 2> %t/err2.txt | FileCheck %s --check-prefix=LANDED
// RUN: FileCheck %s --check-prefix=CACHED < %t/err2.txt
// NONE: exit 3
// NONE: division-by-zero
// NONE-SAME: @autopilot
// LANDED: {{^}}1{{$}}
// HEAL: fault in @autopilot at {{.*}}lander.mlir:{{[0-9]+}}:{{[0-9]+}}: division-by-zero
// HEAL: rules attempt 1 [zero-result]: accepted
// HEAL: compiled and swapped @autopilot
// HEAL: resumed: re-ran @main
// REPORT: "status": "repaired"
// REPORT: "fault_kind": "division-by-zero"
// REPORT: "source": "rules"
// CACHED: cache hit at load: @autopilot
// CACHED-NOT: fault in
