"""Shared fixtures.

The runtime's tests lower through upstream MLIR 19 (the oracle), so they test the engine, ABI
and swap machinery on IR nobody here wrote, independently of our lowering passes (which have
their own tests and the differential suite). End-to-end runs through our lowering are in
tests/lit/neurojit-run.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from neurojit.runtime import upstream
from neurojit.runtime.engine import JITEngine
from neurojit.runtime.module import CompiledModule, compile_module, lower_with_upstream


@pytest.fixture
def engine(tmp_path: Path) -> JITEngine:
    return JITEngine(cache_dir=tmp_path / "objcache")


@pytest.fixture
def compile_text(engine: JITEngine) -> Callable[..., CompiledModule]:
    if not upstream.available():
        pytest.skip("mlir-opt-19 / mlir-translate-19 not installed")

    def build(text: str, **options: object) -> CompiledModule:
        options.setdefault("checks", False)
        options.setdefault("lowerer", lower_with_upstream)
        return compile_module(text, engine=engine, **options)  # type: ignore[arg-type]

    return build
