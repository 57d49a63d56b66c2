"""Strategy stores side by side: propagation latency, lookup latency, store throughput.

    .venv/bin/python tools/bench/strategy_store.py [--markdown] [--samples N]

Starts its own redis-server on 127.0.0.1 (an ephemeral port; needs the Debian package
redis-server) and works in a temporary NEUROJIT_HOME.

1. Propagation: process A stores the lander's @autopilot repair (found once by the rules
   proposer) in redis://; process B, holding a freshly loaded lander subscribed to the store,
   receives it, re-validates it (stored calls re-run under the guard, capability policy),
   compiles and hot-swaps it. Time from just before A's `store()` to B's slot store, both on
   this machine's clock. B loads a new module for each sample (pre-apply off, so it is the
   live path that installs it). Goal: <= 100 ms.
2. Lookup: `lookup(fingerprint)` on a store of 500 entries, each back end, against the JSON
   file (the default), median of 300 lookups.
3. Store throughput: 8 writer processes, 100 entries each, into an empty store; wall time.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LANDER = ROOT / "examples" / "lander" / "lander.mlir"
sys.path.insert(0, str(ROOT / "tests" / "unit" / "llm_pass"))

B_SCRIPT = """
import sys, time
from pathlib import Path
from neurojit.healing import HealingOptions, SelfHealingModule
url, samples = sys.argv[1], int(sys.argv[2])
opts = HealingOptions(runner="mock", proposers="rules", preapply=False)
for i in range(samples):
    m = SelfHealingModule(Path(sys.argv[3]), options=opts, cache=url, progress=None)
    print("ready", flush=True)
    deadline = time.monotonic() + 10
    while not m.propagated and time.monotonic() < deadline:
        time.sleep(0.0005)
    swapped = time.time()
    p = m.propagated[0] if m.propagated else None
    print("swapped", swapped, p["seconds"] if p else -1, flush=True)
    m.close()
