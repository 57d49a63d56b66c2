"""What containing untrusted code costs: the capability policy, dynamic re-validation of cached
repairs at pre-apply (the lander's load time before/after), and input sampling for repairs
with no recorded calls.

    .venv/bin/python tools/bench/untrusted_cost.py [--runs 7]

Side by side in one run, alternating, medians:
1. the capability policy (`check_capabilities`) on honest candidates (the lander's
   @autopilot repair, the adversarial module's guarded @div and @sum), against the whole
   static `validate_candidate(..., dynamic=False)` it is part of;
2. the lander loaded with a cache holding its @autopilot repair: pre-apply with static checks
   only (the entry's stored calls ignored: what main did) against re-running the stored calls
   natively under the guard (now);
3. `sample_calls` for @autopilot: what a repair with no recorded calls pays to get some;
4. the same in the healing loop: fault -> swapped when the first call faults, with and
   without sampling.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

LANDER = ROOT / "examples" / "lander" / "lander.mlir"
GOOD = (400.0, -10.0, 500.0)
FAULTING = (465.55000000000007, -0.3900000000000068, 500.0)


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1e3


def policy_cost(runs: int) -> None:
    from xdsl.dialects.func import FuncOp

    from neurojit.ir import parse_module
    from neurojit.llm_pass import validate
    from tools.fuzz import adversarial

    cases: list[tuple[str, str, str, str]] = [
        ("div (adversarial module)", adversarial.MODULE, "div", adversarial._div("")),
        ("sum (adversarial module)", adversarial.MODULE, "sum", adversarial._sum("")),
    ]
    lander_fix = _lander_repair()
    if lander_fix is not None:
        cases.append(("autopilot (lander)", LANDER.read_text(), "autopilot", lander_fix))
    print("1. capability policy: the check alone and a whole static validation (median ms)")
    print("   | candidate | policy | static validation | policy share |")
    print("   |---|---|---|---|")
    from neurojit.llm_pass.policy import check_capabilities

    for label, text, name, answer in cases:
        module = parse_module(text)
        func = next(o for o in module.ops if isinstance(o, FuncOp) and o.sym_name.data == name)
        candidate = validate.validate_candidate(answer, func, module, dynamic=False).func
        # The candidate in place of the original, as validate_candidate checks it.
        trial = module.clone()
        slot = validate.declared_functions(trial)[name]
        trial.body.block.insert_op_before(candidate, slot)
        slot.detach()
        policy: list[float] = []
        whole: list[float] = []
        for _ in range(runs * 20):
            start = time.perf_counter()
            check_capabilities(candidate, func, trial)
            policy.append(time.perf_counter() - start)
        for _ in range(runs):
            start = time.perf_counter()
            validate.validate_candidate(answer, func, module, dynamic=False)
            whole.append(time.perf_counter() - start)
        a, b = _median_ms(policy), _median_ms(whole)
        print(f"   | {label} | {a:.3f} | {b:.2f} | {a / b:.1%} |")


def _lander_repair() -> str | None:
    """The lander's @autopilot repair, produced by the rules through a real healing run."""
    from neurojit.healing import HealingOptions, SelfHealingModule

    with tempfile.TemporaryDirectory() as tmp:
        opts = HealingOptions(runner="mock", proposers="rules", cache=str(Path(tmp) / "c.json"))
        module = SelfHealingModule(LANDER, options=opts, progress=io.StringIO())
        module.call("autopilot", *GOOD)
        module.call("autopilot", *FAULTING)
        return module.repairs[0].repaired_text if module.repairs else None


