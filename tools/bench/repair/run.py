"""The repair benchmark: faulty MLIR programs × repair configurations.

    .venv/bin/python tools/bench/repair/run.py --config rules [--programs 01,06] [--out DIR]
    .venv/bin/python tools/bench/repair/run.py --config smollm2 --max-tokens 384
    .venv/bin/python tools/bench/repair/run.py --extras      # second run + cache-hit latency
    .venv/bin/python tools/bench/repair/report.py             # table + plot from the JSON

Each program in `programs/` declares its fault kind, entry function and the calls to replay
(`// CALLS: [[args...], ...]`, JSON; a list argument becomes a numpy array). The calls go
through `SelfHealingModule` with the cache off and pre-apply off, so every fault is met in the
run; the good calls before the faulting one are the recorded inputs the validator replays.
Verifier-error programs are repaired at load, before the first call, and declare what each
call is meant to return (`// EXPECT: [...]`, JSON, null = any). Results are written to
`results/<config>.json` after every program, so a run cut short still gives a table.

`validated` = every fault was repaired and every call completed. `correct` = validated, and
the repair is right: the good calls (those that returned before the first fault) give their
original results and array contents again when replayed on the repaired module, and the
calls give the outputs the header expects.
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import json
import re
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
PROGRAMS = HERE / "programs"
RESULTS = HERE / "results"

# name -> (runner, model file under models/ or None, proposers, hints)
CONFIGS: dict[str, tuple[str, str | None, str, str]] = {
    "rules": ("mock", None, "rules", "none"),
    "smollm2": ("llama", "SmolLM2-135M-Instruct.Q4_1.gguf", "model", "none"),
    "gemma3": ("llama", "gemma-3-270m-q4_k_m.gguf", "model", "none"),
    "smollm2+hints": ("llama", "SmolLM2-135M-Instruct.Q4_1.gguf", "model", "rules"),
    "smollm2,rules": ("llama", "SmolLM2-135M-Instruct.Q4_1.gguf", "model,rules", "none"),
}
# Localized repair (issue 13) variants of a configuration: (base, localize, retry).
VARIANTS: dict[str, tuple[str, bool, str]] = {
    "smollm2-whole": ("smollm2", False, "greedy"),  # whole function, greedy: as before
    "smollm2-sample": ("smollm2", True, "sample"),
    "smollm2-examples": ("smollm2", True, "examples"),
}
for _name, (_base, _, _) in VARIANTS.items():
    CONFIGS[_name] = CONFIGS[_base]


@dataclasses.dataclass
class Program:
    name: str
    path: Path
    kind: str
    entry: str
    calls: list[list[Any]]
    expect: list[Any] | None = None  # intended output of each call (None = any)


def load_program(path: Path) -> Program:
    """Read the `// KIND:`, `// ENTRY:`, `// CALLS:` (and `// EXPECT:`) header."""
    header: dict[str, str] = {}
    for line in path.read_text().splitlines():
        if m := re.match(r"//\s*(KIND|ENTRY|CALLS|EXPECT):\s*(.*)$", line):
            header[m.group(1)] = m.group(2).strip()
    expect = json.loads(header["EXPECT"]) if "EXPECT" in header else None
    return Program(
        path.stem,
        path,
        header["KIND"],
        header["ENTRY"],
        json.loads(header["CALLS"]),
        expect,
    )


def load_suite(only: list[str] | None = None) -> list[Program]:
    programs = [load_program(p) for p in sorted(PROGRAMS.glob("*.mlir"))]
    if only:
        programs = [p for p in programs if any(p.name.startswith(o) for o in only)]
    return programs


def call_args(values: list[Any]) -> list[Any]:
    """JSON call arguments → Python values; a list becomes a fresh numpy array (f64 if any
    element is a float, else i64), so every replay starts from the declared contents."""
    out: list[Any] = []
    for v in values:
        if isinstance(v, list):
            floating = any(isinstance(x, float) for x in v)
            out.append(np.array(v, dtype=np.float64 if floating else np.int64))
        else:
            out.append(v)
    return out


def _bench_repair_options(max_tokens: int, config: str = "", prompt_log: str | None = None) -> None:
    """`HealingOptions` has no max-tokens knob: give the pass's options a smaller default
    for this process, so a model that rambles costs ~400 tokens per attempt, not 768.
    (Also how a variant sets `localize` and `retry`.)"""
    from neurojit.llm_pass import llm_repair

    base = llm_repair.RepairOptions
    tokens, log = max_tokens, prompt_log
    if getattr(base, "_bench", False):
        return
    _, localized, retries = VARIANTS.get(config, ("", True, "escalate"))

    @dataclasses.dataclass
    class BenchRepairOptions(base):  # type: ignore[valid-type,misc]
        max_tokens: int = tokens
        localize: bool = localized
        retry: str = retries
        prompt_log: str | None = log
        _bench = True

    llm_repair.RepairOptions = BenchRepairOptions  # type: ignore[misc]


def run_program(
    program: Program,
    config: str,
    *,
    cache: str = "none",
    preapply: bool = False,
    timeout: float = 1.0,
    log: io.TextIOBase | None = None,
) -> dict[str, Any]:
    """Replay the program's calls under one configuration; what was faulted and repaired."""
    from neurojit.errors import NeuroJITError
    from neurojit.healing import HealingOptions, SelfHealingModule, Unrepaired

    class Tracked(SelfHealingModule):
        """Keeps a handle on the instance whose load-time (verifier-error) repair failed:
        the constructor raises then, and the records would go with it."""

        def _repair_unverified(self, error: NeuroJITError) -> str | None:
            nonlocal module
            module = self
            return super()._repair_unverified(error)

    runner, model, proposers, hints = CONFIGS[config]
    options = HealingOptions(
        runner=runner,
        model=str(ROOT / "models" / model) if model else None,
        max_attempts=3,
        proposers=proposers,
        hints=hints,
        cache=cache,
        preapply=preapply,
        query_timeout=120.0,
    )
    progress = log if log is not None else io.StringIO()
    start = time.perf_counter()
    result: dict[str, Any] = {"program": program.name, "kind": program.kind, "config": config}
    module: Any = None
    outputs: list[Any] = []
    good: list[tuple[list[Any], Any, list[Any]]] = []  # calls that returned before any fault
    error = ""
    try:
        module = Tracked(program.path, options=options, timeout=timeout, progress=progress)
        for values in program.calls:
            args = call_args(values)
            out = module.call(program.entry, *args)
            outputs.append(_plain(out))
            if not module.faults:
                good.append((values, _plain(out), [_plain(a) for a in args]))
    except Unrepaired as err:
        error = str(err)
    except NeuroJITError as err:  # a verifier error nothing repaired: load fails
        error = str(err)
    result["seconds"] = time.perf_counter() - start
    result["completed"] = not error and len(outputs) == len(program.calls)
    result["outputs"] = outputs
    result["error"] = error
    result.update(judge(program, module, outputs, good, result["completed"]))
    if module is not None:
        report = module.report()
        result.update(faults=report["faults"], repairs=report["repairs"])
        result["queries"] = report["queries"]
        result["preapplied"] = report["preapplied"]
    else:
        # Load failed: the healing module is gone with its records; keep what it said.
        result.update(faults=[], repairs=[], preapplied=[], queries=0)
        result["log_tail"] = (
            progress.getvalue()[-2000:] if isinstance(progress, io.StringIO) else ""
        )
    result.update(summarise(result))
    return result


