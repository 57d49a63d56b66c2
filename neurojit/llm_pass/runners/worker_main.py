"""The model worker: a separate process that owns llama.cpp and answers repair queries.

Started by `WorkerRunner` (runners/worker.py) as `python -m neurojit.llm_pass.runners.worker_main
--fd N ...`, it talks over the inherited socket `N` in `wire` frames:

    host → worker   {"op": "load"} | {"op": "query", ...} | {"op": "cancel"} | {"op": "close"}
    worker → host   {"ev": "ready", ...} | {"ev": "piece", "text"} | {"ev": "done", ...}
                    | {"ev": "error", "message"}

Inside, it is the in-process `LlamaRunner`, unchanged, so answers are byte-identical to the
`llama-inproc` runner. If llama.cpp crashes, only this process dies.

It never outlives its host: a thread watches the parent pid (a host killed by SIGKILL leaves
no chance to clean up, and the socket's EOF is not seen while llama.cpp is busy decoding).

`--inject KIND` makes every query fail on purpose (segv, abort, hang, garbage, exit, oom):
the regression tests for a dying model cannot depend on which CPU CI has.
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
import threading
import time
from dataclasses import asdict
from typing import Any

from neurojit.llm_pass.runners.llama_settings import LlamaSettings

INJECT_KINDS = ("segv", "abort", "hang", "garbage", "exit", "oom")


def _watch_parent(parent: int) -> None:
    while True:
        if os.getppid() != parent:
            os._exit(0)
        time.sleep(0.2)


def _inject(kind: str, sock: socket.socket) -> None:
    from neurojit.llm_pass.runners import wire

    if kind == "segv":
        import ctypes

        ctypes.string_at(0)
    elif kind == "abort":
        os.abort()
    elif kind == "hang":
        while True:
            time.sleep(60)
    elif kind == "garbage":
        sock.sendall(b"\x00\xffnot a frame at all\n" * 64)
        while True:
            time.sleep(60)
    elif kind == "exit":
        wire.send(sock, {"ev": "piece", "text": "func.func @"})
        os._exit(3)
    elif kind == "oom":
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        with open("/proc/self/statm") as f:
            used = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        resource.setrlimit(resource.RLIMIT_AS, (used + (64 << 20), hard))
        hog = [bytearray(1 << 20) for _ in range(1 << 16)]
        del hog


def _serve(sock: socket.socket, args: argparse.Namespace) -> int:
    from neurojit.llm_pass.runners import wire
    from neurojit.llm_pass.runners.llama import LlamaRunner

    runner = LlamaRunner(args.model, **asdict(LlamaSettings.from_json(args.settings)))
    while True:
        try:
            message = wire.recv(sock)
        except wire.WireError:
            return 0  # the host closed the socket (or died): nothing left to serve
        op = message.get("op")
        if op == "close":
            return 0
        if op == "cancel":
            continue  # a cancel that arrived after its query had finished
        try:
            if op == "load":
                start = time.perf_counter()
                runner.load()
                wire.send(
                    sock,
                    {
                        "ev": "ready",
                        "model": runner.model,
                        "seconds": time.perf_counter() - start,
                        "cpu": runner.cpu_variant,
                    },
                )
            elif op == "query":
                _query(sock, runner, message, args.inject)
            else:
                wire.send(sock, {"ev": "error", "message": f"unknown op {op!r}"})
        except MemoryError:
            wire.send(sock, {"ev": "error", "message": "out of memory", "fatal": True})
            return 1
        except Exception as err:  # noqa: BLE001 - reported to the host, which decides
            text = str(getattr(err, "message", err)).strip().splitlines()
            wire.send(sock, {"ev": "error", "message": text[0] if text else type(err).__name__})


def _query(sock: socket.socket, runner: Any, message: dict[str, Any], inject: str) -> None:
    from neurojit.llm_pass.runners import wire

    runner.load()
    if inject:
        _inject(inject, sock)
    cancel = threading.Event()

    def on_token(piece: str) -> None:
        wire.send(sock, {"ev": "piece", "text": piece})
        while wire.readable(sock, 0.0):
            try:
                incoming = wire.recv(sock, timeout=5.0)
            except wire.WireError:
                os._exit(0)  # the host is gone mid-answer
            if incoming.get("op") in ("cancel", "close"):
                cancel.set()

    result = runner.query(
        str(message["prompt"]),
        message.get("grammar"),
        max_tokens=int(message["max_tokens"]),
        temperature=float(message["temperature"]),
        seed=int(message["seed"]),
        on_token=on_token,
        cancel=cancel,
    )
    wire.send(
        sock,
        {
            "ev": "done",
            "text": result.text,
            "tokens": result.tokens,
            "seconds": result.seconds,
            "stats": runner.last_stats,
        },
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="neurojit-model-worker")
    parser.add_argument("--fd", type=int, required=True)
    parser.add_argument("--parent", type=int, required=True)
    parser.add_argument("--model", required=True)
    parser.add_argument("--settings", default="{}", help="LlamaSettings as JSON")
    parser.add_argument("--inject", choices=INJECT_KINDS, default="")
    args = parser.parse_args(argv)
    # The host may already be gone by the time we get here (started, then killed at once).
    if os.getppid() != args.parent:
        return 0
    threading.Thread(target=_watch_parent, args=(args.parent,), daemon=True).start()
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    sock = socket.socket(fileno=args.fd)
    try:
        return _serve(sock, args)
    finally:
        sock.close()


if __name__ == "__main__":
    sys.exit(main())
