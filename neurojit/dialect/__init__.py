"""The `neurojit` dialect: `#neurojit.fault`, `#neurojit.strategy` and `neurojit.check`."""

from __future__ import annotations

from xdsl.ir import Dialect

from neurojit.dialect.attributes import FAULT_KINDS, FaultAttr, StrategyAttr
from neurojit.dialect.ops import CheckOp
from neurojit.dialect.verify import FAULT_ATTR_NAME, STRATEGY_ATTR_NAME, verify_fault_inputs

NeuroJIT = Dialect("neurojit", [CheckOp], [FaultAttr, StrategyAttr])

__all__ = [
    "FAULT_ATTR_NAME",
    "FAULT_KINDS",
    "STRATEGY_ATTR_NAME",
    "CheckOp",
    "FaultAttr",
    "NeuroJIT",
    "StrategyAttr",
    "verify_fault_inputs",
]
