"""One fault, one type: `FaultReport`, from the crash guard to the repair and back.

The guard makes one when JIT code faults, the verifier side of the repair makes one when a
function fails to verify, and `#neurojit.fault` is its attribute form on the faulty function
(`to_attr` / `from_attr`), so the runtime, the healing loop, the prompt, the rules and the
validator all read the same fields. It lives outside `runtime/` and `llm_pass/` because both
use it and neither may import the other.

The kinds are `#neurojit.fault`'s (`neurojit.dialect.neurojit.FAULT_KINDS`), spelled the
same in the attribute, the check op and the JSON report.
"""

from __future__ import annotations

import signal as _signal
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from xdsl.ir import Attribute

    from neurojit.dialect.neurojit import FaultAttr


def signal_name(signum: int | None) -> str | None:
    """`11` → `"SIGSEGV"`; a real-time signal prints as `SIGRTMIN+k`; None stays None."""
    if not signum:
        return None
    try:
        return _signal.Signals(signum).name
    except ValueError:
        rtmin = int(_signal.SIGRTMIN)
        if signum >= rtmin:
            return f"SIGRTMIN+{signum - rtmin}"
        return f"signal {signum}"


def _jsonable(value: Any) -> Any:
    """Inputs as JSON: numbers stay numbers, arrays become lists, anything else its repr."""
    if isinstance(value, bool | int | float | str) or value is None:
        return value
    tolist = getattr(value, "tolist", None)
    if callable(tolist):
        return tolist()
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return repr(value)


@dataclass
class FaultReport:
    """A fault: what (kind, message, signal, address), where (function, op location), with
    what (the call's inputs, the failed check's operands).

    `inputs` are Python values (numbers, arrays); `input_text` their typed MLIR spelling
    when the report came from `#neurojit.fault` (`42 : i32`), for the prompt. `via` is the
    faulting call of an entry that reaches the function (a `behaviour.EntryCall`) when the
    function itself was not called from Python: the validator replays it.
    """

    kind: str
    message: str = ""
    location: str | None = None  # "file:line:col" of the failing op, when known
    function: str = ""
    signal: int | None = None  # None when an explicit check failed (nj_fail: no signal)
    address: int | None = None  # faulting address (si_addr) when the kernel gave one
    operands: Sequence[int | float] = ()  # the failed check's reported values
    inputs: Sequence[Any] = ()  # the arguments of the faulting call
    input_text: Sequence[str] = ()
    via: Any = None

    def diagnosis(self) -> str:
        """One line: `out-of-bounds: index 7 not in [0, 4) at oob.mlir:6:8 in @lookup`."""
        where = f" at {self.location}" if self.location else ""
        return f"{self.kind}: {self.message}{where} in @{self.function}"

    def to_json(self) -> dict[str, Any]:
        """The `faults[]` entry of neurojit-run's --report."""
        return {
            "function": self.function,
            "kind": self.kind,
            "signal": signal_name(self.signal),
            "location": self.location,
            "message": self.message,
            "inputs": [_jsonable(v) for v in self.inputs],
        }

    def to_attr(self, typed_inputs: Sequence[Attribute] = ()) -> FaultAttr:
        """`#neurojit.fault` for the faulty function; `typed_inputs` are the inputs as
        typed integer/float attributes (the caller knows the argument types)."""
        from neurojit.dialect.neurojit import FaultAttr

        return FaultAttr(self.kind, self.message, list(typed_inputs), self.location)

    @classmethod
    def from_attr(cls, attr: FaultAttr, function: str = "") -> FaultReport:
        """The report a `#neurojit.fault` carries: inputs as Python numbers, and as text."""
        from xdsl.dialects.builtin import FloatAttr, IntegerAttr

        values: list[Any] = []
        texts: list[str] = []
        for item in attr.inputs.data:
            if isinstance(item, IntegerAttr | FloatAttr):
                values.append(item.value.data)
                texts.append(f"{item.value.data} : {item.type}")
        return cls(
            kind=attr.kind.data,
            message=attr.message.data,
            location=attr.location,
            function=function,
            inputs=tuple(values),
            input_text=tuple(texts),
        )


class JITFault(Exception):
    """Raised by a guarded call that faulted; `.report` says what happened."""

    def __init__(self, report: FaultReport) -> None:
        super().__init__(report.diagnosis())
        self.report = report
