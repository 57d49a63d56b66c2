"""Shared fixtures: an engine whose object cache lives in a per-test temporary directory."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from neurojit.runtime.engine import JITEngine
from neurojit.runtime.module import CompiledModule, compile_module


@pytest.fixture
def engine(tmp_path: Path) -> JITEngine:
    return JITEngine(cache_dir=tmp_path / "objcache")


@pytest.fixture
def compile_text(engine: JITEngine) -> Callable[..., CompiledModule]:
    def build(text: str, **options: object) -> CompiledModule:
        options.setdefault("checks", False)
        return compile_module(text, engine=engine, **options)  # type: ignore[arg-type]

    return build
