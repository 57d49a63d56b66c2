"""The redis:// store against a real redis-server on 127.0.0.1: the same interface as the
file, signed records, read-only without the fleet key, local memory while the server is away."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from redis_server import RedisServer, running_redis  # noqa: E402
from store_entries import entry as _entry  # noqa: E402

KEY = "r" * 64


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[RedisServer]:
    monkeypatch.setenv("NEUROJIT_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("NEUROJIT_FLEET_KEY", KEY)
    with running_redis(tmp_path / "redis") as s:
        yield s


def test_the_same_interface_as_the_file(server: RedisServer) -> None:
    from neurojit.llm_pass.store import open_store
    from neurojit.llm_pass.store_redis import RedisStore

    a = open_store(server.url)
    assert isinstance(a, RedisStore) and not a.read_only
    for i in range(4):
        a.store(_entry(i, "out-of-bounds" if i == 3 else "division-by-zero"))
    a.store(_entry(2))  # replaced, not duplicated
    b = RedisStore(server.url)
    assert [e.fingerprint for e in b.entries()] == [_entry(i).fingerprint for i in range(4)]
    assert b.lookup(_entry(1).fingerprint) == [_entry(1)]
    assert b.lookup("nope") == []
    assert [e.fingerprint for e in b.examples("division-by-zero", 2)] == [
        _entry(2).fingerprint,
        _entry(1).fingerprint,
    ]
    assert b.remove(_entry(0).fingerprint) == 1 and a.lookup(_entry(0).fingerprint) == []
    assert b.prune(keep=1) == 2 and len(a.entries()) == 1
    b.record_event({"event": "fault", "kind": "division-by-zero", "function": "f"})
    [event] = a.events()
    assert event["event"] == "fault" and event["function"] == "f"
    assert a.rejected == {} and b.rejected == {}
    a.close()
    b.close()


def test_a_subscriber_gets_other_stores_repairs_but_not_its_own(server: RedisServer) -> None:
    from neurojit.llm_pass.store_redis import RedisStore

    got: list[tuple[str, int]] = []
    a, b = RedisStore(server.url), RedisStore(server.url)
    b.subscribe(lambda entry, origin, published: got.append((entry.fingerprint, origin.pid)))
    b.store(_entry(1))  # b's own: not delivered back to it
    a.store(_entry(2))
    deadline = time.monotonic() + 5
    while not got and time.monotonic() < deadline:
        time.sleep(0.01)
    import os

    assert got == [(_entry(2).fingerprint, os.getpid())]
    a.close()
    b.close()


def test_without_the_fleet_key_the_store_is_read_only(
    server: RedisServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from neurojit.llm_pass.store_redis import RedisStore

    RedisStore(server.url).store(_entry(1))
    monkeypatch.delenv("NEUROJIT_FLEET_KEY")
    keyless = RedisStore(server.url)
    assert keyless.read_only
    keyless.store(_entry(2))
    assert keyless.entries() == []  # nothing it reads can be verified: nothing is trusted
    assert keyless.rejected["cannot verify: this process has no fleet key"] == 1
    assert "read-only" in capsys.readouterr().err
    monkeypatch.setenv("NEUROJIT_FLEET_KEY", KEY)
    assert [e.fingerprint for e in RedisStore(server.url).entries()] == [_entry(1).fingerprint]


def test_server_away_local_memory_one_warning_then_catch_up(
    server: RedisServer, capfd: pytest.CaptureFixture[str]
) -> None:
    import redis

    from neurojit.llm_pass.store_redis import RETRY_SECONDS, RedisStore

    store = RedisStore(server.url)
    store.store(_entry(1))
    server.kill()
    start = time.monotonic()
    assert store.lookup(_entry(1).fingerprint) == [_entry(1)]  # from memory
    store.store(_entry(2))  # queued
    for _ in range(5):
        assert [e.fingerprint for e in store.entries()] == [
            _entry(1).fingerprint,
            _entry(2).fingerprint,
        ]
    assert time.monotonic() - start < 5  # no hang on a dead server
    assert store.describe()["offline"] is True
    server.start()
    time.sleep(RETRY_SECONDS + 0.1)
    assert store.lookup(_entry(2).fingerprint) == [_entry(2)]  # reconnects, writes the queue
    raw = redis.Redis.from_url(server.url).hgetall("neurojit:entries")
    assert len(raw) == 1  # the restarted server is empty but for what we queued
    assert json.loads(next(iter(raw.values())))["fingerprint"] == _entry(2).fingerprint
    err = capfd.readouterr().err
    assert err.count("is unreachable") == 1 and "is back: wrote 1 repair" in err
    assert store.describe()["outages"] == 1
    store.close()


def test_the_redis_package_is_imported_only_for_a_redis_store(tmp_path: Path) -> None:
    code = (
        "import sys; from neurojit.llm_pass.store import open_store; "
        f"open_store('sqlite:///{tmp_path}/x.db').entries(); open_store(None); "
        "import neurojit.healing, neurojit.llm_pass.llm_repair; "
        "print('redis' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={"NEUROJIT_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
        timeout=60,
    )
    assert out.stdout.strip() == "False", out.stderr
