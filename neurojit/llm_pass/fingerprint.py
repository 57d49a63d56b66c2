"""A function's fingerprint: what the StrategyCache is keyed by.

The hash covers the function's canonical text and the fault kind. Canonical means: printed by
xDSL without SSA name hints (so renaming `%x` to `%y` is the same function) and without the
`neurojit.*` attributes (a fault's message and inputs vary from run to run; the function
doesn't) and without `neurojit.check` instrumentation.
"""

from __future__ import annotations

import hashlib
from io import StringIO

from xdsl.dialects.func import FuncOp
from xdsl.printer import Printer

from neurojit.dialect.neurojit import FAULT_ATTR_NAME, STRATEGY_ATTR_NAME

# Attributes that describe a run, not the function.
_RUN_ATTRS = (FAULT_ATTR_NAME, STRATEGY_ATTR_NAME)


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


def strip_checks(func: FuncOp) -> None:
    """Remove `neurojit.check` ops, in place. They are instrumentation (insert-checks puts them
    in, compile_module adds them again), not the function's meaning; a repair that kept a
    check on the old divisor would fault exactly as before."""
    checks = [op for op in func.walk() if op.name == "neurojit.check"]
    if not checks:
        return
    for op in checks:
        op.detach()
        op.erase()
    # The conditions they tested are dead now.
    from xdsl.transforms.dead_code_elimination import region_dce

    region_dce(func.body)


def canonical_text(func: FuncOp) -> str:
    """The function printed with no name hints, no neurojit run attributes and no checks, so
    the same function hashes the same with or without `neurojit-insert-checks`."""
    clone = func.clone()
    strip_run_attrs(clone)
    strip_checks(clone)
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
    return fingerprint_of(canonical_text(func), kind)


def fingerprint_of(canonical: str, kind: str) -> str:
    """`fingerprint` from a `canonical_text` already computed (it is kind-independent)."""
    return hashlib.sha256(f"{kind}\n{canonical}".encode()).hexdigest()[:16]
