"""Located errors for the lowering: an op no pattern handles is one line with its place."""

from __future__ import annotations

from xdsl.dialects.builtin import FileLineColLoc
from xdsl.ir import Operation

from neurojit.errors import NeuroJITError


def op_location(op: Operation) -> str | None:
    """`file:line:col` of `op` (or its closest located ancestor), if the parser recorded one."""
    cur: Operation | None = op
    while cur is not None:
        loc = cur.location
        if isinstance(loc, FileLineColLoc):
            return f"{loc.filename.data}:{loc.line.data}:{loc.column.data}"
        cur = cur.parent_op()
    return None


def unsupported(op: Operation, why: str = "") -> NeuroJITError:
    """The error for an op (or op variant) no lowering pass handles."""
    detail = f": {why}" if why else ""
    return NeuroJITError(f"cannot lower '{op.name}' to LLVM{detail}", op_location(op))
