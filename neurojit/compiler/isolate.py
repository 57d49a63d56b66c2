"""Compile untrusted text in a forked child, so that an LLVM assertion cannot kill the host.

The bindings' LLVM is built with assertions on: some inputs that verify still abort() inside
a pass (ARCHITECTURE.md, "Assertions are ON"). User files and model candidates are untrusted,
so the native front end runs in `os.fork()`ed child by default: it inherits the imported
bindings (the parent imports them first), does parse → checks → lowering → translation, and
sends the plain-data result back pickled through a pipe. A child that dies (a signal, a
non-zero exit) or hangs past the deadline becomes one NeuroJITError naming the cause and the
last line the child printed to stderr (the assertion text).

Cost, measured (tools/bench/compile_time.py): ~3 ms per compile for the fork itself in a
~300 MB process, plus copy-on-write faults in the child.
"""

from __future__ import annotations

import os
import pickle
import re
import select
import signal
import tempfile
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


def _child(fn: Callable[..., Any], args: tuple[Any, ...], rfd: int, wfd: int, efd: int) -> None:
    try:
        import gc

        gc.disable()  # the child lives for one compile
        import faulthandler

        faulthandler.disable()  # its death is reported by the parent, not as a traceback
        os.close(rfd)
        os.dup2(efd, 2)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        try:
            result: tuple[str, Any] = ("ok", fn(*args))
        except NeuroJITError as err:
            result = ("error", (err.message, err.location))
        except Exception as err:  # noqa: BLE001 - reported to the parent as one line
            result = ("error", (f"internal error in the native compiler: {err!r}"[:2000], None))
        data = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
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