def preapply_cost(runs: int) -> None:
    from neurojit.healing import HealingOptions, SelfHealingModule
    from neurojit.llm_pass import cache_integrity

    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "cache.json"
        opts = HealingOptions(runner="mock", proposers="rules", cache=str(cache))
        first = SelfHealingModule(LANDER, options=opts, progress=io.StringIO())
        first.call("autopilot", *GOOD)
        first.call("autopilot", *FAULTING)
        from neurojit.llm_pass.cache import StrategyCache

        [entry] = StrategyCache(cache).entries()
        static: list[float] = []
        dynamic: list[float] = []
        off: list[float] = []
        for _ in range(runs):
            with mock.patch.object(cache_integrity, "decode_calls", lambda stored: []):
                start = time.perf_counter()
                m = SelfHealingModule(LANDER, options=opts, progress=io.StringIO())
                static.append(time.perf_counter() - start)
                assert m.preapplied
            start = time.perf_counter()
            m = SelfHealingModule(LANDER, options=opts, progress=io.StringIO())
            dynamic.append(time.perf_counter() - start)
            assert m.preapplied
            no_cache = HealingOptions(runner="mock", proposers="rules", cache="none")
            start = time.perf_counter()
            SelfHealingModule(LANDER, options=no_cache, progress=io.StringIO())
            off.append(time.perf_counter() - start)
        s, d, o = _median_ms(static), _median_ms(dynamic), _median_ms(off)
        print(
            f"\n2. lander load with its cached @autopilot repair ({len(entry.calls)} stored "
            "calls; median ms)"
        )
        print("   | load | ms | vs static |")
        print("   |---|---|---|")
        print(f"   | no cache (nothing pre-applied) | {o:.1f} | |")
        print(f"   | pre-apply, static checks only (before) | {s:.1f} | 1.00x |")
        now = "pre-apply, stored calls re-run under the guard (now)"
        print(f"   | {now} | {d:.1f} | {d / s:.2f}x |")
        cold_static, cold_dynamic = [], []
        for _ in range(max(1, runs // 2)):
            cold_static.append(_cold_load(Path(tmp), cache, static=True))
            cold_dynamic.append(_cold_load(Path(tmp), cache, static=False))
        cs, cd = _median_ms(cold_static), _median_ms(cold_dynamic)
        print(f"   | cold caches, static only (before) | {cs:.1f} | 1.00x |")
        print(f"   | cold caches, stored calls re-run (now) | {cd:.1f} | {cd / cs:.2f}x |")


_COLD = """
import io, sys, time
from unittest import mock
from neurojit.healing import HealingOptions, SelfHealingModule
from neurojit.llm_pass import cache_integrity
opts = HealingOptions(runner="mock", proposers="rules", cache=sys.argv[2])
patch = mock.patch.object(cache_integrity, "decode_calls", lambda stored: [])
if sys.argv[3] == "static":
    patch.start()
start = time.perf_counter()
from pathlib import Path
m = SelfHealingModule(Path(sys.argv[1]), options=opts, progress=io.StringIO())
assert m.preapplied
print(time.perf_counter() - start)
"""


def _cold_load(tmp: Path, cache: Path, static: bool) -> float:
    """One load in a new process whose object cache is empty (a fresh $NEUROJIT_HOME holding
    only the secret): the module and, when re-validating, the trial module compile cold."""
    import os
    import shutil
    import subprocess

    home = Path(tempfile.mkdtemp(dir=tmp))
    secret = Path(os.environ.get("NEUROJIT_HOME", Path.home() / ".neurojit")) / "secret"
    shutil.copy2(secret, home / "secret")
    (home / "secret").chmod(0o600)
    env = dict(os.environ, NEUROJIT_HOME=str(home), PYTHONPATH=str(ROOT))
    mode = "static" if static else "dynamic"
    out = subprocess.run(  # noqa: PLW1510 - the return code is checked below
        [sys.executable, "-c", _COLD, str(LANDER), str(cache), mode],
        capture_output=True,
        text=True,
        env=env,
    )
    shutil.rmtree(home, ignore_errors=True)
    if out.returncode != 0:
        raise RuntimeError(f"cold load failed: {out.stderr.strip()[-2000:]}")
    return float(out.stdout.strip().splitlines()[-1])


def sampling_cost(runs: int) -> None:
    from xdsl.dialects.func import FuncOp

    from neurojit.ir import parse_module
    from neurojit.llm_pass.differential import sample_calls

    module = parse_module(LANDER.read_text())
    func = next(o for o in module.ops if isinstance(o, FuncOp) and o.sym_name.data == "autopilot")
    times: list[float] = []
    calls = []
    for _ in range(runs):
        start = time.perf_counter()
        calls = sample_calls(func, module, list(FAULTING))
        times.append(time.perf_counter() - start)
    n = len(calls) if isinstance(calls, list) else calls
    print(f"\n3. sample_calls(@autopilot): {_median_ms(times):.1f} ms median, {n} calls kept")


def sampling_in_healing(runs: int) -> None:
    """Fault -> swapped when the first call faults (no recorded calls): with sampling, and
    with sampling switched off (what main did)."""
    from neurojit.healing import HealingOptions, SelfHealingModule
    from neurojit.llm_pass import differential as sampling

    ratio = ROOT / "tests" / "unit" / "healing" / "data" / "ratio.mlir"
    opts = HealingOptions(runner="mock", proposers="rules", cache="none")
    on: list[float] = []
    off: list[float] = []
    for _ in range(runs):
        for out, patch in ((on, None), (off, lambda *a, **k: [])):
            module = SelfHealingModule(ratio, options=opts, progress=io.StringIO())
            if patch is None:
                assert module.call("ratio", 7, 0) == 0
            else:
                with mock.patch.object(sampling, "sample_calls", patch):
                    assert module.call("ratio", 7, 0) == 0
            out.append(module.repairs[0].seconds)
    a, b = _median_ms(on), _median_ms(off)
    print(
        f"\n4. ratio.mlir, first call faults: fault -> swapped {a:.0f} ms with sampled "
        f"inputs, {b:.0f} ms without ({a / b:.2f}x)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    policy_cost(args.runs)
    preapply_cost(args.runs)
    sampling_cost(args.runs)
    sampling_in_healing(args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
