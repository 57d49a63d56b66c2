"""Shared pieces of the differential tests: corpus location, known bugs, the comparison.

A module of its own (not conftest.py) so test files import it by a name no other test
directory uses.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path

import pytest
from ours import OursRunner

CORPUS = Path(__file__).resolve().parent / "corpus"


def corpus_ids() -> list[str]:
    return sorted(p.stem for p in CORPUS.glob("*.mlir"))


def lowering_missing() -> bool:
    return importlib.util.find_spec("neurojit.lowering") is None


# Known bugs in our path, each with the error text that identifies it. A program that fails
# with one of these is an expected failure (pytest.xfail naming the bug); any other failure,
# and every wrong value, fails the test. Once a bug is fixed its programs simply pass, so
# this table can't go stale silently: remove the entry with the fix.
# docs/differential-mismatches.md has the minimal program for each.
KNOWN_BUGS: dict[str, str] = {}

# Where a known bug is only in parsing, the rest of the program can still be judged: the
# same op in MLIR's generic form, which every parser reads.
WORKAROUNDS: dict[str, Callable[[str], str]] = {}


def _mlir19_bug(text: str, outcome: object, ours: OursRunner, name: str) -> bool:
    """native == xdsl == upstream MLIR 22 (its own ExecutionEngine), only MLIR 19 differs."""
    from oracle import run_mlir22

    if len(FRONTENDS) < 2:
        return False
    values = {ours.run(text, name, True, 2, fe).value for fe in FRONTENDS}
    values.add(getattr(outcome, "value", None))
    return len(values) == 1 and run_mlir22(text) in values


def native_installed() -> bool:
    from neurojit.compiler import native_installed as installed

    return installed()


# Both front ends where the bindings are installed; the xdsl one alone elsewhere.
FRONTENDS = ["native", "xdsl"] if native_installed() else ["xdsl"]


def expected_frontend(asked: str, text: str) -> str:
    """Which front end should run: the one asked for (native widens sub-byte memrefs itself;
    it hands a module to xdsl only for constructs the corpus does not use)."""
    return asked


def known_bug(error: str | None) -> str | None:
    """The known bug an error message is a symptom of, if any."""
    if error is None:
        return None
    for signature, reason in KNOWN_BUGS.items():
        if signature in error:
            return reason
    return None


def _workaround(error: str | None) -> Callable[[str], str] | None:
    for signature, rewrite in WORKAROUNDS.items():
        if error is not None and signature in error and signature in KNOWN_BUGS:
            return rewrite
    return None


def compare(
    name: str,
    text: str,
    expected: int,
    ours: OursRunner,
    checks: bool = True,
    opt_level: int = 2,
    frontend: str | None = None,
) -> None:
    """Runs `text` through our path; fails (printing both outputs) unless it gives `expected`.

    A program hit by a known parse-only bug is run again with that bug worked around, so
    everything else in it is still judged: it is XFAIL only if that run gives the right value.
    """
    outcome = ours.run(text, name, checks, opt_level, frontend)
    if outcome.value == expected and outcome.error is None:
        if frontend is not None and outcome.frontend != expected_frontend(frontend, text):
            pytest.fail(f"{name}: asked for {frontend}, {outcome.frontend} ran", pytrace=False)
        return
    bug = known_bug(outcome.error)
    rewrite = _workaround(outcome.error)
    note = ""
    if bug is not None and rewrite is not None:
        outcome = ours.run(rewrite(text), name, checks, opt_level, frontend)
        note = f" (after working around: {bug})"
        bug = None if outcome.error is not None or outcome.value != expected else bug
        if bug is None:
            bug = known_bug(outcome.error)
    if bug is not None:
        pytest.xfail(f"known bug: {bug}")
    if outcome.error is None and frontend is not None and _mlir19_bug(text, outcome, ours, name):
        pytest.xfail(
            "upstream MLIR 19 disagrees with MLIR 22's ExecutionEngine and both our front "
            "ends, which agree (an MLIR 19 bug: docs/differential-mismatches.md)"
        )
    pytest.fail(
        f"{name} (checks={checks}, opt_level={opt_level}, frontend={frontend}): ours and "
        "upstream MLIR 19 "
        f"disagree{note}\n"
        f"  ours:     {outcome.describe()}\n"
        f"  upstream: {expected}",
        pytrace=False,
    )
