"""Framing for the model worker's socket: one JSON object per frame, length-prefixed.

The worker is untrusted in the sense that matters here: it may die mid-frame, hang, or
write garbage (a crashing llama.cpp, a fault-injection test). So every read is bounded in
size and in time, and anything that is not a well-formed frame is a `WireError`, never an
exception the host did not expect.
"""

from __future__ import annotations

import json
import select
import socket
import struct
import time
from typing import Any

# A frame carries one answer or one prompt: a few hundred KB at most. Anything larger is a
# sign of a broken peer, and reading it would let that peer make us allocate without bound.
MAX_FRAME = 8 << 20
_HEADER = struct.Struct("!4sI")
_MAGIC = b"NJW1"


class WireError(Exception):
    """The peer closed the connection, sent something that is not a frame, or timed out."""

    def __init__(self, message: str, *, eof: bool = False) -> None:
        super().__init__(message)
        self.eof = eof


def send(sock: socket.socket, message: dict[str, Any]) -> None:
    body = json.dumps(message, separators=(",", ":")).encode("utf-8")
    if len(body) > MAX_FRAME:
        raise WireError(f"frame of {len(body)} bytes exceeds {MAX_FRAME}")
    sock.sendall(_HEADER.pack(_MAGIC, len(body)) + body)


def _read_exactly(sock: socket.socket, n: int, deadline: float | None) -> bytes:
    chunks: list[bytes] = []
    while n:
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0:
                raise WireError("timed out in the middle of a frame")
            ready, _, _ = select.select([sock], [], [], left)
            if not ready:
                continue
        chunk = sock.recv(min(n, 1 << 20))
        if not chunk:
            raise WireError("connection closed", eof=True)
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)


def readable(sock: socket.socket, timeout: float) -> bool:
    """True when a frame (or EOF) can be read without blocking, waiting up to `timeout` s."""
    ready, _, _ = select.select([sock], [], [], max(0.0, timeout))
    return bool(ready)


def recv(sock: socket.socket, timeout: float | None = None) -> dict[str, Any]:
    """Read one frame. `timeout` bounds the whole frame once its first byte is awaited."""
    deadline = None if timeout is None else time.monotonic() + timeout
    magic, size = _HEADER.unpack(_read_exactly(sock, _HEADER.size, deadline))
    if magic != _MAGIC:
        raise WireError(f"bad frame header {magic!r}")
    if size > MAX_FRAME:
        raise WireError(f"frame of {size} bytes exceeds {MAX_FRAME}")
    body = _read_exactly(sock, size, deadline)
    try:
        message = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as err:
        raise WireError(f"frame is not JSON: {err}") from None
    if not isinstance(message, dict):
        raise WireError("frame is not a JSON object")
    return message
