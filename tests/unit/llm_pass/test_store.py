"""Strategy stores named by URL: the file default unchanged, SQLite for many processes, the
fleet key's trust rules, and `neurojit cache` moving entries between back ends."""

from __future__ import annotations

import json
import multiprocessing
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from store_entries import entry as _entry  # tests/unit/llm_pass (on sys.path)

from neurojit.errors import UsageError
from neurojit.llm_pass.cache import CacheEntry, StrategyCache, open_cache
from neurojit.llm_pass.store import open_store, parse_url, sqlite_path
from neurojit.llm_pass.store_sqlite import SQLiteStore

KEY = "k" * 64


@pytest.fixture(autouse=True)
def _home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEUROJIT_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("NEUROJIT_CACHE", raising=False)
    monkeypatch.delenv("NEUROJIT_FLEET_KEY", raising=False)
    monkeypatch.delenv("NEUROJIT_FLEET_KEY_FILE", raising=False)


def test_urls_name_back_ends(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert parse_url("/a/b.json") == ("file", "/a/b.json")
    assert parse_url("file:x.json") == ("file", "x.json")
    assert parse_url("sqlite:///tmp/c.db") == ("sqlite", "///tmp/c.db")
    assert sqlite_path("///tmp/c.db") == "/tmp/c.db"
    with pytest.raises(UsageError, match="unknown strategy store 'mongodb:'"):
        parse_url("mongodb://h/db")
    default = open_cache(None)
    assert isinstance(default, StrategyCache)
    assert default.path == tmp_path / "home" / "cache.json"
    assert isinstance(open_store(f"file:{tmp_path}/x.json"), StrategyCache)
    assert open_store("none") is None
    monkeypatch.setenv("NEUROJIT_CACHE", f"sqlite:///{tmp_path}/env.db")
    assert isinstance(open_cache(None), SQLiteStore)
    monkeypatch.setenv("NEUROJIT_CACHE", "none")
    assert open_cache(None) is None


def test_file_store_keeps_its_format(tmp_path: Path) -> None:
    store = open_store(f"file:{tmp_path}/c.json")
    assert store is not None
    store.store(_entry(1))
    data = json.loads((tmp_path / "c.json").read_text())
    assert data["version"] == 1
    [item] = data["entries"]
    assert set(item) == {*CacheEntry.__dataclass_fields__, "tag"}  # no new fields


def test_sqlite_roundtrip_lookup_examples_remove(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    store = SQLiteStore(db)
    for i in range(5):
        store.store(_entry(i, "out-of-bounds" if i % 2 else "division-by-zero"))
    store.store(_entry(3))  # same fingerprint and text: replaced, not duplicated
    again = SQLiteStore(db)
    assert len(again.entries()) == 5
    assert [e.repaired for e in again.lookup(_entry(2).fingerprint)] == [_entry(2).repaired]
    ex = again.examples("division-by-zero", limit=2, exclude=_entry(4).fingerprint)
    assert [e.fingerprint for e in ex] == [_entry(3).fingerprint, _entry(2).fingerprint]
    assert again.remove(_entry(2).fingerprint) == 1
    assert again.lookup(_entry(2).fingerprint) == []
    mode = sqlite3.connect(db).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"
    assert again.prune(keep=2) == 2 and len(again.entries()) == 2


def _sqlite_writer(path: str, worker: int, count: int, home: str) -> None:
    import os

    os.environ["NEUROJIT_HOME"] = home
    store = SQLiteStore(path)
    for j in range(count):
        store.store(_entry(worker * 1000 + j))
        store.record_event({"event": "repair", "proposer": "rules", "function": "f"})


def test_sqlite_eight_concurrent_writer_processes_lose_nothing(tmp_path: Path) -> None:
    path, home = str(tmp_path / "c.db"), str(tmp_path / "home")
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_sqlite_writer, args=(path, w, 25, home)) for w in range(8)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    store = SQLiteStore(path)
    assert len(store.entries()) == 8 * 25
    assert store.rejected == {}
    assert len(store.events()) == 8 * 25


def test_sqlite_tampered_and_foreign_records_are_rejected_and_counted(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    SQLiteStore(db).store(_entry(1))
    SQLiteStore(db).store(_entry(2))
    con = sqlite3.connect(db)
    record = json.loads(con.execute("SELECT record FROM entries LIMIT 1").fetchone()[0])
    record["repaired"] = "func.func @f() { // planted\n}"
    con.execute("UPDATE entries SET record = ? WHERE rowid = 1", (json.dumps(record),))
    con.execute("INSERT INTO entries VALUES ('x', 'fp', 'k', 1.0, '{\"fingerprint\": \"fp\"}')")
    con.commit()
    store = SQLiteStore(db)
    assert [e.fingerprint for e in store.entries()] == [_entry(2).fingerprint]
    assert store.rejected["unsigned record"] == 1
    assert sum(n for why, n in store.rejected.items() if "signature" in why) == 1


def test_fleet_key_signs_and_without_it_a_shared_store_is_read_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from neurojit.llm_pass.store import read_record, signed_record

    monkeypatch.setenv("NEUROJIT_FLEET_KEY", KEY)
    text = signed_record(_entry(1), KEY.encode())
    result = read_record(text, KEY.encode())
    assert not isinstance(result, str) and result[0] == _entry(1)
    assert read_record(text, None) == "cannot verify: this process has no fleet key"
    assert "signature" in str(read_record(text, b"z" * 64))
    monkeypatch.setenv("NEUROJIT_FLEET_KEY", "short")
    store = SQLiteStore(tmp_path / "c.db")
    assert store.read_only
    store.store(_entry(1))
    assert "read-only" in capsys.readouterr().err
    monkeypatch.delenv("NEUROJIT_FLEET_KEY")
    key_file = tmp_path / "fleet.key"
    key_file.write_text(KEY)
    key_file.chmod(0o644)
    monkeypatch.setenv("NEUROJIT_FLEET_KEY_FILE", str(key_file))
    assert SQLiteStore(tmp_path / "d.db").read_only  # group-readable key: refused
    key_file.chmod(0o600)
    assert not SQLiteStore(tmp_path / "d.db").read_only


def _cli(*args: str, env_home: Path, stdin: str | None = None) -> subprocess.CompletedProcess:
    import os

    env = dict(os.environ, NEUROJIT_HOME=str(env_home))
    env.pop("NEUROJIT_CACHE", None)
    return subprocess.run(
        [sys.executable, "-m", "neurojit.cli.tool", "cache", *args],
        capture_output=True, text=True, env=env, input=stdin, timeout=120,
    )  # fmt: skip


def test_cli_moves_entries_between_back_ends(tmp_path: Path) -> None:
    home = tmp_path / "home"
    src = StrategyCache(tmp_path / "a.json")
    for i in range(3):
        src.store(_entry(i))
    exported = _cli("--cache", f"file:{tmp_path}/a.json", "export", env_home=home)
    assert exported.returncode == 0, exported.stderr
    assert len(json.loads(exported.stdout)["entries"]) == 3
    db = f"sqlite:///{tmp_path}/b.db"
    imported = _cli("--cache", db, "import", "-", env_home=home, stdin=exported.stdout)
    assert imported.returncode == 0 and "imported 3 entries" in imported.stderr
    listed = _cli("--cache", db, "list", env_home=home)
    assert [line.split()[0] for line in listed.stdout.splitlines()] == [
        _entry(i).fingerprint for i in range(3)
    ]
    shown = _cli("--cache", db, "show", _entry(1).fingerprint, env_home=home)
    assert "// fixed 1" in shown.stdout
    ambiguous = _cli("--cache", db, "show", "0000", env_home=home)
    assert ambiguous.returncode == 2 and "ambiguous" in ambiguous.stderr
    pruned = _cli("--cache", db, "prune", "--keep", "1", env_home=home)
    assert pruned.returncode == 0 and "removed 2" in pruned.stderr
    bad = _cli("--cache", db, "import", str(tmp_path / "a.json.nope"), env_home=home)
    assert bad.returncode == 1 and bad.stderr.count("\n") == 1 and "Traceback" not in bad.stderr
    usage = _cli("--cache", "mongodb://x/1", "list", env_home=home)
    assert usage.returncode == 2 and "unknown strategy store" in usage.stderr


def test_cli_stats_counts_fleet_events(tmp_path: Path) -> None:
    from neurojit.cli.cache import stats

    events = [
        {"event": "fault", "kind": "division-by-zero", "function": "f", "host": "a", "pid": 1},
        {"event": "repair", "proposer": "model", "host": "a", "pid": 1},
        {"event": "reuse", "how": "propagated", "proposer": "model", "saved_seconds": 2.5,
         "host": "b", "pid": 2},
        {"event": "reuse", "how": "preapplied", "proposer": "rules", "saved_seconds": 0.01,
         "host": "c", "pid": 3},
    ]  # fmt: skip
    s = stats(events)
    assert s["faults"] == {"division-by-zero @f": 1} and s["repairs"] == {"model": 1}
    assert s["reuses"] == {"propagated": 1, "preapplied": 1} and s["processes"] == 3
    assert s["model_seconds_saved"] == 2.5
    store = SQLiteStore(tmp_path / "s.db")
    for e in events:
        store.record_event(e)
    out = _cli("--cache", f"sqlite:///{tmp_path}/s.db", "stats", env_home=tmp_path / "home")
    assert out.returncode == 0, out.stderr
    assert "1  division-by-zero @f" in out.stdout and "model time saved: 2.50 s" in out.stdout
