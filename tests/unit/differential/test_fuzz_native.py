"""Mutated programs through the native front end in the pytest process: none may kill it.

NEUROJIT_FUZZ_N programs (default 60; the report's run used 3,000: see docs/benchmarks.md).
"""

from __future__ import annotations

import os

import pytest
from fuzz_native import run

from neurojit.compiler import native_installed

N = int(os.environ.get("NEUROJIT_FUZZ_N", "60"))


@pytest.mark.skipif(not native_installed(), reason="the native front end is not installed")
def test_mutated_programs_never_kill_the_host() -> None:
    outcomes = run(N, seed=int(os.environ.get("NEUROJIT_FUZZ_SEED", "7")))
    # Reaching this line is the property; the counts show the fuzzer did real work.
    assert outcomes["compiled"] > 0
    assert outcomes["rejected"] > 0
    assert not [k for k in outcomes if k.startswith("other exception")], outcomes
