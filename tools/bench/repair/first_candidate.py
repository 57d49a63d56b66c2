"""Fault → first model candidate, old hole prompt and new side by side in one process.

    .venv/bin/python tools/bench/repair/first_candidate.py [--rev de021be] [--programs 01,06]

The machine is shared, so the two prompts are measured in one run, interleaved (old, new,
old, new, ...), and each query starts cold (the runner's prompt state is reset first, as
in a fresh worker at the first fault). For each program's first rung (the hole the first
attempt asks for) it reports prompt tokens, seconds reading the prompt, answer tokens,
seconds generating, and the total: the model's part of "fault → first candidate". The old
prompt is the hole_prompt.py of git revision `--rev` (loaded from git, not a copy).

`warm` is the new prompt with its fixed prefix (instructions and the fault kind's
examples) read before the fault, as a long-lived worker could while the program runs:
only the function-specific tail is read at the fault. It measures what that would save;
the runner does not do it by itself yet (the healing loop would have to ask it to).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
MODEL = ROOT / "models" / "SmolLM2-135M-Instruct.Q4_1.gguf"


def _old_module(rev: str) -> Any:
    text = subprocess.run(
        ["git", "show", f"{rev}:neurojit/llm_pass/hole_prompt.py"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    path = Path(tempfile.mkdtemp()) / "old_hole_prompt.py"
    path.write_text(text)
    spec = importlib.util.spec_from_file_location("old_hole_prompt", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def _fault(program: Any, func: Any) -> Any:
    """The fault the runtime reports for the program (its first faulting call)."""
    from neurojit.fault_report import FaultReport
    from neurojit.llm_pass.faults import verifier_error

    if program.kind == "verifier-error":
        return verifier_error(func)
    old = json.loads((HERE / "results" / "localized" / "smollm2.json").read_text())
    found = next(r["faults"][0] for r in old["results"] if r["program"] == program.name)
    loc = found["location"]
    if loc:
        loc = f"{program.path}:{':'.join(loc.rsplit(':', 2)[1:])}"
    inputs = tuple(found["inputs"])
    return FaultReport(
        program.kind,
        found["message"],
        loc,
        function=func.sym_name.data,
        inputs=inputs,
        input_text=tuple(map(str, inputs)),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rev", default="de021be", help="git revision of the old prompt")
    parser.add_argument("--programs", default="01,04,06,12,14,16")
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    from run import load_suite
    from xdsl.dialects.func import FuncOp

    from neurojit.ir import parse_module
    from neurojit.llm_pass import hole_prompt as new
    from neurojit.llm_pass.hole import ladder
    from neurojit.llm_pass.runners.llama import LlamaRunner

    old = _old_module(args.rev)
    runner = LlamaRunner(str(MODEL))
    runner.load()
    rows: list[dict[str, Any]] = []
    for program in load_suite(args.programs.split(",")):
        module = parse_module(program.path.read_text(), str(program.path), verify=False)
        func = next(op for op in module.ops if isinstance(op, FuncOp))
        funcs = {op.sym_name.data: op for op in module.ops if isinstance(op, FuncOp)}
        fault = _fault(program, func)
        hole = next(h for h in ladder(func, fault, module) if h.spec is not None)
        prompts = {
            "old": old.build_hole_prompt(
                func, fault, hole, funcs, old.examples_for(fault.kind, [], 2)
            ),
            "new": new.build_hole_prompt(
                func, fault, hole, funcs, new.examples_for(fault.kind, [], new.HOLE_EXAMPLES)
            ),
        }
        prefix = prompts["new"][: prompts["new"].index(f"\nFault in @{func.sym_name.data}")]
        grammar = hole.spec.grammar_string()  # type: ignore[union-attr]
        for which in ("old", "new", "warm"):
            runner.llm.reset()
            if which == "warm":
                runner.query(prefix, None, max_tokens=1)  # read before the fault
            start = time.perf_counter()
            result = runner.query(
                prompts["new" if which == "warm" else which], grammar, max_tokens=400
            )
            stats = runner.last_stats
            rows.append(
                {
                    "program": program.name,
                    "level": hole.level,
                    "prompt": which,
                    "prompt_tokens": stats["prompt_tokens"],
                    "read_tokens": stats["prompt_tokens"] - stats["reused_tokens"],
                    "prompt_s": stats["prompt_seconds"],
                    "answer_tokens": result.tokens,
                    "generate_s": stats["generate_seconds"],
                    "total_s": time.perf_counter() - start,
                }
            )
            r = rows[-1]
            print(
                f"{program.name:28} {hole.level:8} {which:4} prompt {r['prompt_tokens']:4} "
                f"(read {r['read_tokens']:4}) {r['prompt_s']:5.2f} s, answer "
                f"{r['answer_tokens']:3} tok {r['generate_s']:5.2f} s, total {r['total_s']:5.2f} s",
                flush=True,
            )
    for which in ("old", "new", "warm"):
        mine = [r for r in rows if r["prompt"] == which]
        print(
            f"median {which:4}: prompt {statistics.median(r['prompt_tokens'] for r in mine)} "
            f"tokens, read {statistics.median(r['read_tokens'] for r in mine)}, answer "
            f"{statistics.median(r['answer_tokens'] for r in mine)} tokens, total "
            f"{statistics.median(r['total_s'] for r in mine):.2f} s"
        )
    with open("/proc/loadavg") as f:
        print("load average:", " ".join(f.read().split()[:3]))


if __name__ == "__main__":
    main()
