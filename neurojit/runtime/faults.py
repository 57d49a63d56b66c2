"""What a fault in JIT code becomes once it is back in Python: a `FaultReport`.

The kinds are `#neurojit.fault`'s (`neurojit.dialect.neurojit.FAULT_KINDS`), spelled the
same in the attribute, the check op and the JSON report, so a report can be attached to the
faulty function as an attribute without translation.
"""

from __future__ import annotations

import signal as _signal
from dataclasses import dataclass, field
from typing import Any


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
    """One fault: where (function, op location), what (kind, signal, address), with what."""

    function: str
    kind: str
    signal: int | None = None  # None when an explicit check failed (nj_fail: no signal)
    address: int | None = None  # faulting address (si_addr) when the kernel gave one
    location: str | None = None  # "file:line:col" of the failing op, when known
    message: str = ""
    operands: list[int | float] = field(default_factory=list)  # the check's reported values
    inputs: list[Any] = field(default_factory=list)  # the arguments of the faulting call

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


class JITFault(Exception):
    """Raised by a guarded call that faulted; `.report` says what happened."""

    def __init__(self, report: FaultReport) -> None:
        super().__init__(report.diagnosis())
        self.report = report
