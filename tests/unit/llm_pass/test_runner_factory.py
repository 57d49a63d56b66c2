"""make_runner: runners by name, imported only when asked for."""

from __future__ import annotations

import subprocess
import sys

import pytest

from neurojit.errors import NeuroJITError
from neurojit.llm_pass.runners.base import RUNNERS, RunnerResult, make_runner


def test_unknown_runner_lists_the_known_ones() -> None:
    known = "gemini, llama, llama-inproc, mock, openai"
    with pytest.raises(NeuroJITError, match=f"unknown runner 'nope'.*{known}"):
        make_runner("nope")


def test_remote_runners_do_not_import_llama_cpp() -> None:
    code = (
        "import sys\n"
        "from neurojit.llm_pass.runners.base import make_runner\n"
        "make_runner('openai', url='http://127.0.0.1:1/v1')\n"
        "make_runner('gemini')\n"
        "assert 'llama_cpp' not in sys.modules, 'llama_cpp imported'\n"
        "assert 'neurojit.llm_pass.runners.llama' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_every_registered_runner_resolves() -> None:
    import importlib

    for spec in RUNNERS.values():
        module, _, attr = spec.partition(":")
        cls = getattr(importlib.import_module(module), attr)
        assert cls.name in RUNNERS


def test_runner_result_rate() -> None:
    assert RunnerResult("x", 10, 2.0).tokens_per_second == 5.0
    assert RunnerResult("", 0, 0.0).tokens_per_second == 0.0
