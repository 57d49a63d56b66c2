#!/usr/bin/env python3
"""Where do grammar-constrained answers fail validation, typed vs untyped grammar?

    .venv/bin/python tools/bench/grammar_validity.py [model] [--samples 10] [--max-tokens 300]

Samples the llama runner at temperature 0.8 on the benchmark's repair prompt, under the
untyped and the typed specialised grammar, and counts each answer's validation outcome
(static validation: parse, verify, signature, policy, dominance).
"""

from __future__ import annotations

import argparse
import collections
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from llama_runner import FUNC, prompt_text  # noqa: E402

from neurojit import models  # noqa: E402
from neurojit.llm_pass import grammar as g  # noqa: E402
from neurojit.llm_pass.runners.llama import LlamaRunner  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", nargs="?", default="smollm2-135m")
    parser.add_argument("--samples", type=int, default=10)
    parser.add_argument("--max-tokens", type=int, default=300)
    args = parser.parse_args()
    from xdsl.parser import Parser

    from neurojit.ir import make_context
    from neurojit.llm_pass.validate import Rejection, validate_candidate

    module = Parser(make_context(), FUNC).parse_module()
    func = next(iter(module.ops))
    shape = g.shape_of(func, module)
    runner = LlamaRunner(str(models.resolve_model(args.model)), n_ctx=2048)
    for typed in (False, True):
        gbnf = g.specialize_gbnf(shape, typed=typed)
        outcome: collections.Counter[str] = collections.Counter()
        for seed in range(args.samples):
            result = runner.query(
                prompt_text(), gbnf, max_tokens=args.max_tokens, temperature=0.8, seed=seed
            )
            if runner.last_stats["finish_reason"] != "stop":
                outcome["cut at max_tokens"] += 1
                continue
            try:
                validate_candidate(result.text, func, module)
                outcome["accepted"] += 1
            except Rejection as rej:
                reason = str(rej)
                kind = (
                    "type mix-up"
                    if "operand is used with type" in reason
                    else "undefined name"
                    if "undeclared" in reason or "used but not defined" in reason
                    else "name defined twice"
                    if "already defined" in reason
                    else rej.stage
                )
                outcome[kind] += 1
        label = "typed" if typed else "untyped"
        print(f"| {args.model} | {label} | " + ", ".join(f"{k}: {v}" for k, v in outcome.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
