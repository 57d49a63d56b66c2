"""Check-site descriptors: how `nj_fail(site, a, b)` says which check failed.

`site` is the address of a constant C string that the lowering of `neurojit.check` puts in
the module itself, so a site needs no process-wide registry: it works for modules lowered in
another process (neurojit-opt → LLVM IR file), for cached object files and for every
hot-swapped version. The string is the fields below joined by US (0x1f), NUL-terminated.
`a` and `b` carry the check's operand values as i64 bit patterns: integers sign-extended,
floats as the bits of an f64.
"""

from __future__ import annotations

import ctypes
import struct
from dataclasses import dataclass

_SEP = "\x1f"


@dataclass(frozen=True)
class Site:
    """One `neurojit.check`: what it guards against and where it sits in the source."""

    kind: str
    message: str  # may name the operand values as {0} and {1}
    location: str | None  # "file:line:col"
    function: str
    operand_types: tuple[str, ...] = ()  # "int" or "float" per reported operand

    def encode(self) -> bytes:
        """The descriptor's bytes, without the terminating NUL (the lowering adds it)."""
        fields = (
            self.kind,
            self.message,
            self.location or "",
            self.function,
            ",".join(self.operand_types),
        )
        for f in fields:
            if _SEP in f or "\0" in f:
                raise ValueError(f"site field contains a separator: {f!r}")
        return _SEP.join(fields).encode()

    @classmethod
    def decode(cls, data: bytes) -> Site:
        kind, message, location, function, types = data.decode(errors="replace").split(_SEP)
        return cls(
            kind, message, location or None, function, tuple(t for t in types.split(",") if t)
        )

    @classmethod
    def at(cls, address: int) -> Site:
        """Read the descriptor that the JIT code passed to nj_fail."""
        data = ctypes.string_at(address)
        return cls.decode(data)

    def operand_values(self, bits: tuple[int, ...]) -> list[int | float]:
        """Turn nj_fail's raw i64 operands back into the values the check reported."""
        values: list[int | float] = []
        for kind, raw in zip(self.operand_types, bits, strict=False):
            raw &= (1 << 64) - 1
            if kind == "float":
                values.append(struct.unpack("<d", struct.pack("<Q", raw))[0])
            else:
                values.append(raw - (1 << 64) if raw >= 1 << 63 else raw)
        return values

    def render(self, values: list[int | float]) -> str:
        """The message with {0} and {1} filled in; a malformed message is shown as is."""
        try:
            return self.message.format(*values, *(["?"] * 2))
        except (IndexError, KeyError, ValueError):
            return self.message
