"""A repair learned once protects every process: the redis:// store with a real redis-server
on 127.0.0.1 (ephemeral port), lander processes sharing it, live propagation, poisoned
entries, and the server going away mid-run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "llm_pass"))
from redis_server import RedisServer, require_redis, running_redis  # noqa: E402

WORKER = Path(__file__).with_name("fleet_worker.py")
ROOT = Path(__file__).resolve().parents[3]
LANDER = ROOT / "examples" / "lander" / "lander.mlir"
KEY = "f" * 64


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    with running_redis(tmp_path / "redis") as server:
        yield server


def _env(home: Path) -> dict[str, str]:
    env = dict(os.environ, NEUROJIT_HOME=str(home), NEUROJIT_FLEET_KEY=KEY)
    env.pop("NEUROJIT_CACHE", None)
    return env


def _spawn(role: str, url: str, workdir: Path, home: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(WORKER), role, url, str(workdir)],
        env=_env(home),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_files(workdir: Path, pattern: str, count: int, procs: list, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while len(list(workdir.glob(pattern))) < count:
        for p in procs:
            if p.poll() is not None and p.returncode != 0:
                raise AssertionError(f"worker died: {p.communicate()[1][-3000:]}")
        assert time.monotonic() < deadline, f"timed out waiting for {count} x {pattern}"
        time.sleep(0.05)


def _finish(procs: list[subprocess.Popen[str]]) -> list[str]:
    errs = []
    for p in procs:
        _, err = p.communicate(timeout=180)
        assert p.returncode == 0, err[-3000:]
        errs.append(err)
    return errs


def _reports(workdir: Path, role: str) -> list[dict]:
    return [json.loads(p.read_text()) for p in sorted(workdir.glob(f"{role}-*.json"))]


def test_four_landers_one_repairs_three_receive_it_live(
    tmp_path: Path, redis_server: RedisServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    # Separate homes: no process can learn the repair from a local file, only from Redis.
    procs = [_spawn("follower", redis_server.url, work, tmp_path / f"h{i}") for i in range(3)]
    procs.append(_spawn("repairer", redis_server.url, work, tmp_path / "h3"))
    _wait_files(work, "ready-*", 4, procs)
    (work / "go").touch()
    errs = _finish(procs)
    [repairer] = _reports(work, "repairer")
    followers = _reports(work, "follower")
    assert repairer["status"] == "landed"
    [fault] = repairer["faults"]
    assert fault["function"] == "autopilot" and fault["kind"] == "division-by-zero"
    [repair] = repairer["repairs"]
    assert repair["accepted"] and repair["source"] == "rules"
    assert len(followers) == 3
    for report, err in zip(followers, errs[:3], strict=True):
        assert report["status"] == "landed", err[-2000:]
        assert report["faults"] == [] and report["repairs"] == [], err[-2000:]
        [got] = report["propagated"]
        assert got["function"] == "autopilot" and got["source"] == "propagated"
        assert got["origin"]["pid"] == repairer["pid"]
        assert got["evidence"].startswith("replayed")
        # It arrived while the follower was calling @autopilot (calls in flight).
        assert report["calls_before"] > 0
        assert report["store"]["rejected"] == 0
    # A process that starts later pre-applies it at load, as from the file.
    monkeypatch.setenv("NEUROJIT_HOME", str(tmp_path / "h4"))
    monkeypatch.setenv("NEUROJIT_FLEET_KEY", KEY)
    from neurojit.healing import HealingOptions, SelfHealingModule

    with SelfHealingModule(
        LANDER, options=HealingOptions(runner="none"), progress=None
    ) as no_store:
        assert no_store.preapplied == []  # its own (empty) file: nothing
    options = HealingOptions(runner="mock", proposers="rules")
    with SelfHealingModule(LANDER, options=options, cache=redis_server.url, progress=None) as late:
        [pre] = late.preapplied
        assert pre["function"] == "autopilot"
        late.autopilot(100.0, -0.5, 50.0)  # the input that faulted in the repairer
        assert late.faults == []
    # Faults as data: the fleet's events, counted by `neurojit cache stats`.
    stats = subprocess.run(
        [sys.executable, "-m", "neurojit.cli.tool", "cache", "--cache", redis_server.url, "stats"],
        capture_output=True, text=True, env=_env(tmp_path / "h5"), timeout=60,
    )  # fmt: skip
    assert stats.returncode == 0, stats.stderr
    lines = [line.split() for line in stats.stdout.splitlines()]
    assert ["1", "division-by-zero", "@autopilot"] in lines
    assert ["1", "rules"] in lines  # repairs by proposer
    assert ["3", "propagated"] in lines and ["1", "preapplied"] in lines
    assert "from 5 process(es)" in stats.stdout


def _sign(entry: dict, key: bytes) -> str:
    from neurojit.llm_pass.cache_integrity import tag

    data = dict(entry, origin={"host": "attacker", "pid": 1})
    data["tag"] = tag(key, data)
    return json.dumps(data)


def _inject(client, eid: str, record: str, fingerprint: str) -> None:
    client.hset("neurojit:entries", eid, record)
    client.sadd(f"neurojit:fp:{fingerprint}", eid)
    message = {"id": eid, "record": record, "token": "x", "published": time.time()}
    client.publish("neurojit:repairs", json.dumps(message))


def test_poisoned_and_unsigned_entries_are_never_applied_and_are_counted(
    tmp_path: Path, redis_server: RedisServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    import redis

    from neurojit.healing import HealingOptions, SelfHealingModule, Unrepaired
    from neurojit.llm_pass.fingerprint import fingerprint

    monkeypatch.setenv("NEUROJIT_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("NEUROJIT_FLEET_KEY", KEY)
    options = HealingOptions(runner="none")  # a fault stays a fault: nothing heals locally
    victim = SelfHealingModule(LANDER, options=HealingOptions(runner="mock", proposers="rules"),
                               cache=redis_server.url, progress=None)  # fmt: skip
    func = victim._function("autopilot")
    fp = fingerprint(func, "division-by-zero")
    original = LANDER.read_text()
    start = original.index("func.func @autopilot")
    original_func = original[start : original.index("\n}\n", start) + 3]
    # A "repair" that returns full throttle: well-formed, policy-clean, and wrong.
    wrong = original_func.replace("return %throttle : f64", "%full = arith.constant 1.0 : f64\n"
                                  "  return %full : f64")  # fmt: skip
    good_out = victim.autopilot(100.0, -5.0, 50.0)
    entry = {
        "fingerprint": fp, "kind": "division-by-zero", "function": "autopilot",
        "original": original_func, "repaired": wrong, "proposer": "model", "model": "evil",
        "attempts": 1, "seconds": 1.0, "timestamp": time.time(),
        "calls": [{"inputs": [100.0, -5.0, 50.0], "output": good_out}],
    }  # fmt: skip
    client = redis.Redis.from_url(redis_server.url)
    unsigned = json.dumps(dict(entry, origin={"host": "attacker", "pid": 1}))
    _inject(client, "a" * 32, unsigned, fp)
    _inject(client, "b" * 32, _sign(entry, b"x" * 64), fp)  # another key
    tampered = json.loads(_sign(entry, KEY.encode()))
    tampered["model"] = "edited"
    _inject(client, "c" * 32, json.dumps(tampered), fp)
    # Signed with the fleet key (a compromised holder), and wrong: validation stops it.
    _inject(client, "d" * 32, _sign(entry, KEY.encode()), fp)
    deadline = time.monotonic() + 10
    while victim.report()["store"]["rejected"] < 4 and time.monotonic() < deadline:
        time.sleep(0.05)
    report = victim.report()
    assert report["propagated"] == []
    store = report["store"]
    assert store["rejected"] == 4, store
    assert store["rejections"].get("unsigned record") == 1
    assert sum(n for why, n in store["rejections"].items() if "signature" in why) == 2
    assert sum(n for why, n in store["rejections"].items() if "failed validation" in why) == 1
    # Nothing was swapped: the function is still the one that faults.
    assert fingerprint(victim._function("autopilot"), "division-by-zero") == fp
    version = victim.compiled.functions["autopilot"].version
    victim.close()
    later = SelfHealingModule(LANDER, options=HealingOptions(runner="mock", proposers="rules"),
                              cache=redis_server.url, progress=None)  # fmt: skip
    assert later.preapplied == []  # pre-apply at load refused them too
    assert later.report()["store"]["rejected"] >= 4
    assert later.compiled.functions["autopilot"].version == version
    later.close()
    plain = SelfHealingModule(LANDER, options=options, progress=None)
    with pytest.raises(Unrepaired):  # the input that faults, for the record
        plain.autopilot(100.0, -0.5, 50.0)


def test_redis_goes_away_mid_run_and_processes_catch_up(tmp_path: Path) -> None:
    server = RedisServer(require_redis(), tmp_path / "redis")
    server.start()
    work = tmp_path / "work"
    work.mkdir()
    try:
        follower = _spawn("follower", server.url, work, tmp_path / "h0")
        repairer = _spawn("repairer", server.url, work, tmp_path / "h1")
        procs = [follower, repairer]
        _wait_files(work, "ready-*", 2, procs)
        server.kill()
        (work / "go").touch()
        # The repairer faults and repairs with the server away, and flies on.
        _wait_files(work, "flown-repairer-*", 1, procs)
        time.sleep(0.5)  # the follower keeps calling meanwhile
        assert follower.poll() is None
        server.start()  # same port, empty: the repairer's queued write must arrive
        errs = _finish(procs)
    finally:
        server.stop()
    [rep] = _reports(work, "repairer")
    [fol] = _reports(work, "follower")
    assert rep["status"] == "landed" and len(rep["repairs"]) == 1
    assert rep["store"]["outages"] == 1 and rep["store"]["caught_up"] == 1
    assert fol["status"] == "landed" and fol["faults"] == []
    [got] = fol["propagated"]
    assert got["origin"]["pid"] == rep["pid"]
    for err in errs:
        assert err.count("is unreachable") == 1, err[-3000:]  # warned once
    assert "is back: wrote 1 repair" in errs[1]


def test_sqlite_store_serves_healing_and_counts_reuse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from neurojit.cli.cache import stats
    from neurojit.healing import HealingOptions, SelfHealingModule
    from neurojit.llm_pass.store import open_store

    monkeypatch.setenv("NEUROJIT_HOME", str(tmp_path / "home"))
    url = f"sqlite:///{tmp_path}/fleet.db"
    rules = HealingOptions(runner="mock", proposers="rules", cache=url)
    with SelfHealingModule(LANDER, options=rules, progress=None) as first:
        first.autopilot(100.0, -5.0, 50.0)
        first.autopilot(100.0, -0.5, 50.0)
        [repair] = first.repairs
        assert repair.source == "rules"
    at_fault = HealingOptions(runner="mock", proposers="model", cache=url, preapply=False)
    with SelfHealingModule(LANDER, options=at_fault, progress=None) as second:
        second.autopilot(100.0, -0.5, 50.0)
        [hit] = second.repairs
        assert hit.source == "cache" and second.queries == 0
    with SelfHealingModule(LANDER, options=rules, progress=None) as third:
        assert [p["function"] for p in third.preapplied] == ["autopilot"]
    store = open_store(url)
    assert store is not None
    s = stats(store.events())
    assert s["faults"] == {"division-by-zero @autopilot": 2}
    assert s["repairs"] == {"rules": 1, "cache": 1}
    assert s["reuses"] == {"cache": 1, "preapplied": 1}
    [entry] = store.entries()  # its seconds: what finding the repair cost the first process
    assert entry.seconds > 0
    assert s["repair_seconds_saved"] == pytest.approx(2 * entry.seconds, rel=0.01)
    assert not (tmp_path / "home" / "cache.json").exists()  # the file was never the store
