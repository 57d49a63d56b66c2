"""Smallest-edit selection on the model's real answers: replay every accepted model answer
stored in `results/*.json` for a verifier-error program (nothing to replay there, so the
model's and the rules' candidates compete) through `model,rules`, and count how often they
disagree, which one the selection chose, and whether the chosen repair gives the outputs the
program's header declares.

    .venv/bin/python tools/bench/repair/selection.py [--markdown]   # → results/selection.json

The answers are SmolLM2's and Gemma's greedy answers from the measured runs (greedy decoding
gives the same answer to the same prompt), served by the mock runner, so this needs no model.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import run as bench  # noqa: E402


def stored_answers() -> list[tuple[str, str, str]]:
    """(config, program, answer text) of each accepted model answer on a verifier error."""
    out: list[tuple[str, str, str]] = []
    for path in sorted((HERE / "results").glob("*.json")):
        if path.name in ("extras.json", "rules.json"):
            continue
        data = json.loads(path.read_text())
        for result in data.get("results", []):
            if result.get("kind") != "verifier-error":
                continue
            for repair in result.get("repairs", []):
                if repair.get("accepted") and repair.get("source") == "model":
                    out.append((data["config"], result["program"], repair["repaired_text"]))
    return out


def replay(program: bench.Program, answer: str) -> dict[str, Any]:
    """Repair the program at load with `model,rules`, the model answering `answer`."""
    from neurojit.healing import HealingOptions, SelfHealingModule

    with tempfile.TemporaryDirectory() as tmp:
        responses = Path(tmp) / "answer.txt"
        responses.write_text(answer)
        options = HealingOptions(
            runner="mock",
            responses=str(responses),
            proposers="model,rules",
            max_attempts=1,
            cache="none",
            preapply=False,
        )
        module = SelfHealingModule(program.path, options=options, progress=None)
        outputs = [
            bench._plain(module.call(program.entry, *bench.call_args(values)))
            for values in program.calls
        ]
    record = module.repairs[0]  # the load-time repair (a later call may fault again)
    right = program.expect is None or all(
        want is None or bench._same(want, got)
        for want, got in zip(program.expect, outputs, strict=True)
    )
    return {
        "source": record.source,
        "rule": record.rule,
        "selection": record.selection,
        "outputs": outputs,
        "correct": right,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    suite = {p.name: p for p in bench.load_suite()}
    rows = []
    for config, name, answer in stored_answers():
        result = replay(suite[name], answer)
        rows.append((config, name, result))
    disagree = [r for r in rows if r[2]["selection"].startswith("disagree")]
    chosen: dict[str, int] = {}
    for _, _, r in disagree:
        chosen[r["source"]] = chosen.get(r["source"], 0) + 1
    correct = sum(r[2]["correct"] for r in rows)
    (HERE / "results" / "selection.json").write_text(
        json.dumps(
            [{"answers_of": c, "program": n, **r} for c, n, r in rows], indent=1, default=str
        )
        + "\n"
    )
    if args.markdown:
        print("| answers of | program | chosen | correct | selection |")
        print("|---|---|---|---|---|")
        for config, name, r in rows:
            print(
                f"| {config} | {name} | {r['source']} | {'✓' if r['correct'] else '✗'} "
                f"| {r['selection']} |"
            )
        print()
    print(
        f"{len(rows)} stored model answers to verifier errors; model and rules disagreed on "
        f"{len(disagree)} (chosen: {', '.join(f'{k} {v}' for k, v in chosen.items()) or '-'}); "
        f"the chosen repair gives the declared outputs on {correct}/{len(rows)}."
    )


if __name__ == "__main__":
    main()
