"""The `llama` runner: llama.cpp in a worker process, so a crashing model never takes the host.

NeuroJIT promises that a crash never kills the program it protects, yet llama.cpp is a large
native library that can crash on its own (the AMX fault of llama.cpp issue 20824 killed both
README commands on such a CPU). So by default it runs in a child process
(`worker_main.py`), started the first time a query needs it, that loads the GGUF once and
answers queries over a socket. The host never imports llama_cpp on this path.

Whatever happens to the worker is one rejected attempt with a reason, never an exception the
caller did not ask for:
- killed by a signal: `model worker died: SIGSEGV (llama.cpp)`;
- out of memory: `model worker ran out of memory`;
- no answer within the query budget, or within `cancel_grace` s of a cancel: it is killed,
  `model worker hung: ...`;
- bytes that are not a frame: it is killed, `model worker sent malformed output: ...`.

The next query starts a fresh worker. After `MAX_DEATHS` deaths in a row the runner switches
itself off for the rest of the run (`disabled` holds the one-line reason), so a model that
always dies costs three attempts, not one per fault. `llama-inproc` (runners/llama.py) is
the same model in the host process, for those who accept its risk.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import weakref
from pathlib import Path
from typing import IO, Any

from neurojit.errors import NeuroJITError
from neurojit.llm_pass.runners import wire
from neurojit.llm_pass.runners.base import Query, Runner, RunnerResult
from neurojit.llm_pass.runners.llama_settings import LlamaSettings

MAX_DEATHS = 3


class WorkerFailed(NeuroJITError):
    """The worker died, hung or sent garbage during this query (it has been killed)."""


def _reap(proc: subprocess.Popen[bytes], sock: socket.socket) -> None:
    """Stop a worker for good: used on close, on failure and when the runner is collected."""
    try:
        sock.close()
    finally:
        if proc.poll() is None:
            proc.kill()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass


def _package_root() -> str:
    return str(Path(__file__).resolve().parents[3])


class WorkerRunner(Runner):
    name = "llama"

    def __init__(
        self,
        model: str | None = None,
        *,
        query_timeout: float = 600.0,
        load_timeout: float = 300.0,
        cancel_grace: float = 10.0,
        inject: str | None = None,
        **settings: Any,
    ) -> None:
        """`settings`: the fields of `LlamaSettings` (n_ctx=, n_threads=, ...), for the
        worker's llama.cpp."""
        self._model_spec = model
        self.model = model or ""
        self.settings = LlamaSettings(**settings)
        self.query_timeout = query_timeout
        self.load_timeout = load_timeout
        self.cancel_grace = cancel_grace
        # Fault injection for tests and the crash demo; the environment reaches the lander.
        self.inject = inject or os.environ.get("NEUROJIT_WORKER_INJECT", "")
        self.last_stats: dict[str, Any] = {}
        self.cpu_variant = ""
        self.load_seconds = 0.0  # spawn + model load of the current worker
        self.deaths = 0  # in a row; a good answer resets it
        self.disabled = ""  # why the runner switched itself off, once it has
        self.pid: int | None = None
        self._proc: subprocess.Popen[bytes] | None = None
        self._sock: socket.socket | None = None
        self._stderr: IO[bytes] | None = None
        self._finalizer: weakref.finalize | None = None
        self._lock = threading.Lock()

    # -- lifecycle -----------------------------------------------------------------------------
    def _resolve_model(self) -> str:
        from neurojit import models

        spec = self._model_spec
        return str(models.resolve_model(spec) if spec else models.default_model())

    def _spawn(self) -> None:
        host, child = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        if self._stderr is not None:
            self._stderr.close()  # the previous worker's, read already if it died
        self._stderr = tempfile.TemporaryFile()
        cmd = [
            sys.executable,
            "-m",
            "neurojit.llm_pass.runners.worker_main",
            "--fd",
            str(child.fileno()),
            "--parent",
            str(os.getpid()),
            "--model",
            self.model,
            "--settings",
            self.settings.to_json(),
        ]
        if self.inject:
            cmd += ["--inject", self.inject]
        env = dict(os.environ)
        env.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        # The worker must import this very neurojit, installed or not.
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (_package_root(), env.get("PYTHONPATH", "")) if p
        )
        try:
            proc = subprocess.Popen(
                cmd,
                stdin=subprocess.DEVNULL,
                stdout=self._stderr,
                stderr=self._stderr,
                pass_fds=(child.fileno(),),
                env=env,
            )
        finally:
            child.close()
        self._proc, self._sock, self.pid = proc, host, proc.pid
        self._finalizer = weakref.finalize(self, _reap, proc, host)

    def _stop(self) -> None:
        if self._finalizer is not None:
            self._finalizer()  # kills the worker if it still runs; runs at most once
        self._proc = self._sock = self._finalizer = None
        self.pid = None

    def close(self) -> None:
        """Ask the worker to exit, then make sure it has."""
        with self._lock:
            if self._sock is not None:
                try:
                    wire.send(self._sock, {"op": "close"})
                    if self._proc is not None:
                        self._proc.wait(timeout=2)
                except (OSError, wire.WireError, subprocess.TimeoutExpired):
                    pass
            self._stop()

    @property
    def alive(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    # -- failures ------------------------------------------------------------------------------
    def _stderr_tail(self) -> str:
        if self._stderr is None:
            return ""
        try:
            self._stderr.seek(max(0, self._stderr.seek(0, os.SEEK_END) - 4096))
            lines = self._stderr.read().decode("utf-8", "replace").strip().splitlines()
        except OSError:
            return ""
        tail = lines[-1].strip() if lines else ""
        return tail[:200]

    def _death_reason(self) -> str:
        assert self._proc is not None
        try:
            code = self._proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            return "model worker closed its socket but did not exit"
        tail = self._stderr_tail()
        if code < 0:
            try:
                name = signal.Signals(-code).name
            except ValueError:
                name = f"signal {-code}"
            if name == "SIGKILL":
                return "model worker died: SIGKILL (killed; out of memory?)"
            return f"model worker died: {name} (llama.cpp)" + (f": {tail}" if tail else "")
        return f"model worker exited with status {code} mid-answer" + (f": {tail}" if tail else "")

    def _fail(self, reason: str) -> WorkerFailed:
        """Kill the worker, count the death, and build the error the attempt carries."""
        self._stop()
        self.deaths += 1
        if self.deaths >= MAX_DEATHS and not self.disabled:
            self.disabled = (
                f"model proposer off for the rest of this run: the model worker failed "
                f"{self.deaths} times in a row (last: {reason})"
            )
        return WorkerFailed(reason)

    def _receive(
        self,
        deadline: float,
        what: str,
        cancel: threading.Event | None = None,
    ) -> dict[str, Any]:
        """The next frame from the worker, or WorkerFailed if it dies, hangs or babbles."""
        assert self._sock is not None and self._proc is not None
        cancelled_at: float | None = None
        while True:
            now = time.monotonic()
            if cancel is not None and cancel.is_set() and cancelled_at is None:
                cancelled_at = now
                try:
                    wire.send(self._sock, {"op": "cancel"})
                except OSError:
                    pass  # it is dying: the next read says how
            if cancelled_at is not None and now - cancelled_at > self.cancel_grace:
                raise self._fail(
                    f"model worker hung: no answer {self.cancel_grace:.0f} s after cancel"
                )
            if now > deadline:
                raise self._fail(f"model worker hung: no {what} within its time budget")
            if not wire.readable(self._sock, 0.05):
                continue
            try:
                return wire.recv(self._sock, timeout=10.0)
            except wire.WireError as err:
                if err.eof:
                    raise self._fail(self._death_reason()) from None
                raise self._fail(f"model worker sent malformed output: {err}") from None
            except OSError as err:
                raise self._fail(f"model worker connection failed: {err}") from None

    def _error(self, message: dict[str, Any]) -> NeuroJITError:
        text = str(message.get("message", "unknown error"))
        if message.get("fatal"):
            if text == "out of memory":
                return self._fail("model worker ran out of memory")
            return self._fail(f"model worker failed: {text}")
        return NeuroJITError(text)

    # -- the runner protocol -------------------------------------------------------------------
    def load(self) -> None:
        """Start the worker and load the model in it (idempotent while it lives)."""
        if self.disabled:
            raise NeuroJITError(self.disabled)
        if self.alive:
            return
        self._stop()
        self.model = self._resolve_model()
        start = time.perf_counter()
        self._spawn()
        assert self._sock is not None
        try:
            wire.send(self._sock, {"op": "load"})
        except OSError:
            pass  # died at start-up: the read below reports how
        message = self._receive(time.monotonic() + self.load_timeout, "model load")
        if message.get("ev") == "error":
            err = self._error(message)
            self._stop()
            raise NeuroJITError(f"cannot load model {self.model}: {err.message}")
        if message.get("ev") != "ready":
            raise self._fail(f"model worker sent {message.get('ev')!r} instead of 'ready'")
        self.cpu_variant = str(message.get("cpu", ""))
        self.load_seconds = time.perf_counter() - start

    def answer(self, query: Query) -> RunnerResult:
        with self._lock:
            self.load()
            assert self._sock is not None
            request = {
                "op": "query",
                "prompt": query.prompt,
                "grammar": query.grammar,
                "max_tokens": query.max_tokens,
                "temperature": query.temperature,
                "seed": query.seed,
            }
            try:
                wire.send(self._sock, request)
            except OSError:
                pass  # the read below reports the death
            deadline = time.monotonic() + self.query_timeout
            while True:
                message = self._receive(deadline, "answer", query.cancel)
                event = message.get("ev")
                if event == "piece":
                    query.emit(str(message.get("text", "")))
                elif event == "done":
                    break
                elif event == "error":
                    raise self._error(message)
                else:
                    raise self._fail(f"model worker sent malformed output: event {event!r}")
            try:
                stats = dict(message.get("stats") or {})
                result = RunnerResult(
                    text=str(message["text"]),
                    tokens=int(message["tokens"]),
                    seconds=float(message["seconds"]),
                )
            except (KeyError, TypeError, ValueError) as err:
                raise self._fail(f"model worker sent malformed output: {err}") from None
            self.last_stats = stats
            self.deaths = 0
            return result
