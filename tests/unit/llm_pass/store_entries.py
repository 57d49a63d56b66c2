"""The strategy-store entry the cache and store tests build: one function, numbered."""

from __future__ import annotations

from neurojit.llm_pass.cache import CacheEntry


def entry(i: int, kind: str = "division-by-zero") -> CacheEntry:
    """Entry `i`: a distinct fingerprint, original and repair, and a timestamp ordered by i."""
    return CacheEntry(
        fingerprint=f"{i:016x}",
        kind=kind,
        function="f",
        original=f"func.func @f() {{ // {i}\n}}",
        repaired=f"func.func @f() {{ // fixed {i}\n}}",
        proposer="model",
        model="mock",
        seconds=0.5,
        timestamp=1000.0 + i,
    )
