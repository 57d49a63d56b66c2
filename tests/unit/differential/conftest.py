"""Shared set-up for the differential tests: the generator, the oracle and our runner."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

DIFFERENTIAL = Path(__file__).resolve().parents[2] / "differential"
CORPUS = DIFFERENTIAL / "corpus"
sys.path.insert(0, str(DIFFERENTIAL))

from ours import OursRunner  # noqa: E402


def corpus_ids() -> list[str]:
    return sorted(p.stem for p in CORPUS.glob("*.mlir"))


def lowering_missing() -> bool:
    return importlib.util.find_spec("neurojit.lowering") is None


@pytest.fixture(scope="session")
def ours() -> Iterator[OursRunner]:
    runner = OursRunner()
    yield runner
    runner.close()
