#!/usr/bin/env python3
"""What the model worker costs, and what the portable llama.cpp build costs.

    .venv/bin/python tools/bench/model_worker.py [--model smollm2-135m] [--reps 5]
        [--native-site DIR] [--markdown]

1. Repair latency, warm: the same repair prompt, grammar and greedy settings through the
   `llama` runner (worker process) and `llama-inproc`, alternated query by query in one run.
2. Cold start: a fresh process loading the model in-process (import llama_cpp + load)
   against a fresh host starting the worker (spawn + import + load), each in a subprocess.
3. Portable build against a native one (`--native-site`: an unpacked `-march=native` wheel of
   the same llama-cpp-python version): prompt and decode tok/s, alternated in subprocesses.
   A native build on an AMX CPU crashes llama.cpp unless weight repacking is off, so it is
   loaded with `use_extra_bufts = False` there, as ARCHITECTURE.md measured.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

from llama_runner import prompt_text, shape  # noqa: E402

from neurojit import models  # noqa: E402
from neurojit.llm_pass import grammar as g  # noqa: E402


def warm_latency(model: str, reps: int, max_tokens: int) -> dict[str, Any]:
    from neurojit.llm_pass.runners.base import make_runner

    prompt, gbnf = prompt_text(), g.specialize_gbnf(shape())
    runners = {
        "worker": make_runner("llama", model=model, n_ctx=2048),
        "inproc": make_runner("llama-inproc", model=model, n_ctx=2048),
    }
    times: dict[str, list[float]] = {k: [] for k in runners}
    texts: dict[str, str] = {}
    for runner in runners.values():  # load, and fill the prompt state once
        runner.query(prompt, gbnf, max_tokens=1, temperature=0.0, seed=0)
    for _ in range(reps):
        for label, runner in runners.items():
            start = time.perf_counter()
            result = runner.query(prompt, gbnf, max_tokens=max_tokens, temperature=0.0, seed=0)
            times[label].append(time.perf_counter() - start)
            texts[label] = result.text
    runners["worker"].close()  # type: ignore[attr-defined]
    w, i = statistics.median(times["worker"]), statistics.median(times["inproc"])
    return {
        "worker_s": w,
        "inproc_s": i,
        "ratio": w / i,
        "same_text": texts["worker"] == texts["inproc"],
        "cpu": runners["inproc"].cpu_variant,  # type: ignore[attr-defined]
    }


_COLD_INPROC = """
import time; t = time.perf_counter()
from neurojit.llm_pass.runners.llama import LlamaRunner
LlamaRunner({model!r}, n_ctx=2048).load(); print(time.perf_counter() - t)
"""
_COLD_WORKER = """
import time; t = time.perf_counter()
from neurojit.llm_pass.runners.worker import WorkerRunner
r = WorkerRunner({model!r}, n_ctx=2048); r.load(); print(time.perf_counter() - t); r.close()
"""


def cold_start(model: str, reps: int) -> dict[str, float]:
    out: dict[str, list[float]] = {"inproc": [], "worker": []}
    for _ in range(reps):
        for label, code in (("inproc", _COLD_INPROC), ("worker", _COLD_WORKER)):
            proc = subprocess.run(
                [sys.executable, "-c", code.format(model=model)],
                capture_output=True,
                text=True,
                check=True,
                cwd=ROOT,
            )
            out[label].append(float(proc.stdout.split()[-1]))
    return {k: statistics.median(v) for k, v in out.items()}


# Prompt and decode speed of whichever llama_cpp is first on sys.path, in a fresh process.
_SPEED = """
import json, os, sys, time
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
import llama_cpp
info = llama_cpp.llama_print_system_info().decode()
native = "{native}" == "1"
if native and "AMX_INT8 = 1" in info:
    default = llama_cpp.llama_model_default_params
    def no_repack():
        p = default(); p.use_extra_bufts = False; return p
    llama_cpp.llama_model_default_params = no_repack
    import llama_cpp.llama as L; L.llama_cpp.llama_model_default_params = no_repack
