"""Every dialect NeuroJIT parses, registered in one place.

One module per dialect, each exporting its factory, in the manner of `xdsl/dialects/`:
- `neurojit`: ours (`#neurojit.fault`, `#neurojit.strategy`, `neurojit.check`);
- `memref`, `scf`, `arith`, `llvm`: xDSL's, with upstream MLIR's syntax where xDSL 0.74
  lacks it and the ops our lowering emits that xDSL has not.

`dialect_factories()` is the registration `neurojit.ir.make_context` uses; every other
dialect is xDSL's own. The factories import lazily, so a context pays only for the dialects a
module names.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from neurojit.dialect.neurojit import (
    FAULT_ATTR_NAME,
    FAULT_KINDS,
    STRATEGY_ATTR_NAME,
    CheckOp,
    FaultAttr,
    NeuroJIT,
    StrategyAttr,
    neurojit_dialect,
    verify_fault_inputs,
)

if TYPE_CHECKING:
    from xdsl.ir import Dialect


def _ours() -> dict[str, Callable[[], Dialect]]:
    def memref() -> Dialect:
        from neurojit.dialect.memref import memref_dialect

        return memref_dialect()

    def arith() -> Dialect:
        from neurojit.dialect.arith import arith_dialect

        return arith_dialect()

    def scf() -> Dialect:
        from neurojit.dialect.scf import scf_dialect

        return scf_dialect()

    def llvm() -> Dialect:
        from neurojit.dialect.llvm import llvm_dialect

        return llvm_dialect()

    return {
        "memref": memref,
        "arith": arith,
        "scf": scf,
        "llvm": llvm,
        "neurojit": neurojit_dialect,
    }


def dialect_factories() -> dict[str, Callable[[], Dialect]]:
    """Name -> factory for every dialect: xDSL's, with ours in place of the ones we extend."""
    from xdsl.dialects import get_all_dialects

    return {**dict(get_all_dialects()), **_ours()}


__all__ = [
    "FAULT_ATTR_NAME",
    "FAULT_KINDS",
    "STRATEGY_ATTR_NAME",
    "CheckOp",
    "FaultAttr",
    "NeuroJIT",
    "StrategyAttr",
    "dialect_factories",
    "verify_fault_inputs",
]
