"""`neurojit models list | head -1`: a reader that leaves early is no traceback."""

from __future__ import annotations

import subprocess
import sys


def test_a_closed_pipe_is_a_quiet_exit() -> None:
    # stdout is a pipe whose reader is already gone: the first write raises EPIPE.
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "import os, sys\nr, w = os.pipe()\nos.close(r)\nos.dup2(w, 1)\n"
            "from neurojit.cli.tool import main\nsys.exit(main(['models', 'list']))",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 141, proc.stderr
    assert "Traceback" not in proc.stderr and "BrokenPipe" not in proc.stderr
