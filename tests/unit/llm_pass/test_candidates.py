"""Validation runs candidates on the runtime it is given, and llm_pass never imports one."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import pytest
from division_case import BY_ONE, SOURCE  # tests/unit/llm_pass (on sys.path)

from neurojit.ir import parse_module
from neurojit.llm_pass import differential
from neurojit.llm_pass.llm_repair import RepairOptions, repair_module
from neurojit.llm_pass.validate import Rejection, validate_candidate
from neurojit.runtime.candidates import NativeCandidates

PACKAGE = Path(__file__).resolve().parents[3] / "neurojit" / "llm_pass"


class CountingRuntime:
    """The native runtime, counting what validation asks of it."""

    def __init__(self) -> None:
        self.native = NativeCandidates()
        self.compiled: list[str] = []
        self.signatures = 0

    def compile(self, module_text: str, timeout: float) -> Any:
        self.compiled.append(module_text)
        return self.native.compile(module_text, timeout)

    def signature(self, func: Any) -> Any:
        self.signatures += 1
        return self.native.signature(func)


class RefusingRuntime(CountingRuntime):
    """A runtime that compiles nothing: validation must not blame the candidate."""

    def compile(self, module_text: str, timeout: float) -> Any:
        self.compiled.append(module_text)
        raise RuntimeError("no code generator here")


def _func() -> tuple[Any, Any]:
    module = parse_module(SOURCE, "t.mlir")
    return module, next(op for op in module.ops if op.sym_name.data == "div")


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: p.name)
def test_llm_pass_never_imports_the_runtime_or_the_healing_loop(path: Path) -> None:
    banned = ("neurojit.runtime", "neurojit.healing", "neurojit.cli")
    found = sorted(n for n in _imports(path) if n.startswith(banned))
    assert not found, f"{path.name} imports {found}"


def test_the_given_runtime_compiles_and_runs_the_candidate() -> None:
    module, func = _func()
    runtime = CountingRuntime()
    accepted = validate_candidate(
        BY_ONE, func, module, trigger=[1, 0], recorded=[([6, 3], 2)], runtime=runtime
    )
    # The recorded call, then the original and the candidate on generated inputs.
    assert re.fullmatch(
        r"replayed 1 recorded call and differential on \d+ generated inputs", accepted.evidence
    )
    assert len(runtime.compiled) == 2 and "arith.select" in runtime.compiled[0]
    assert "arith.select" not in runtime.compiled[1]  # the original, run for the differential


def test_a_runtime_that_cannot_compile_leaves_validation_static() -> None:
    module, func = _func()
    runtime = RefusingRuntime()
    accepted = validate_candidate(
        BY_ONE, func, module, trigger=[1, 0], recorded=[([6, 3], 2)], runtime=runtime
    )
    # The original does not compile on it either: the runtime's limit, said as such.
    assert accepted.evidence.startswith("static only (the native runtime cannot compile")
    assert len(runtime.compiled) == 2


def test_a_wrong_answer_is_caught_on_the_given_runtime() -> None:
    module, func = _func()
    runtime = CountingRuntime()
    with pytest.raises(Rejection) as info:
        validate_candidate(
            BY_ONE.replace("%one, %b", "%one, %a"),
            func,
            module,
            trigger=[1, 0],
            recorded=[([6, 3], 2)],
            runtime=runtime,
        )
    assert info.value.stage == "run"
    assert runtime.compiled


def test_the_pass_samples_and_validates_on_the_runtime_it_is_given() -> None:
    module, func = _func()
    runtime = CountingRuntime()
    outcome = repair_module(
        module,
        options=RepairOptions(runner="none", proposers=("rules",), require_behaviour_check=True),
        cache=None,
        runtime=runtime,
    )
    assert outcome.repairs and outcome.repairs[0].ok
    assert "sampled input" in outcome.repairs[0].evidence
    # Sampling the original: its signature, then one compile; each candidate: one compile.
    assert runtime.signatures >= 1 and len(runtime.compiled) >= 2


def test_generated_inputs_use_the_given_signature() -> None:
    _, func = _func()
    runtime = CountingRuntime()
    inputs = differential.generated_inputs(func, count=4, runtime=runtime)
    assert runtime.signatures == 1
    assert inputs is not None and len(inputs) == 4 and all(len(args) == 2 for args in inputs)


def test_one_runtimes_memo_does_not_answer_for_another() -> None:
    """The original's behaviour is memoised per runtime: a runtime that could not compile it
    must not leave the native one without calls to compare (and the reverse)."""
    module, func = _func()
    text = "// memo\n" + SOURCE  # a text no other test memoised
    refusing = RefusingRuntime()
    assert differential.original_calls(text, func, refusing) is None
    native = CountingRuntime()
    calls = differential.original_calls(text, func, native)
    assert calls and native.compiled == [text]
    assert differential.original_calls(text, func, RefusingRuntime()) is None
