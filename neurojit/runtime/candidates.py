"""The native runtime as validation sees it (`neurojit.llm_pass.candidates.CandidateRuntime`).

Named in `neurojit.registry.CANDIDATE_RUNTIME`, so the repair pass finds it without importing
the runtime package itself.
"""

from __future__ import annotations

from typing import Any

from neurojit.runtime.abi import Signature, signature_from_func
from neurojit.runtime.module import CompiledModule, compile_module


class NativeCandidates:
    """Candidates compiled by `compile_module` with the explicit checks on."""

    def compile(self, module_text: str, timeout: float) -> CompiledModule:
        return compile_module(module_text, checks=True, timeout=timeout)

    def signature(self, func: Any) -> Signature:
        return signature_from_func(func)
