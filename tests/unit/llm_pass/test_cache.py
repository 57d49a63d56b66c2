"""StrategyCache: concurrent writers lose nothing, corrupt files are moved aside."""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

import pytest
from store_entries import entry as _entry  # tests/unit/llm_pass (on sys.path)

from neurojit.llm_pass.cache import StrategyCache, default_cache_path, open_cache


def _writer(path: str, worker: int, count: int) -> None:
    cache = StrategyCache(path)
    for j in range(count):
        cache.store(_entry(worker * 1000 + j))


def test_store_and_lookup_roundtrip(tmp_path: Path) -> None:
    cache = StrategyCache(tmp_path / "c.json")
    cache.store(_entry(1))
    cache.store(_entry(2, kind="out-of-bounds"))
    again = StrategyCache(tmp_path / "c.json")
    assert [e.repaired for e in again.lookup(_entry(1).fingerprint)] == [_entry(1).repaired]
    assert [e.fingerprint for e in again.examples("out-of-bounds")] == [_entry(2).fingerprint]
    assert again.remove(_entry(1).fingerprint) == 1
    assert again.lookup(_entry(1).fingerprint) == []


def test_eight_processes_writing_at_once_lose_no_entries(tmp_path: Path) -> None:
    path = str(tmp_path / "cache.json")
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(path, w, 6)) for w in range(8)]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(60)
        assert proc.exitcode == 0
    fingerprints = {e.fingerprint for e in StrategyCache(path).entries()}
    assert len(fingerprints) == 8 * 6
    # No temporary files left behind by the atomic writes.
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".tmp"] == []


def test_truncated_file_is_moved_aside_and_a_new_one_started(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "cache.json"
    cache = StrategyCache(path)
    cache.store(_entry(1))
    cache.store(_entry(2))
    text = path.read_text()
    path.write_text(text[: len(text) // 2])
    assert StrategyCache(path).lookup(_entry(1).fingerprint) == []
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "corrupt" in err and "warning:" in err
    aside = [p for p in tmp_path.iterdir() if ".corrupt-" in p.name]
    assert len(aside) == 1 and aside[0].read_text() == text[: len(text) // 2]
    cache.store(_entry(3))
    assert [e.fingerprint for e in StrategyCache(path).entries()] == [_entry(3).fingerprint]


def test_malformed_entries_are_dropped_but_good_ones_kept(tmp_path: Path) -> None:
    # Entries with a valid integrity tag (our own writer's) but a wrong shape are dropped one
    # by one; tampering (a bad tag) rejects the whole file: test_cache_poisoning.py.
    from neurojit.llm_pass.cache_integrity import load_secret, tag

    path = tmp_path / "cache.json"
    good = _entry(5)
    key = load_secret()

    def tagged(item: dict) -> dict:
        return {**item, "tag": tag(key, item)}

    data = {
        "version": 1,
        "entries": [
            tagged({"fingerprint": 7}),
            tagged({**good.__dict__, "attempts": "three"}),
            tagged(dict(good.__dict__)),
        ],
    }
    path.write_text(json.dumps(data))
    assert StrategyCache(path).entries() == [good]


def test_cache_option_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEUROJIT_HOME", str(tmp_path / "home"))
    assert default_cache_path() == tmp_path / "home" / "cache.json"
    monkeypatch.delenv("NEUROJIT_HOME")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert default_cache_path() == tmp_path / ".neurojit" / "cache.json"
    assert open_cache("none") is None
    explicit = open_cache(str(tmp_path / "x.json"))
    assert explicit is not None and explicit.path == tmp_path / "x.json"


def test_the_oldest_entries_go_when_the_cache_is_full(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import neurojit.llm_pass.cache as cache_module

    monkeypatch.setattr(cache_module, "MAX_ENTRIES", 3)
    cache = StrategyCache(tmp_path / "c.json")
    for i in range(5):
        cache.store(_entry(i))
    assert [e.fingerprint for e in cache.entries()] == [_entry(i).fingerprint for i in (2, 3, 4)]