"""


def _entry_for_lander(url: str) -> object:
    """The real repair: fault @autopilot once in this process and take what was stored."""
    from neurojit.healing import HealingOptions, SelfHealingModule
    from neurojit.llm_pass.store import open_store

    m = SelfHealingModule(
        LANDER, options=HealingOptions(runner="mock", proposers="rules"), cache=url, progress=None
    )
    m.autopilot(100.0, -5.0, 50.0)
    m.autopilot(100.0, -0.5, 50.0)  # faults, repaired, stored
    m.close()
    store = open_store(url)
    assert store is not None
    [entry] = store.entries()
    store.close()
    return entry


def propagation(url: str, samples: int) -> tuple[list[float], list[float]]:
    from dataclasses import replace

    from neurojit.llm_pass.store import open_store

    entry = _entry_for_lander(url)
    store = open_store(url)
    assert store is not None
    b = subprocess.Popen(
        [sys.executable, "-c", B_SCRIPT, url, str(samples), str(LANDER)],
        stdout=subprocess.PIPE,
        text=True,
        env=os.environ,
    )
    assert b.stdout is not None
    totals, in_b = [], []
    for _ in range(samples):
        assert b.stdout.readline().strip() == "ready"
        time.sleep(0.3)  # B is a process that has been running a while (its IR parsed ahead)
        start = time.time()
        store.store(replace(entry, timestamp=time.time()))  # type: ignore[type-var]
        _, swapped, seconds = b.stdout.readline().split()
        totals.append(float(swapped) - start)
        in_b.append(float(seconds))
    b.wait(30)
    store.close()
    return totals, in_b


def _entry(i: int) -> object:
    from neurojit.llm_pass.cache import CacheEntry

    return CacheEntry(
        fingerprint=f"{i:016x}",
        kind="division-by-zero",
        function="f",
        original="func.func @f(%a: i64) -> i64 {\n  return %a : i64\n}\n" * 8,
        repaired="func.func @f(%a: i64) -> i64 {\n  return %a : i64\n}\n" * 8,
        proposer="rules",
        timestamp=1000.0 + i,
        calls=[{"inputs": [i], "output": i}],
    )


def lookup_latency(url: str, entries: int = 500, lookups: int = 300) -> float:
    from neurojit.llm_pass.store import open_store

    store = open_store(url)
    assert store is not None
    if isinstance(store.__class__.__name__, str) and store.__class__.__name__ == "StrategyCache":
        from neurojit.llm_pass.cache import StrategyCache

        assert isinstance(store, StrategyCache)
        store._write_unlocked(list(map(_entry, range(entries))))  # type: ignore[arg-type]
    else:
        for i in range(entries):
            store.store(_entry(i))  # type: ignore[arg-type]
    times = []
    for i in range(lookups):
        fp = f"{(i * 7) % entries:016x}"
        t = time.perf_counter()
        found = store.lookup(fp)
        times.append(time.perf_counter() - t)
        assert len(found) == 1
    store.close()
    return statistics.median(times)


def _writer(url: str, worker: int, count: int) -> None:
    from neurojit.llm_pass.store import open_store

    store = open_store(url)
    assert store is not None
    for j in range(count):
        store.store(_entry(worker * 10_000 + j))  # type: ignore[arg-type]
    store.close()


def throughput(url: str, writers: int = 8, count: int = 100) -> tuple[float, int]:
    from neurojit.llm_pass.store import open_store

    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_writer, args=(url, w, count)) for w in range(writers)]
    start = time.perf_counter()
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    seconds = time.perf_counter() - start
    store = open_store(url)
    assert store is not None
    kept = len(store.entries())
    store.close()
    return seconds, kept


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=10)
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("--propagation-only", action="store_true")
    args = parser.parse_args()
    from redis_server import RedisServer, redis_binary

    binary = redis_binary()
    if binary is None:
        print("needs redis-server (apt-get install redis-server)", file=sys.stderr)
        return 1
    tmp = Path(tempfile.mkdtemp(prefix="nj-store-bench-"))
    os.environ["NEUROJIT_HOME"] = str(tmp / "home")
    os.environ["NEUROJIT_FLEET_KEY"] = "b" * 64
    os.environ.pop("NEUROJIT_CACHE", None)
    servers = []

    def redis_url(name: str) -> str:
        server = RedisServer(binary, tmp / name)
        server.start()
        servers.append(server)
        return server.url

    try:
        totals, in_b = propagation(redis_url("prop"), args.samples)
        if args.propagation_only:
            print(f"propagation: {[round(t * 1e3, 1) for t in totals]} ms; in B "
                  f"{[round(t * 1e3, 1) for t in in_b]} ms")  # fmt: skip
            return 0
        lookups = {
            "file (JSON, default)": lookup_latency(f"file:{tmp}/lookup.json"),
            "sqlite (WAL)": lookup_latency(f"sqlite:///{tmp}/lookup.db"),
            "redis (loopback)": lookup_latency(redis_url("lookup")),
        }
        writes = {
            "file (JSON, default)": throughput(f"file:{tmp}/tp.json"),
            "sqlite (WAL)": throughput(f"sqlite:///{tmp}/tp.db"),
            "redis (loopback)": throughput(redis_url("tp")),
        }
    finally:
        for server in servers:
            server.stop()
    ms = 1e3
    print("## Strategy store (file, sqlite, redis)\n" if args.markdown else "", end="")
    print(
        f"propagation A store -> B swapped, redis loopback, {len(totals)} samples: "
        f"median {statistics.median(totals) * ms:.1f} ms, max {max(totals) * ms:.1f} ms "
        f"(of which re-validation + compile + swap in B: median "
        f"{statistics.median(in_b) * ms:.1f} ms); goal <= 100 ms"
    )
    base = lookups["file (JSON, default)"]
    print("\n| back end | lookup, 500 entries (median) | vs JSON file |")
    print("|---|---|---|")
    for name, t in lookups.items():
        print(f"| {name} | {t * 1e6:.0f} µs | {t / base:.3f}x |")
    print("\n| back end | 8 writers x 100 entries | entries/s | entries kept |")
    print("|---|---|---|---|")
    for name, (seconds, kept) in writes.items():
        print(f"| {name} | {seconds:.2f} s | {800 / seconds:.0f} | {kept}/800 |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
