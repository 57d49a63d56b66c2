"""Compile untrusted text in a forked child, so that an LLVM assertion cannot kill the host.

The bindings' LLVM is built with assertions on: some inputs that verify still abort() inside
a pass (ARCHITECTURE.md, "Assertions are ON"). User files and model candidates are untrusted,
so the native front end runs in `os.fork()`ed child by default: it inherits the imported
bindings (the parent imports them first), does parse → checks → lowering → translation, and
sends the plain-data result back pickled through a pipe. A child that dies (a signal, a
non-zero exit) or hangs past the deadline becomes one NeuroJITError naming the cause and the
last line the child printed to stderr (the assertion text).

Two ways: `run_forked` forks a child per call (~3 ms for the fork in a ~300 MB process, plus
copy-on-write faults in the child: measured 15-60 ms per compile of 100-1,000 ops);
`run_isolated` (what the compiler uses) sends the call to a `CompileWorker`, one forked child
that serves compile after compile until an input kills it (~1 ms a request: pickles over
pipes). Costs: tools/bench/compile_time.py ("native" vs "native, no fork").
"""

from __future__ import annotations

import os
import pickle
import re
import select
import signal
import tempfile
import threading
import time
from collections.abc import Callable
from typing import Any

from neurojit.errors import NeuroJITError


def run_forked(
    fn: Callable[..., Any], args: tuple[Any, ...], filename: str, timeout: float = 120.0
) -> Any:
    """`fn(*args)` in a forked child; its result, or its NeuroJITError re-raised here."""
    read_fd, write_fd = os.pipe()
    errors = tempfile.TemporaryFile()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        _child(fn, args, read_fd, write_fd, errors.fileno())
    os.close(write_fd)
    try:
        data = _read_all(read_fd, pid, timeout)
    finally:
        os.close(read_fd)
    _, status = os.waitpid(pid, 0)
    if data is None:
        raise NeuroJITError(
            f"the native compiler did not finish within {timeout:g} s and was stopped", filename
        )
    if not data:
        raise NeuroJITError(f"the native compiler {_death(status)}{_last_words(errors)}", filename)
    kind, payload = pickle.loads(data)
    if kind == "ok":
        return payload
    message, location = payload
    raise NeuroJITError(message, location)


def _outcome(fn: Callable[..., Any], args: tuple[Any, ...]) -> tuple[str, Any]:
    """`fn(*args)` as the parent reads it: ("ok", value) or ("error", (message, location))."""
    try:
        return ("ok", fn(*args))
    except NeuroJITError as err:
        return ("error", (err.message, err.location))
    except Exception as err:  # noqa: BLE001 - reported to the parent as one line
        return ("error", (f"internal error in the native compiler: {err!r}"[:2000], None))


def _child(fn: Callable[..., Any], args: tuple[Any, ...], rfd: int, wfd: int, efd: int) -> None:
    try:
        import gc

        gc.disable()  # the child lives for one compile
        import faulthandler

        faulthandler.disable()  # its death is reported by the parent, not as a traceback
        os.close(rfd)
        os.dup2(efd, 2)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        data = pickle.dumps(_outcome(fn, args), protocol=pickle.HIGHEST_PROTOCOL)
        view = memoryview(data)
        while view:
            view = view[os.write(wfd, view) :]
        os._exit(0)
    except BaseException:  # noqa: BLE001 - a child must never return into the caller
        os._exit(70)


def _read_all(fd: int, pid: int, timeout: float) -> bytes | None:
    """Everything the child writes until it closes the pipe; None on timeout (child killed)."""
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        ready, _, _ = select.select([fd], [], [], max(left, 0))
        if not ready:
            os.kill(pid, signal.SIGKILL)
            return None
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _death(status: int) -> str:
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        try:
            name = signal.Signals(sig).name
        except ValueError:
            name = f"signal {sig}"
        return f"crashed ({name}) on this input"
    return f"exited with status {os.waitstatus_to_exitcode(status)} on this input"


def _last_words(errors: Any) -> str:
    """The child's last stderr line (an LLVM assertion says what failed), if any."""
    try:
        errors.seek(0)
        lines = [ln.strip() for ln in errors.read()[-4000:].decode(errors="replace").splitlines()]
    finally:
        errors.close()
    for ln in lines:
        # `python: /path/File.cpp:123: <signature>: Assertion `cond' failed.`
        m = re.search(r"([\w.+-]+\.(?:cpp|h|inc)):(\d+):.*Assertion (`.*)$", ln)
        if m:
            return f": assertion {m.group(3)[:200]} ({m.group(1)}:{m.group(2)})"
        if "LLVM ERROR" in ln:
            return f": {ln[:300]}"
    lines = [ln for ln in lines if ln and not ln[0].isdigit() and "Stack dump" not in ln]
    return f": {lines[-1][:300]}" if lines else ""


