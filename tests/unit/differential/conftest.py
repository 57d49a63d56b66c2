"""Set-up for the differential tests: tests/differential on sys.path, one worker per session."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "differential"))

from ours import OursRunner  # noqa: E402


@pytest.fixture(scope="session")
def ours() -> Iterator[OursRunner]:
    runner = OursRunner()
    yield runner
    runner.close()
