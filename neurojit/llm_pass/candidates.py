"""How validation runs a candidate: passed in, never imported from `neurojit.runtime`.

`llm_pass` sits above the compiler and beside the runtime; only the healing loop imports
both (`docs/internals.md`). So the validator and the differential check take a
`CandidateRuntime`: something that compiles MLIR text with the explicit checks on into a
module whose `.call(name, *args)` runs a function under the crash guard and raises
`neurojit.fault_report.JITFault` when it faults, and that gives the Python-boundary types of
a function's arguments (to generate inputs).

Callers pass theirs: the healing loop its own, a test a fake. The pass run by `neurojit-opt`
passes none and gets the native runtime by name from `neurojit.registry.CANDIDATE_RUNTIME`,
the same lazy-table way the driver finds passes, so `import neurojit.llm_pass` never loads
llvmlite.
"""

from __future__ import annotations

import hashlib
from typing import Any, Protocol

from xdsl.dialects.func import FuncOp


class CompiledCandidate(Protocol):
    """A compiled module: `call` runs one function natively under the guard."""

    def call(self, name: str, *args: Any) -> Any: ...


class CandidateRuntime(Protocol):
    """What validation needs from a runtime."""

    def compile(self, module_text: str, timeout: float) -> CompiledCandidate:
        """MLIR text → a callable module, checks on, `timeout` seconds per call; raises
        (a `NeuroJITError`, or a gap in the runtime) when it cannot compile the text."""
        ...

    def signature(self, func: FuncOp) -> Any:
        """The boundary types of `func` (`.args`, each scalar or with a `.shape`); raises
        when an argument cannot be passed from Python."""
        ...


def default_runtime() -> CandidateRuntime | None:
    """The native runtime, by name; None when it cannot be imported here (then validation
    is static only, and says why)."""
    global _DEFAULT, _WHY
    if _DEFAULT is None and _WHY is None:
        from neurojit.registry import CANDIDATE_RUNTIME, load

        try:
            _DEFAULT = load(CANDIDATE_RUNTIME)()
        except ImportError as err:
            _WHY = " ".join(str(err).split())
    return _DEFAULT


def memo_key(runtime: CandidateRuntime | None, *texts: str) -> str:
    """A memo key for what `runtime` made of `texts`: another runtime (a test's, one that
    cannot compile) must not answer from the native one's memo, or the other way round."""
    kind = type(runtime)
    head = f"{kind.__module__}.{kind.__qualname__}"
    return hashlib.sha256("\n".join((head, *texts)).encode()).hexdigest()


def unavailable_reason() -> str:
    """Why `default_runtime()` is None."""
    return f"native runtime unavailable ({_WHY or 'none given'})"


_DEFAULT: CandidateRuntime | None = None
_WHY: str | None = None
