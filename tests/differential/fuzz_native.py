"""Fuzz the native front end with mutated programs: the host must survive every one.

Mutations of the corpus programs (whole modules, like user files) and of single functions
compiled as swaps (like model candidates): lines dropped, duplicated or swapped, types and op
names changed, memref element types narrowed to i1..i7, SSA names crossed, text truncated.
Each goes through `neurojit.compiler` with the native front end in THIS process; a compile
that kills the process (an LLVM assertion in the wheel) would end the run. Outcomes are
counted: compiled, rejected with a NeuroJITError, rejected because the compile child died
(the isolation doing its job).

    python tests/differential/fuzz_native.py [N] [SEED]
"""

from __future__ import annotations

import random
import re
import sys
from collections import Counter
from pathlib import Path

CORPUS = Path(__file__).resolve().parent / "corpus"

TYPES = ["i1", "i8", "i16", "i32", "i64", "index", "f32", "f64", "i3", "i7"]
OPS = [
    ("arith.divsi", "arith.divui"),
    ("arith.addi", "arith.subf"),
    ("arith.muli", "arith.remsi"),
    ("memref.load", "memref.store"),
    ("scf.yield", "func.return"),
    ("arith.cmpi", "arith.cmpf"),
    ("arith.extsi", "arith.trunci"),
    ("arith.index_cast", "arith.bitcast"),
]


def mutate(text: str, rng: random.Random) -> str:
    lines = text.splitlines()
    for _ in range(rng.choice((1, 1, 1, 2, 3))):
        if not lines:
            break
        k = rng.randrange(len(lines))
        choice = rng.randrange(9)
        if choice == 0:
            del lines[k]
        elif choice == 1:
            lines.insert(k, lines[rng.randrange(len(lines))])
        elif choice == 2:
            j = rng.randrange(len(lines))
            lines[k], lines[j] = lines[j], lines[k]
        elif choice == 3:
            lines[k] = re.sub(r"\b(i\d+|index|f32|f64)\b", rng.choice(TYPES), lines[k], count=1)
        elif choice == 4:
            a, b = rng.choice(OPS)
            lines[k] = lines[k].replace(a, b) if a in lines[k] else lines[k].replace(b, a)
        elif choice == 5:
            lines = [re.sub(r"x(i\d+)>", f"x{rng.choice(TYPES)}>", ln) for ln in lines]
        elif choice == 6:
            names = re.findall(r"%\w+", text)
            if names:
                lines[k] = lines[k].replace(rng.choice(names), rng.choice(names), 1)
        elif choice == 7:
            value = str(rng.choice([0, -1, 1, 2**63 - 1, 255]))
            lines[k] = re.sub(r"-?\d+", value, lines[k], count=1)
        else:
            cut = rng.randrange(len(lines[k]) + 1)
            lines[k] = lines[k][:cut]
    return "\n".join(lines) + "\n"


def functions_of(text: str) -> list[tuple[str, str]]:
    """(name, text) of each top-level func.func (a brace-counting cut, enough here)."""
    out = []
    for m in re.finditer(r"^func\.func @(\w+)", text, re.M):
        depth, i = 0, text.index("{", m.start())
        for j in range(i, len(text)):
            depth += {"{": 1, "}": -1}.get(text[j], 0)
            if depth == 0:
                out.append((m.group(1), text[m.start() : j + 1]))
                break
    return out


def run(n: int, seed: int) -> Counter[str]:
    from neurojit import compiler
    from neurojit.errors import NeuroJITError

    rng = random.Random(seed)
    programs = [p.read_text() for p in sorted(CORPUS.glob("*.mlir"))]
    outcomes: Counter[str] = Counter()
    infos: dict[int, dict] = {}
    for i in range(n):
        base = rng.choice(programs)
        candidate = i % 3 == 2  # every third: a single mutated function, as a swap
        try:
            if candidate:
                funcs = functions_of(base)
                if not funcs:
                    continue
                name, ftext = rng.choice(funcs)
                key = id(base)
                if key not in infos:
                    infos[key] = compiler.compile_text(
                        base, "base.mlir", frontend="native"
                    ).functions
                info = infos[key]
                compiler.compile_swap(
                    name,
                    mutate(ftext, rng),
                    info,
                    frontend="native",
                    swap_state=None,
                    source=(base, "base.mlir"),
                )
            else:
                out = compiler.compile_text(mutate(base, rng), "fuzz.mlir", frontend="native")
                outcomes[f"ran:{out.frontend}"] += 1
            outcomes["compiled"] += 1
        except NeuroJITError as err:
            died = "native compiler crashed" in str(err) or "exited with" in str(err)
            outcomes["child died (isolated)" if died else "rejected"] += 1
            if died:
                outcomes[f"  {str(err).split('on this input: ')[-1][:90]}"] += 1
        except Exception as err:  # noqa: BLE001 - counted: an xdsl-fallback bug, not an abort
            outcomes[f"other exception: {type(err).__name__}"] += 1
    return outcomes


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    outcomes = run(n, seed)
    for key, count in sorted(outcomes.items()):
        print(f"{count:6d}  {key}")
    print(f"{n} mutated programs, seed {seed}: the host survived all of them")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
