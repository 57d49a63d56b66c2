// The lander's latent bug is real for upstream MLIR too, not an artefact of our JIT: the
// default flight traps (SIGFPE) in mlir-cpu-runner-19. With the zero divisor made safe (the
// repair llm-repair's rules proposer makes), the same flight lands: @main returns 1.
// REQUIRES: mlir-opt, mlir-cpu-runner
// RUN: %mlir-opt --convert-scf-to-cf --convert-math-to-llvm --convert-arith-to-llvm --finalize-memref-to-llvm --convert-func-to-llvm --convert-cf-to-llvm --reconcile-unrealized-casts %S/../../../examples/lander/lander.mlir -o %t.ll.mlir
// RUN: %python -c "import signal, subprocess, sys; r = subprocess.run(sys.argv[1:], capture_output=True); print('signal', signal.Signals(-r.returncode).name if r.returncode < 0 else r.returncode)" %mlir-cpu-runner -e main -entry-point-result=i64 %t.ll.mlir | FileCheck %s --check-prefix=TRAP
// RUN: sed -e 's/%%ttd = arith.divsi %%alt_m, %%speed_ms : i64/%%z = arith.constant 0 : i64\n%%u = arith.constant 1 : i64\n%%is0 = arith.cmpi eq, %%speed_ms, %%z : i64\n%%d = arith.select %%is0, %%u, %%speed_ms : i64\n%%ttd = arith.divsi %%alt_m, %%d : i64/' %S/../../../examples/lander/lander.mlir > %t.fixed.mlir
// RUN: %mlir-opt --convert-scf-to-cf --convert-math-to-llvm --convert-arith-to-llvm --finalize-memref-to-llvm --convert-func-to-llvm --convert-cf-to-llvm --reconcile-unrealized-casts %t.fixed.mlir | %mlir-cpu-runner -e main -entry-point-result=i64 | FileCheck %s --check-prefix=LANDED
// TRAP: signal SIGFPE
// LANDED: {{^}}1{{$}}
