"""Old (whole-function) and new (localized) model repairs side by side, from run.py results.

    .venv/bin/python tools/bench/repair/localized.py A.json B.json ... [--labels a,b,...]

Per configuration: model candidates that parse and verify (rejected at extract, parse,
hole, signature, verify or dominance = not), programs the model alone validated per fault
kind, median tokens per model answer, and median seconds from the fault to the first model
candidate (the first model attempt's time: query plus validation). Rules never count here:
run it on `--config smollm2` results (proposers=model).
"""

from __future__ import annotations

import argparse
import json
import statistics
from collections import defaultdict
from pathlib import Path
from typing import Any

SYNTAX = ("extract:", "parse:", "hole:", "signature:", "verify:", "dominance:")


def summary(path: Path) -> dict[str, Any]:
    data = json.loads(path.read_text())
    answers: list[dict[str, Any]] = []
    first: list[float] = []
    kinds: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    scopes: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    scope_tokens: dict[str, list[int]] = defaultdict(list)
    for result in data["results"]:
        kinds[result["kind"]][1] += 1
        if result.get("validated") and result.get("accepted_source") not in ("rules", ""):
            kinds[result["kind"]][0] += 1
        for repair in result["repairs"]:
            model = [a for a in repair["attempts"] if a["proposer"] == "model"]
            asked = [a for a in model if not a["reason"].startswith("runner ")]
            answers += asked
            if asked:
                first.append(asked[0]["seconds"])
            diag = repair.get("diagnosis", "")
            for a in asked:
                scope = a.get("scope") or _scope_from(diag, a["attempt"])
                scopes[scope][1] += 1
                scopes[scope][0] += a["accepted"]
                scopes[scope][2] += a["accepted"] or not a["reason"].startswith(SYNTAX)
                scope_tokens[scope].append(a["tokens"])
    ok = [a for a in answers if a["accepted"] or not a["reason"].startswith(SYNTAX)]
    return {
        "candidates": len(answers),
        "parse_verify": len(ok),
        "validated": sum(v[0] for v in kinds.values()),
        "programs": sum(v[1] for v in kinds.values()),
        "kinds": dict(kinds),
        "scopes": dict(scopes),
        "scope_tokens": {k: statistics.median(v) for k, v in scope_tokens.items()},
        "median_tokens": statistics.median([a["tokens"] for a in answers]) if answers else 0,
        # The answers that were accepted: a right repair's length, not a wrong one's.
        "median_accepted_tokens": (
            statistics.median([a["tokens"] for a in answers if a["accepted"]])
            if any(a["accepted"] for a in answers)
            else 0
        ),
        "median_first_s": statistics.median(first) if first else 0.0,
    }


def _scope_from(diagnosis: str, attempt: int) -> str:
    """Results written before attempts carried their scope: read it from the diagnosis."""
    marker = f"model #{attempt} ["
    at = diagnosis.find(marker)
    if at < 0:
        return "function"
    return diagnosis[at + len(marker) :].split(" ", 1)[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("results", type=Path, nargs="+", help="run.py results, one a column")
    parser.add_argument("--labels", help="comma list of column names (default the paths)")
    args = parser.parse_args()
    runs = [summary(p) for p in args.results]
    labels = args.labels.split(",") if args.labels else [str(p) for p in args.results]
    print(f"| measure | {' | '.join(labels)} |\n|---|{'---:|' * len(runs)}")

    def row(name: str, cells: list[Any]) -> None:
        print(f"| {name} | {' | '.join(str(c) for c in cells)} |")

    def pct(s: dict[str, Any]) -> str:
        share = 100 * s["parse_verify"] // max(1, s["candidates"])
        return f"{s['parse_verify']}/{s['candidates']} ({share}%)"

    row("model candidates that parse and verify", [pct(s) for s in runs])
    row("model alone validated", [f"{s['validated']}/{s['programs']}" for s in runs])
    for kind in sorted({k for s in runs for k in s["kinds"]}):
        row(f"… {kind}", ["{}/{}".format(*s["kinds"].get(kind, [0, 0])) for s in runs])
    row("median tokens per model answer", [s["median_tokens"] for s in runs])
    row("… of the accepted answers", [s["median_accepted_tokens"] for s in runs])
    row(
        "median s, fault → first model candidate",
        [f"{s['median_first_s']:.1f}" for s in runs],
    )
    for scope in ("operand", "op", "region", "function"):
        cells = [s["scopes"].get(scope, [0, 0, 0]) for s in runs]
        row(f"{scope} attempts: accepted / asked", [f"{c[0]}/{c[1]}" for c in cells])
        row(f"{scope} attempts: parse and verify", [f"{c[2]}/{c[1]}" for c in cells])
        row(
            f"{scope} attempts: median tokens",
            [s["scope_tokens"].get(scope, "—") for s in runs],
        )


if __name__ == "__main__":
    main()