def _plain(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


def _same(a: Any, b: Any) -> bool:
    """Outputs agree (floats to 1e-9 relative, element-wise in lists)."""
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) or isinstance(b, float):
        try:
            return abs(float(a) - float(b)) <= 1e-9 * max(1.0, abs(float(a)))
        except (TypeError, ValueError):
            return False
    return bool(a == b)


def judge(
    program: Program,
    module: Any,
    outputs: list[Any],
    good: list[tuple[list[Any], Any, list[Any]]],
    completed: bool,
) -> dict[str, Any]:
    """Is the repaired program right? Replay the good calls on it (results and the arrays
    they leave must equal the first time's) and compare with the declared outputs."""
    changed: list[str] = []
    if completed and module is not None:
        for values, before, arrays_before in good:
            args = call_args(values)
            try:
                after = _plain(module.call(program.entry, *args))
            except Exception as err:  # noqa: BLE001 - a replay that faults is a changed result
                changed.append(f"{values}: {type(err).__name__}")
                continue
            if not _same(before, after) or not _same(arrays_before, [_plain(a) for a in args]):
                changed.append(f"{values}: {before} -> {after}")
    wrong: list[str] = []
    if program.expect is not None:
        for i, want in enumerate(program.expect):
            got = outputs[i] if i < len(outputs) else None
            if want is not None and (i >= len(outputs) or not _same(want, got)):
                wrong.append(f"call {i + 1}: {got} (expected {want})")
    return {
        "good_calls": len(good),
        "changed_recorded": changed,
        "wrong_expected": wrong,
        "correct": completed and not changed and not wrong,
    }


