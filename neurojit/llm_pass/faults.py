"""Where the repair finds its fault: `#neurojit.fault` on a function, or the verifier.

Both give a `neurojit.fault_report.FaultReport`, so the prompt, the rules and the validator
read one shape, the same one the crash guard reports.
"""

from __future__ import annotations

from xdsl.dialects.func import FuncOp
from xdsl.ir import Operation

from neurojit.dialect.neurojit import FAULT_ATTR_NAME
from neurojit.fault_report import FaultReport


def fault_of(func: FuncOp) -> FaultReport | None:
    """The `#neurojit.fault` on a function, as a FaultReport (None when it carries none)."""
    from neurojit.dialect import FaultAttr

    attr = func.attributes.get(FAULT_ATTR_NAME)
    if not isinstance(attr, FaultAttr):
        return None
    return FaultReport.from_attr(attr, func.sym_name.data)


def verifier_error(func: FuncOp) -> FaultReport | None:
    """A `verifier-error` FaultReport when some op of `func` fails to verify, else None."""
    from neurojit.dominance import DominanceError, check_dominance
    from neurojit.ir import op_position

    for op in func.walk():
        try:
            op.verify(verify_nested_ops=False)
        except Exception as err:  # noqa: BLE001 - VerifyException, ValueError, ...
            text = str(err).strip().splitlines()
            message = f"'{op.name}' op {text[0] if text else type(err).__name__}"
            pos = op_position(op)
            loc = f"{pos[0]}:{pos[1]}:{pos[2]}" if pos else None
            return FaultReport("verifier-error", message, loc, function=func.sym_name.data)
    try:
        check_dominance(func)  # xDSL 0.74's verify() does not check dominance
    except DominanceError as err:
        pos = op_position(err.op)
        loc = f"{pos[0]}:{pos[1]}:{pos[2]}" if pos else None
        return FaultReport("verifier-error", err.message, loc, function=func.sym_name.data)
    return None


def op_at(func: FuncOp, loc: str | None) -> Operation | None:
    """The op of `func` parsed at `loc` ("file:line:col"; the file part may differ, because
    a fault found at run time names the file the module was compiled from)."""
    from neurojit.ir import op_position

    if not loc:
        return None
    parts = loc.rsplit(":", 2)
    if len(parts) != 3 or not parts[1].isdigit() or not parts[2].isdigit():
        return None
    line, col = int(parts[1]), int(parts[2])
    fallback: Operation | None = None
    for op in func.walk():
        pos = op_position(op)
        if pos is None or pos[1] != line:
            continue
        if pos[2] == col:
            return op
        fallback = fallback or op
    return fallback
