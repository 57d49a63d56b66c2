"""NeuroJIT: a self-healing JIT for MLIR.

Imports stay lazy: `neurojit-opt --help` must start fast, so the heavy modules (xDSL,
llvmlite, llama.cpp) load only when a command needs them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from neurojit.runtime.module import CompiledModule

__version__ = "0.1.0"


def compile(source: str, *, name: str | None = None, **options: Any) -> CompiledModule:  # noqa: A001
    """Parse, lower and JIT-compile MLIR text or a path to a .mlir file."""
    from neurojit.runtime.module import compile_module

    return compile_module(source, name=name, **options)