def summarise(result: dict[str, Any]) -> dict[str, Any]:
    """success@1/@3 over the first repair's candidates in proposal order, rejection reasons,
    seconds to the first accepted candidate, and how many model candidates parsed."""
    repairs = result["repairs"]
    candidates = [a for r in repairs[:1] for a in r["attempts"]]
    accepted_at = next((i + 1 for i, a in enumerate(candidates) if a["accepted"]), None)
    first = repairs[0] if repairs else None
    model = [a for r in repairs for a in r["attempts"] if a["proposer"] == "model"]
    asked = [a for a in model if not a["reason"].startswith(("runner failed", "runner unavail"))]
    parsed = [a for a in asked if not a["reason"].startswith(("extract:", "parse:"))]
    elapsed = 0.0
    for a in candidates[: accepted_at or 0]:
        elapsed += a["seconds"]
    accepted = [r for r in repairs if r["accepted"]]
    return {
        "validated": bool(first and first["accepted"] and result["completed"]),
        "evidence": [r.get("evidence", "") for r in accepted],
        "links": max((len(r.get("links") or []) for r in accepted), default=0),
        "selections": [r.get("selection", "") for r in accepted if r.get("selection")],
        "success_at_1": accepted_at == 1 and result["completed"],
        "success_at_3": accepted_at is not None and accepted_at <= 3 and result["completed"],
        "accepted_source": first["source"] if first and first["accepted"] else "",
        "accepted_attempt": accepted_at,
        "seconds_to_accept": elapsed if accepted_at else None,
        "reasons": [a["reason"] for a in candidates if not a["accepted"]],
        "model_candidates": len(asked),
        "model_parsed": len(parsed),
    }


def run_config(
    config: str, programs: list[Program], out: Path, max_tokens: int, prompt_log: str | None
) -> None:
    _bench_repair_options(max_tokens, config, prompt_log)
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{config}.json"
    data: dict[str, Any] = {"config": config, "max_tokens": max_tokens, "results": []}
    if path.exists():  # resume: keep what an earlier (cut) run already measured
        data = json.loads(path.read_text())
    done = {r["program"] for r in data["results"]}
    log = (out / f"{config}.log").open("a")
    for program in programs:
        if program.name in done:
            continue
        print(f"[{config}] {program.name} ...", file=log, flush=True)
        result = run_program(program, config, log=log)
        data["results"].append(result)
        path.write_text(json.dumps(data, indent=1, default=str))
        print(
            f"{config:14} {program.name:32} validated={result['validated']} "
            f"correct={result['correct']} "
            f"s@1={result['success_at_1']} s@3={result['success_at_3']} "
            f"({result['seconds']:.1f} s)",
            flush=True,
        )


def run_extras(programs: list[Program], out: Path, runs: int) -> None:
    """Second run with a cache (zero faults expected) and cache-hit fault→resumed latency."""
    import tempfile

    sys.path.insert(0, str(ROOT / "tools" / "bench"))
    import healing_latency  # noqa: PLC0415 - the sibling benchmark, reused as is

    extras: dict[str, Any] = {"second_run": [], "cache_hit_ms": None}
    with tempfile.TemporaryDirectory() as tmp:
        for program in programs:
            cache = str(Path(tmp) / f"{program.name}.json")
            first = run_program(program, "rules", cache=cache, preapply=True)
            second = run_program(program, "rules", cache=cache, preapply=True)
            extras["second_run"].append(
                {
                    "program": program.name,
                    "first_faults": len(first["faults"]),
                    "first_validated": first["validated"],
                    "second_faults": len(second["faults"]),
                    "second_completed": second["completed"],
                    "second_outputs_equal": second["outputs"] == first["outputs"],
                    "second_sources": [r["source"] for r in second["repairs"]],
                    "second_queries": second["queries"],
                }
            )
        cache_path = Path(tmp) / "lander.json"
        healing_latency.one(cache_path, preapply=False)  # fills the cache (and warms up)
        hits = [healing_latency.one(cache_path, preapply=False)[3] for _ in range(runs)]
        hits.sort()
        extras["cache_hit_ms"] = hits[len(hits) // 2] * 1e3
        extras["cache_hit_runs_ms"] = [h * 1e3 for h in hits]
    out.mkdir(parents=True, exist_ok=True)
    (out / "extras.json").write_text(json.dumps(extras, indent=1))
    print(json.dumps(extras, indent=1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", choices=sorted(CONFIGS), action="append", default=[])
    parser.add_argument("--programs", help="comma list of program name prefixes (default all)")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--max-tokens", type=int, default=400)
    parser.add_argument("--extras", action="store_true", help="second run + cache-hit latency")
    parser.add_argument("--runs", type=int, default=7, help="cache-hit latency repetitions")
    parser.add_argument("--prompt-log", help="append every model prompt to this file")
    args = parser.parse_args()
    only = args.programs.split(",") if args.programs else None
    programs = load_suite(only)
    for config in args.config:
        run_config(config, programs, args.out, args.max_tokens, args.prompt_log)
    if args.extras:
        run_extras(programs, args.out, args.runs)


if __name__ == "__main__":
    main()
