"""A function's fingerprint: what the StrategyCache is keyed by.

The hash covers the function's canonical text and the fault kind. Canonical means: printed by
xDSL without SSA name hints (so renaming `%x` to `%y` is the same function) and without the
`neurojit.*` attributes (a fault's message and inputs vary from run to run; the function
doesn't).
"""

from __future__ import annotations

import hashlib
from io import StringIO

from xdsl.dialects.func import FuncOp
from xdsl.printer import Printer

# Attributes that describe a run, not the function.
_RUN_ATTRS = ("neurojit.fault", "neurojit.strategy")


def print_op(op: FuncOp) -> str:
    stream = StringIO()
    Printer(stream=stream).print_op(op)
    return stream.getvalue()


def strip_run_attrs(func: FuncOp) -> None:
    """Remove `neurojit.fault` / `neurojit.strategy` from a function, in place."""
    attrs = func.attributes
    for key in _RUN_ATTRS:
        attrs.pop(key, None)
    if func.attributes is not attrs:  # some xDSL versions return a copy
        for key in _RUN_ATTRS:
            func.attributes.pop(key, None)


def canonical_text(func: FuncOp) -> str:
    """The function printed with no name hints and no neurojit run attributes."""
    clone = func.clone()
    strip_run_attrs(clone)
    for op in clone.walk():
        for result in op.results:
            result.name_hint = None
        for region in op.regions:
            for block in region.blocks:
                for arg in block.args:
                    arg.name_hint = None
    return print_op(clone)


def fingerprint(func: FuncOp, kind: str) -> str:
    """16 hex digits of sha256 over the fault kind and the canonical function text."""
    digest = hashlib.sha256(f"{kind}\n{canonical_text(func)}".encode())
    return digest.hexdigest()[:16]
