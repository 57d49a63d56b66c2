#!/usr/bin/env python3
"""Benchmark the llama runner: prompt tok/s, generated tok/s with/without the grammar and
with/without prompt lookup, and the repair latency (query -> candidate), per model.

    .venv/bin/python tools/bench/llama_runner.py [--models smollm2-135m gemma3-270m]
        [--reps 3] [--markdown]

Medians over --reps runs. The prompt is a realistic repair prompt (the pass's fixed prefix,
a fault report and a 14-op function), so the answer mostly copies the function: the
"copy-heavy repair" that prompt lookup is meant to speed up.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

from neurojit import models  # noqa: E402
from neurojit.llm_pass import grammar as g  # noqa: E402
from neurojit.llm_pass.runners.llama import LlamaRunner  # noqa: E402
from tools import grammar_testing as gt  # noqa: E402

FUNC = """func.func @burn_rate(%fuel: i64, %mass: i64, %thrust: memref<8xi64>, %t: index) -> i64 {
  %c0 = arith.constant 0 : i64
  %c8 = arith.constant 8 : i64
  %c100 = arith.constant 100 : i64
  %raw = memref.load %thrust[%t] : memref<8xi64>
  %scaled = arith.muli %raw, %c100 : i64
  %units = arith.divsi %fuel, %c8 : i64
  %per_unit = arith.divsi %scaled, %units : i64
  %heavy = arith.cmpi sgt, %mass, %c100 : i64
  %boost = arith.addi %per_unit, %c8 : i64
  %rate = arith.select %heavy, %boost, %per_unit : i64
  %neg = arith.cmpi slt, %rate, %c0 : i64
  %clamped = arith.select %neg, %c0, %rate : i64
  func.return %clamped : i64
}"""


def prompt_text() -> str:
    try:
        from neurojit.llm_pass.prompt import FIXED_PREFIX
    except ImportError:  # the pass's prompt module is not there: a stand-in prefix
        FIXED_PREFIX = "You repair MLIR functions. Answer with one func.func only.\n"
    return (
        f"{FIXED_PREFIX}\nFault in @burn_rate: division-by-zero\n"
        "Message: divisor %units is 0\n"
        "Location: lander.mlir:9:15, at the op: %per_unit = arith.divsi %scaled, %units : i64\n"
        "Operand values: 4200, 0\nFailing call: @burn_rate(5, 120, <memref>, 3)\n"
        f"Faulty function:\n{FUNC}\nRepaired function:\n"
    )


def shape() -> g.FunctionShape:
    from xdsl.parser import Parser

    from neurojit.ir import make_context

    module = Parser(make_context(), FUNC).parse_module()
    return g.shape_of(next(iter(module.ops)), module)


def _median(runs: list[dict[str, Any]], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def bench_model(name: str, reps: int, max_tokens: int, lookup: int) -> dict[str, Any]:
    path = models.resolve_model(name)
    prompt = prompt_text()
    gbnf = g.specialize_gbnf(shape())
    cold = LlamaRunner(str(path), n_ctx=2048, reuse_prefix=False)  # lazy grammar (default)
    stock = LlamaRunner(str(path), n_ctx=2048, reuse_prefix=False, lazy_grammar=False)
    warm = LlamaRunner(str(path), n_ctx=2048)
    drafted = LlamaRunner(str(path), n_ctx=2048, reuse_prefix=False, prompt_lookup=lookup)
    out: dict[str, Any] = {"model": name}
    runs: dict[str, list[dict[str, Any]]] = {}
    texts: dict[str, str] = {}

    def run(label: str, runner: LlamaRunner, grammar: str | None) -> None:
        result = runner.query(prompt, grammar, max_tokens=max_tokens, temperature=0.0, seed=0)
        stats = dict(runner.last_stats, seconds=result.seconds)
        runs.setdefault(label, []).append(stats)
        texts[label] = result.text

    warm.query(prompt, gbnf, max_tokens=1, temperature=0.0, seed=0)  # fill the prefix state
    for _ in range(reps):
        run("plain", cold, None)
        run("grammar", stock, gbnf)
        run("lazy", cold, gbnf)
        run("lookup", drafted, None)
        run("lookup+grammar", drafted, gbnf)
        run("warm+grammar", warm, gbnf)
    first = runs["plain"]
    out["prompt_tokens"] = int(first[0]["prompt_tokens"])
    out["prompt_tok_s"] = out["prompt_tokens"] / _median(first, "prompt_seconds")
    for label, rs in runs.items():
        gen = _median(rs, "generated_tokens")
        out[f"{label}_tokens"] = gen
        out[f"{label}_tok_s"] = statistics.median(
            r["generated_tokens"] / r["generate_seconds"] for r in rs if r["generate_seconds"]
        )
        out[f"{label}_latency"] = _median(rs, "seconds")
    out["warm_reused"] = int(runs["warm+grammar"][0]["reused_tokens"])
    out["lookup_same_text"] = texts["lookup"] == texts["plain"]
    out["lookup_grammar_same_text"] = texts["lookup+grammar"] == texts["grammar"]
    out["grammar_answer_parses"] = gt.xdsl_syntax_error(texts["grammar"]) is None
    out["grammar_overhead"] = 1 - out["grammar_tok_s"] / out["plain_tok_s"]
    out["lazy_overhead"] = 1 - out["lazy_tok_s"] / out["plain_tok_s"]
    out["lazy_same_text"] = texts["lazy"] == texts["grammar"]
    out["lazy_fallbacks"] = int(runs["lazy"][0]["grammar_fallbacks"])
    out["lookup_speedup"] = out["lookup_tok_s"] / out["plain_tok_s"]
    out["lookup_grammar_speedup"] = out["lookup+grammar_tok_s"] / out["grammar_tok_s"]
    return out


def markdown(rows: list[dict[str, Any]], lookup: int) -> str:
    yes = {True: "yes", False: "no"}
    lines = [
        "| model | prompt tok/s | gen tok/s | + grammar, stock | + grammar, lazy "
        f"| lookup({lookup}) | lookup + grammar "
        "| repair latency: stock / lazy / lazy+warm prefix |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['model']} | {r['prompt_tok_s']:.0f} ({r['prompt_tokens']} tok) "
            f"| {r['plain_tok_s']:.1f} "
            f"| {r['grammar_tok_s']:.1f} (overhead {100 * r['grammar_overhead']:.0f}%) "
            f"| {r['lazy_tok_s']:.1f} (overhead {100 * r['lazy_overhead']:.0f}%, "
            f"{r['lazy_fallbacks']} fallbacks / {r['lazy_tokens']:.0f} tok, "
            f"same text: {yes[r['lazy_same_text']]}) "
            f"| {r['lookup_tok_s']:.1f} ({r['lookup_speedup']:.2f}x, "
            f"same text: {yes[r['lookup_same_text']]}) "
            f"| {r['lookup+grammar_tok_s']:.1f} ({r['lookup_grammar_speedup']:.2f}x, "
            f"same text: {yes[r['lookup_grammar_same_text']]}) "
            f"| {r['grammar_latency']:.1f} s / {r['lazy_latency']:.1f} s / "
            f"{r['warm+grammar_latency']:.1f} s ({r['warm_reused']} tok reused) |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="+", default=["smollm2-135m", "gemma3-270m"])
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--max-tokens", type=int, default=160)
    parser.add_argument("--lookup", type=int, default=4, help="prompt-lookup draft length")
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    rows = []
    for name in args.models:
        try:
            rows.append(bench_model(name, args.reps, args.max_tokens, args.lookup))
        except Exception as err:  # noqa: BLE001 - a missing model skips its row
            print(f"{name}: skipped ({err})", file=sys.stderr)
            continue
        if not args.markdown:
            print(rows[-1])
    if args.markdown:
        print(markdown(rows, args.lookup))
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