class CompileWorker:
    """A forked child that serves many compiles: the fork and its copy-on-write faults are
    paid once, not per compile (measured: ~3 ms + faults per fork in a 300 MB process).

    Requests and replies are pickles over two pipes (functions travel by name: the child is a
    copy of this process). The child dies with the input that killed it; the next call forks
    a fresh one. It is also replaced after `max_requests`, so that the memory upstream MLIR's
    context keeps (uniqued types and attributes) stays bounded.
    """

    def __init__(self, max_requests: int = 500) -> None:
        self.max_requests = max_requests
        self.pid = 0
        self.owner = 0  # the process that forked the worker: only it may talk to it
        self.served = 0
        self._lock = threading.Lock()

    def _start(self) -> None:
        req_r, req_w = os.pipe()
        rep_r, rep_w = os.pipe()
        self.errors = tempfile.TemporaryFile()
        pid = os.fork()
        if pid == 0:
            os.close(req_w)
            os.close(rep_r)
            _serve(req_r, rep_w, self.errors.fileno())
        os.close(req_r)
        os.close(rep_w)
        self.pid, self.req, self.rep, self.served = pid, req_w, rep_r, 0
        self.owner = os.getpid()

    def _stop(self, kill: bool = False) -> int:
        """Close the pipes, reap the child; its wait status."""
        os.close(self.req)
        os.close(self.rep)
        if kill:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        _, status = os.waitpid(self.pid, 0)
        self.pid = 0
        return status

    def call(self, fn: Callable[..., Any], args: tuple, filename: str, timeout: float) -> Any:
        with self._lock:
            if self.pid and self.owner != os.getpid():
                # We are a fork of the worker's owner: its pipes are not ours to use.
                os.close(self.req)
                os.close(self.rep)
                self.pid = 0
            if self.pid and self.served >= self.max_requests:
                self._stop()
            if not self.pid:
                self._start()
            self.served += 1
            data = pickle.dumps((fn, args), protocol=pickle.HIGHEST_PROTOCOL)
            try:
                _write_frame(self.req, data)
                reply = _read_frame(self.rep, time.monotonic() + timeout)
            except BrokenPipeError:
                reply = b""
            if reply is None:
                self._stop(kill=True)
                raise NeuroJITError(
                    f"the native compiler did not finish within {timeout:g} s and was stopped",
                    filename,
                )
            if not reply:
                status = self._stop(kill=True)
                raise NeuroJITError(
                    f"the native compiler {_death(status)}{_last_words(self.errors)}", filename
                )
            self.errors.seek(0)
            self.errors.truncate(0)
        kind, payload = pickle.loads(reply)
        if kind == "ok":
            return payload
        message, location = payload
        raise NeuroJITError(message, location)


def _serve(rfd: int, wfd: int, efd: int) -> None:
    """The worker's loop: never returns."""
    try:
        import faulthandler
        import gc

        faulthandler.disable()
        os.dup2(efd, 2)
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when it stops
        gc.freeze()  # the inherited heap is never collected here: collections stay small
        while True:
            data = _read_frame(rfd, None)
            if not data:
                os._exit(0)
            fn, args = pickle.loads(data)
            _write_frame(wfd, pickle.dumps(_outcome(fn, args), protocol=pickle.HIGHEST_PROTOCOL))
    except BaseException:  # noqa: BLE001 - a worker must never return into the caller
        os._exit(70)


def _write_frame(fd: int, data: bytes) -> None:
    view = memoryview(len(data).to_bytes(8, "little") + data)
    while view:
        view = view[os.write(fd, view) :]


def _read_exact(fd: int, n: int, deadline: float | None) -> bytes | None:
    """n bytes; b"" at EOF; None past the deadline."""
    chunks: list[bytes] = []
    while n:
        if deadline is not None:
            ready, _, _ = select.select([fd], [], [], max(deadline - time.monotonic(), 0))
            if not ready:
                return None
        chunk = os.read(fd, min(n, 1 << 20))
        if not chunk:
            return b""
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)


def _read_frame(fd: int, deadline: float | None) -> bytes | None:
    head = _read_exact(fd, 8, deadline)
    if not head:
        return head
    return _read_exact(fd, int.from_bytes(head, "little"), deadline)


_worker = CompileWorker()


def run_isolated(
    fn: Callable[..., Any], args: tuple[Any, ...], filename: str, timeout: float = 120.0
) -> Any:
    """`fn(*args)` in the shared compile worker; its result, or its NeuroJITError here."""
    return _worker.call(fn, args, filename, timeout)
