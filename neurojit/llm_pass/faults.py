"""What the repair knows about one fault: from `#neurojit.fault`, or from the verifier.

Both sources become a `FaultInfo`, so the prompt, the rules and the validator read one shape.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from xdsl.dialects.builtin import FloatAttr, IntegerAttr
from xdsl.dialects.func import FuncOp
from xdsl.ir import Operation

from neurojit.dialect.neurojit import FAULT_ATTR_NAME


@dataclass
class FaultInfo:
    """A fault to repair. `inputs` are Python numbers, `input_text` their typed spelling."""

    kind: str
    message: str
    inputs: tuple[Any, ...] = ()
    input_text: tuple[str, ...] = ()
    loc: str | None = None
    operands: tuple[Any, ...] = field(default_factory=tuple)
    # The faulting call of an entry that reaches this function (a `behaviour.EntryCall`),
    # when the function itself was not called from Python: the validator replays it.
    via: Any = None


def fault_of(func: FuncOp) -> FaultInfo | None:
    """The `#neurojit.fault` on a function, as a FaultInfo (None when it carries none)."""
    from neurojit.dialect import FaultAttr

    attr = func.attributes.get(FAULT_ATTR_NAME)
    if not isinstance(attr, FaultAttr):
        return None
    values: list[Any] = []
    texts: list[str] = []
    for item in attr.inputs.data:
        if isinstance(item, IntegerAttr | FloatAttr):
            values.append(item.value.data)
            texts.append(f"{item.value.data} : {item.type}")
    return FaultInfo(
        kind=attr.kind.data,
        message=attr.message.data,
        inputs=tuple(values),
        input_text=tuple(texts),
        loc=attr.location,
    )


def verifier_error(func: FuncOp) -> FaultInfo | None:
    """A `verifier-error` FaultInfo when some op of `func` fails to verify, else None."""
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
            return FaultInfo(kind="verifier-error", message=message, loc=loc)
    try:
        check_dominance(func)  # xDSL 0.74's verify() does not check dominance
    except DominanceError as err:
        pos = op_position(err.op)
        loc = f"{pos[0]}:{pos[1]}:{pos[2]}" if pos else None
        return FaultInfo(kind="verifier-error", message=err.message, loc=loc)
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
