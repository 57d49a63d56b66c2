"""Runs programs through NeuroJIT (ours) in a worker process, for differential tests.

The worker imports neurojit once and compiles many programs, so each costs only the
compile, not an interpreter start. It is a separate process so that a lowering bug that
crashes native code fails one program instead of killing pytest; the worker is restarted.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

WORKER = Path(__file__).with_name("ours_worker.py")


@dataclass
class Outcome:
    """What our path made of one program: `value`, or `error` saying why there is none."""

    value: int | None
    error: str | None = None
    frontend: str | None = None  # the compiler front end that ran (neurojit.compiler)

    def describe(self) -> str:
        return str(self.value) if self.error is None else f"<{self.error}>"


class OursRunner:
    """A restartable worker process that runs `neurojit.compile(text).main()`."""

    def __init__(self, timeout: float = 120.0) -> None:
        self.timeout = timeout
        self.proc: subprocess.Popen[str] | None = None
        self.stderr: IO[str] = tempfile.TemporaryFile("w+")

    def _start(self) -> subprocess.Popen[str]:
        env = dict(os.environ, PYTHONFAULTHANDLER="1")
        # stderr to a file, not a pipe: nobody reads it until the worker dies, and a full
        # pipe would block the worker.
        self.stderr = tempfile.TemporaryFile("w+")
        return subprocess.Popen(
            [sys.executable, str(WORKER)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.stderr,
            text=True,
            env=env,
        )

    def run(
        self,
        text: str,
        name: str,
        checks: bool = True,
        opt_level: int = 2,
        frontend: str | None = None,
    ) -> Outcome:
        if self.proc is None or self.proc.poll() is not None:
            self.proc = self._start()
        proc = self.proc
        assert proc.stdin is not None and proc.stdout is not None
        try:
            proc.stdin.write(
                json.dumps(
                    {
                        "text": text,
                        "name": name,
                        "checks": checks,
                        "opt_level": opt_level,
                        "frontend": frontend,
                    }
                )
                + "\n"
            )
            proc.stdin.flush()
            line = _readline(proc, self.timeout)
        except (BrokenPipeError, TimeoutError) as err:
            line = ""
            if isinstance(err, TimeoutError):
                proc.kill()
                proc.wait()
                self.proc = None
                return Outcome(None, f"timed out after {self.timeout:.0f}s")
        if not line:
            proc.wait()
            self.proc = None
            self.stderr.seek(0)
            stderr = self.stderr.read()[-1500:]
            return Outcome(None, f"worker died with exit {proc.returncode}: {stderr}")
        reply = json.loads(line)
        if "error" in reply:
            return Outcome(None, reply["error"], reply.get("frontend"))
        return Outcome(int(reply["value"]), None, reply.get("frontend"))

    def close(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            assert self.proc.stdin is not None
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None


def _readline(proc: subprocess.Popen[str], timeout: float) -> str:
    """One line from the worker's stdout, or TimeoutError."""
    import selectors

    assert proc.stdout is not None
    with selectors.DefaultSelector() as sel:
        sel.register(proc.stdout, selectors.EVENT_READ)
        if not sel.select(timeout):
            raise TimeoutError
    return proc.stdout.readline()
