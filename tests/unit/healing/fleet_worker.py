"""One process of a fleet test: flies the lander against a shared strategy store.

    python fleet_worker.py ROLE STORE_URL WORKDIR

`repairer`: waits for WORKDIR/go, flies (faults at the top of the hop, repaired by the rules
proposer), then stays until the store has everything it stored (it may have been away).
`follower`: keeps calling @autopilot on inputs that do not fault (calls in flight while a repair
arrives) until a repair has been propagated to it (or 60 s), then flies the whole flight.
Each writes WORKDIR/<role>-<pid>.json: the healing report plus the flight's status.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "examples" / "lander"))

import driver  # noqa: E402

from neurojit.healing import HealingOptions, SelfHealingModule  # noqa: E402


def main() -> int:
    role, url, workdir = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    options = HealingOptions(runner="mock", proposers="rules")
    lander = SelfHealingModule(driver.SOURCE, options=options, cache=url, progress=sys.stderr)
    (workdir / f"ready-{role}-{os.getpid()}").touch()
    calls = 0
    deadline = time.monotonic() + 60
    if role == "repairer":
        while not (workdir / "go").exists() and time.monotonic() < deadline:
            time.sleep(0.01)
    else:
        while not lander.propagated and time.monotonic() < deadline:
            lander.call("autopilot", 100.0, -5.0, 50.0)  # a descent that does not fault
            calls += 1
    flight = driver.fly(lander, None)
    (workdir / f"flown-{role}-{os.getpid()}").touch()
    store = lander._cache
    if role == "repairer" and store is not None:
        # Stored while the server was away? Stay until it is written (the test restarts it).
        while store.describe().get("offline") and time.monotonic() < deadline + 30:
            time.sleep(0.05)
            store.lookup("0")  # an operation: retried every RETRY_SECONDS
    report = {"status": flight.status, "pid": os.getpid(), "calls_before": calls}
    report.update(lander.report())
    (workdir / f"{role}-{os.getpid()}.json").write_text(json.dumps(report, default=str))
    lander.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