cpu = "built-in"
if not native:
    from neurojit.llm_pass.runners.cpu_backend import ensure_cpu_backend
    cpu = ensure_cpu_backend()
llm = llama_cpp.Llama({model!r}, n_ctx=2048, n_threads=2, n_threads_batch=2, verbose=False)
tokens = llm.tokenize({prompt!r}.encode(), add_bos=True, special=True)
t = time.perf_counter(); llm.eval(tokens); prompt_s = time.perf_counter() - t
n = 0; t = time.perf_counter()
for tok in llm.generate(tokens, temp=0.0, reset=True):
    if n == 0: t = time.perf_counter()
    n += 1
    if n > {gen}: break
gen_s = time.perf_counter() - t
print(json.dumps({{"prompt": len(tokens) / prompt_s, "gen": {gen} / gen_s, "cpu": cpu,
                  "amx": "AMX_INT8 = 1" in llama_cpp.llama_print_system_info().decode()}}))
"""


def build_speed(model: str, native_site: Path, reps: int, gen: int) -> dict[str, Any]:
    runs: dict[str, list[dict[str, Any]]] = {"portable": [], "native": []}
    for _ in range(reps):
        for label in runs:
            env = dict(os.environ)
            if label == "native":
                env["PYTHONPATH"] = os.pathsep.join([str(native_site), str(ROOT)])
            code = _SPEED.format(
                model=model, prompt=prompt_text(), gen=gen, native=int(label == "native")
            )
            proc = subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT
            )
            if proc.returncode != 0:
                raise RuntimeError(f"{label} build failed: {proc.stderr.strip()[-300:]}")
            runs[label].append(json.loads(proc.stdout.strip().splitlines()[-1]))
    med = {
        label: {k: statistics.median(r[k] for r in rs) for k in ("prompt", "gen")}
        for label, rs in runs.items()
    }
    return {
        **{f"{label}_{k}": v for label, m in med.items() for k, v in m.items()},
        "prompt_ratio": med["portable"]["prompt"] / med["native"]["prompt"],
        "gen_ratio": med["portable"]["gen"] / med["native"]["gen"],
        "cpu": runs["portable"][0]["cpu"],
        "portable_amx": runs["portable"][0]["amx"],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="smollm2-135m")
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--max-tokens", type=int, default=96)
    parser.add_argument("--native-site", type=Path, help="an unpacked native wheel")
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    model = str(models.resolve_model(args.model))
    warm = warm_latency(model, args.reps, args.max_tokens)
    cold = cold_start(model, args.reps)
    speed = build_speed(model, args.native_site, args.reps, 128) if args.native_site else None
    if not args.markdown:
        print(json.dumps({"warm": warm, "cold": cold, "speed": speed}, indent=2))
    else:
        print("| measure | worker (`llama`) | in-process (`llama-inproc`) | ratio |")
        print("|---|---|---|---|")
        print(
            f"| repair latency, warm, {args.max_tokens} tokens max "
            f"(same text: {'yes' if warm['same_text'] else 'NO'}) "
            f"| {warm['worker_s']:.2f} s | {warm['inproc_s']:.2f} s | {warm['ratio']:.3f}x |"
        )
        print(
            f"| cold start (process start → model ready) | {cold['worker']:.2f} s "
            f"| {cold['inproc']:.2f} s | {cold['worker'] / cold['inproc']:.2f}x |"
        )
        if speed:
            print()
            print("| build | prompt tok/s | decode tok/s |")
            print("|---|---|---|")
            print(
                f"| portable (CPU backend picked at run time: {speed['cpu']}, "
                f"AMX {'on' if speed['portable_amx'] else 'off'}) "
                f"| {speed['portable_prompt']:.0f} | {speed['portable_gen']:.1f} |"
            )
            print(
                f"| native `-march=native` (repacking off on AMX) "
                f"| {speed['native_prompt']:.0f} | {speed['native_gen']:.1f} |"
            )
            print(
                f"| portable / native | {speed['prompt_ratio']:.2f}x | {speed['gen_ratio']:.2f}x |"
            )
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
