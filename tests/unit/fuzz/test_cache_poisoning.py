"""The cache-poisoning suite (tools/fuzz/cache_poison.py): 0 poisoned entries installed, a
tampered file rejected as a whole, an unreadable one a single warning; and the honest path
still pre-applies, now after re-running the calls the entry was validated on."""

from __future__ import annotations

import io
import json
import os
import tempfile
from pathlib import Path

import pytest

from tools.fuzz import cache_poison
from tools.fuzz.cache_poison import scenarios


@pytest.fixture
def fresh_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    from neurojit.llm_pass import cache, cache_integrity

    monkeypatch.setenv("NEUROJIT_HOME", str(tmp_path))
    cache_integrity._KEYS.clear()
    cache._WARNED.clear()
    yield tmp_path
    cache_integrity._KEYS.clear()


@pytest.mark.parametrize("name", list(scenarios()))
def test_poisoned_cache_is_not_installed(name: str, fresh_home: Path) -> None:
    result = scenarios()[name](fresh_home)
    assert not result.installed, result.warnings
    assert result.ran, result.warnings
    assert result.ok, result.warnings
    assert "Traceback" not in result.warnings


def test_secret_is_private_and_created_once(fresh_home: Path) -> None:
    from neurojit.llm_pass.cache_integrity import load_secret, secret_path

    key = load_secret()
    path = secret_path()
    assert path == fresh_home / "secret"
    assert os.stat(path).st_mode & 0o777 == 0o600
    from neurojit.llm_pass import cache_integrity

    cache_integrity._KEYS.clear()
    assert load_secret() == key  # read back, not replaced


def test_honest_entry_records_its_calls_and_is_preapplied(fresh_home: Path) -> None:
    from neurojit.healing import HealingOptions, SelfHealingModule

    cache = fresh_home / "cache.json"
    opts = HealingOptions(runner="mock", proposers="rules", cache=str(cache))
    first = SelfHealingModule(cache_poison.PROGRAM, options=opts, progress=io.StringIO())
    assert first.call("div", 10, 2) == 5  # a recorded good call
    assert first.call("div", 7, 0) == 0  # faults, repaired by a rule, re-run
    [entry] = json.loads(cache.read_text())["entries"]
    inputs = [call["inputs"] for call in entry["calls"]]
    assert [7, 0] in inputs and [10, 2] in inputs and entry["tag"]
    log = io.StringIO()
    second = SelfHealingModule(cache_poison.PROGRAM, options=opts, progress=log)
    assert [p["function"] for p in second.preapplied] == ["div"], log.getvalue()
    assert second.call("div", 7, 0) == 0 and second.faults == []


def test_the_suite_runs_as_a_script() -> None:
    with tempfile.TemporaryDirectory():
        results = cache_poison.run_all()
    assert results and all(r.ok for r in results)
    assert sum(r.installed for r in results) == 0
