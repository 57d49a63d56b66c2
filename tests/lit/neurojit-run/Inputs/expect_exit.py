"""expect_exit.py CODE CMD ARGS...: run CMD, pass its output through, succeed iff it exits CODE."""

import subprocess
import sys

want = int(sys.argv[1])
proc = subprocess.run(sys.argv[2:], capture_output=True, text=True)
sys.stdout.write(proc.stdout)
sys.stdout.write(proc.stderr)
if proc.returncode != want:
    sys.stdout.write(f"expect_exit: exit code {proc.returncode}, wanted {want}\n")
    sys.exit(1)
