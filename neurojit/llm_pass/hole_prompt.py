"""The prompt of a localized repair, and its few-shot examples in the same hole format.

Layout, like prompt.py: a fixed prefix (never changes, so a runner's prompt cache reads it
once), then examples of the same fault kind, then this fault and its hole, then why earlier
attempts were rejected. Examples come from the strategy cache first (an accepted repair's
changed lines become a hole and its replacement), then from the small built-in set below.
No example is a program of the repair benchmark (tests/unit/llm_pass/test_hole.py checks).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from xdsl.dialects.func import FuncOp

from neurojit.fault_report import FaultReport
from neurojit.llm_pass.hole import BEGIN, END, Hole
from neurojit.llm_pass.prompt import fault_context, stable

_NAME = re.compile(r"%[\w.$-]+")

HOLE_PREFIX = f"""You repair MLIR functions that crash at run time or fail to verify.
The lines between `{BEGIN}` and `{END}` are the hole.
Answer with the ops that replace the hole, one per line, and nothing else. Use only values
in scope; name new values %h1, %h2, ...; end as the last line below says. Keep the results
of the calls that worked, and make the failing call safe.
"""
# One example: each costs ~60 prompt tokens that the first query must read (the prompt,
# not the answer, bounds the first candidate's latency on 2 cores; docs/benchmarks.md).
HOLE_EXAMPLES = 2

MAX_EXAMPLE_LINES = 10


@dataclass(frozen=True)
class HoleExample:
    kind: str
    hole: str
    scope: str
    result: str
    replacement: str
    # "op": the hole is the op; "operand": the hole is a safe value for one operand of
    # the op (`hole` is the op reading `result`, `replaced` the operand and its value).
    level: str = "op"
    replaced: str = ""


# Small repairs of each fault kind, written for this prompt (not taken from the benchmark).
BUILTIN: tuple[HoleExample, ...] = (
    HoleExample(
        "division-by-zero",
        "%share = arith.divsi %total, %count : i32",
        "%total: i32, %count: i32",
        "%share : i32",
        "%h1 = arith.constant 0 : i32\n%h2 = arith.constant 1 : i32\n"
        "%h3 = arith.cmpi eq, %count, %h1 : i32\n%h4 = arith.select %h3, %h2, %count : i32\n"
        "%share = arith.divsi %total, %h4 : i32",
    ),
    HoleExample(
        "division-by-zero",
        "%r = arith.remui %n, %m : i16",
        "%n: i16, %m: i16",
        "%r : i16",
        "%h1 = arith.constant 0 : i16\n%h2 = arith.cmpi eq, %m, %h1 : i16\n"
        "%h3 = arith.constant 1 : i16\n%h4 = arith.select %h2, %h3, %m : i16\n"
        "%r = arith.remui %n, %h4 : i16",
    ),
    HoleExample(
        "out-of-bounds",
        "memref.store %val, %out[%pos] : memref<16xi8>",
        "%out: memref<16xi8>, %pos: index, %val: i8",
        "nothing (the hole defines no value)",
        "%h1 = arith.constant 16 : index\n%h2 = arith.cmpi ult, %pos, %h1 : index\n"
        "scf.if %h2 {\n  memref.store %val, %out[%pos] : memref<16xi8>\n}",
    ),
    HoleExample(
        "signed-overflow",
        "%m = arith.remsi %x, %y : i64",
        "%x: i64, %y: i64",
        "%m : i64",
        "%h1 = arith.constant -1 : i64\n%h2 = arith.constant 1 : i64\n"
        "%h3 = arith.cmpi eq, %y, %h1 : i64\n%h4 = arith.select %h3, %h2, %y : i64\n"
        "%m = arith.remsi %x, %h4 : i64",
    ),
    HoleExample(
        "out-of-bounds",
        "%e = memref.load %buf[%k] : memref<8xf32>",
        "%buf: memref<8xf32>, %k: index",
        "%e : f32",
        "%h1 = arith.constant 0 : index\n%h2 = arith.constant 7 : index\n"
        "%h3 = arith.maxsi %k, %h1 : index\n%h4 = arith.minsi %h3, %h2 : index\n"
        "%e = memref.load %buf[%h4] : memref<8xf32>",
    ),
    HoleExample(
        "trap",
        'cf.assert %ready, "not ready"',
        "%ready: i1, %v: i64",
        "nothing (the hole defines no value)",
        "",
    ),
    HoleExample(
        "verifier-error",
        "%w = arith.addi %u, %n : i64",
        "%u: i32, %n: i64",
        "%w : i64",
        "%h1 = arith.extsi %u : i32 to i64\n%w = arith.addi %h1, %n : i64",
    ),
    HoleExample(
        "stack-overflow",
        "%last = arith.cmpi eq, %depth, %c0 : i32",
        "%depth: i32, %c0: i32",
        "%last : i1",
        "%last = arith.cmpi sle, %depth, %c0 : i32",
    ),
    HoleExample(
        "segfault",
        "%word = llvm.load %addr : !llvm.ptr -> i32",
        "%key: i32",
        "%word : i32",
        "%word = arith.constant 0 : i32",
    ),
    HoleExample(
        "timeout",
        "%more = arith.cmpi ne, %pos, %stop : index",
        "%pos: index, %stop: index",
        "%more : i1",
        "%more = arith.cmpi ult, %pos, %stop : index",
    ),
    HoleExample(
        "timeout",
        "%t = scf.for %i = %lo to %hi step %st iter_args(%a = %z) -> (i64) {\n"
        "  %b = arith.addi %a, %one : i64\n  scf.yield %b : i64\n}",
        "%lo: index, %hi: index, %st: index, %z: i64, %one: i64",
        "%t : i64",
        "%h1 = arith.constant 1 : index\n%h2 = arith.maxsi %st, %h1 : index\n"
        "%t = scf.for %h3 = %lo to %hi step %h2 iter_args(%h4 = %z) -> (i64) {\n"
        "  %h5 = arith.addi %h4, %one : i64\n  scf.yield %h5 : i64\n}",
    ),
    # Operand holes: a safe value in place of the operand the failed check names, from
    # that operand alone (the scope an operand hole has). Overflow only for a remainder:
    # x % -1 and x % 1 are both 0, but x / -1 is -x (hole.faulting_operand).
    HoleExample(
        "division-by-zero",
        "%share = arith.divsi %total, %safe : i32",
        "%count: i32",
        "%safe : i32",
        "%h1 = arith.constant 0 : i32\n%h2 = arith.constant 1 : i32\n"
        "%h3 = arith.cmpi eq, %count, %h1 : i32\n%safe = arith.select %h3, %h2, %count : i32",
        "operand",
        "%count (it was 0)",
    ),
    HoleExample(
        "division-by-zero",
        "%r = arith.remui %n, %safe : i16",
        "%m: i16",
        "%safe : i16",
        "%h1 = arith.constant 0 : i16\n%h2 = arith.cmpi eq, %m, %h1 : i16\n"
        "%h3 = arith.constant 1 : i16\n%safe = arith.select %h2, %h3, %m : i16",
        "operand",
        "%m (it was 0)",
    ),
    HoleExample(
        "signed-overflow",
        "%m = arith.remsi %x, %safe : i64",
        "%y: i64",
        "%safe : i64",
        "%h1 = arith.constant -1 : i64\n%h2 = arith.constant 1 : i64\n"
        "%h3 = arith.cmpi eq, %y, %h1 : i64\n%safe = arith.select %h3, %h2, %y : i64",
        "operand",
        "%y (it was -1)",
    ),
    HoleExample(
        "out-of-bounds",
        "%e = memref.load %buf[%safe] : memref<8xf32>",
        "%k: index",
        "%safe : index",
        "%h1 = arith.constant 8 : index\n%h2 = arith.cmpi ult, %k, %h1 : index\n"
        "%h3 = arith.constant 0 : index\n%safe = arith.select %h2, %k, %h3 : index",
        "operand",
        "%k (it was 9)",
    ),
    HoleExample(
        "out-of-bounds",
        "memref.store %val, %out[%safe] : memref<16xi8>",
        "%pos: index",
        "%safe : index",
        "%h1 = arith.constant 16 : index\n%h2 = arith.cmpi ult, %pos, %h1 : index\n"
        "%h3 = arith.constant 0 : index\n%safe = arith.select %h2, %pos, %h3 : index",
        "operand",
        "%pos (it was -2)",
    ),
)


def cache_example(kind: str, original: str, repaired: str) -> HoleExample | None:
    """An accepted repair as a hole example: the lines that differ become the hole."""
    a, b = original.strip().splitlines(), repaired.strip().splitlines()
    if a == b:
        return None
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    end = 0
    while end < min(len(a), len(b)) - start and a[-1 - end] == b[-1 - end]:
        end += 1
    hole, repl = a[start : len(a) - end], b[start : len(b) - end]
    if not hole or len(hole) > MAX_EXAMPLE_LINES or len(repl) > MAX_EXAMPLE_LINES:
        return None
    if any(line.lstrip().startswith(("func.func", "^bb", "}")) for line in hole + repl):
        return None
    pad = min(len(ln) - len(ln.lstrip()) for ln in hole + repl if ln.strip()) if repl else 0
    dedent = lambda lines: "\n".join(ln[pad:] for ln in lines)  # noqa: E731
    return HoleExample(kind, dedent(hole), "(as in that function)", "", dedent(repl))


def operand_example(example: HoleExample) -> HoleExample | None:
    """An op-form example as an operand-form one, when that is all it did: its replacement
    ends with the hole's op, one operand renamed, after lines that compute that operand."""
    hole, repl = example.hole.strip(), example.replacement.strip().splitlines()
    if "\n" in hole or len(repl) < 2:
        return None
    old, new = _NAME.findall(hole), _NAME.findall(repl[-1])
    if len(old) != len(new) or _NAME.sub("%", hole) != _NAME.sub("%", repl[-1]):
        return None
    changed = [i for i, (a, b) in enumerate(zip(old, new, strict=True)) if a != b]
    defines = re.match(r"%[\w.$-]+ = ", hole) is not None
    if len(changed) != 1 or (defines and changed[0] == 0):
        return None  # not one operand renamed (the result, or several names)
    operand, value = old[changed[0]], new[changed[0]]
    if not any(line.startswith(value + " = ") for line in repl[:-1]):
        return None
    rename = lambda line: re.sub(re.escape(value) + r"\b", "%safe", line)  # noqa: E731
    return HoleExample(
        example.kind,
        rename(repl[-1]),
        example.scope,
        "",
        "\n".join(rename(line) for line in repl[:-1]),
        "operand",
        operand,
    )


def examples_for(
    kind: str, cached: Sequence[HoleExample], count: int, offset: int = 0, level: str = "op"
) -> list:
    """`count` examples of `kind` for a hole of `level`: cached ones first, then the
    built-in ones; `offset` rotates the pool (a retry shows other examples). An operand
    hole is shown operand-form examples only (a cached repair that fits that form)."""
    form = "operand" if level == "operand" else "op"
    if form == "operand":
        cached = [e for e in (operand_example(c) for c in cached) if e is not None]
    pool = [*cached, *(e for e in BUILTIN if e.kind == kind and e.level == form)]
    if not pool:
        return []
    start = offset % len(pool)
    return (pool[start:] + pool[:start])[:count]


def _example_text(e: HoleExample) -> str:
    if e.level == "operand":
        scope = f"In scope: {e.scope}\n" if e.scope and not e.scope.startswith("(") else ""
        return (
            f"\nExample, a {e.kind} fault. Op:\n{e.hole}\n%safe replaces {e.replaced}.\n"
            f"{scope}Replacement:\n{e.replacement}\n"
        )
    repl = e.replacement + "\n" if e.replacement else ""
    if e.result.startswith("nothing"):
        repl += END + "\n"  # a hole with no result ends with the marker (scoped.HOLE_END)
    scope = f"In scope: {e.scope}\n" if e.scope and not e.scope.startswith("(") else ""
    return f"\nExample, a {e.kind} fault. Hole:\n{e.hole}\n{scope}Replacement:\n{repl}"


def describe_end(hole: Hole) -> str:
    spec = hole.spec
    assert spec is not None
    if hole.level == "operand":
        return "Define: " + ", ".join(f"{n} : {t}" for n, t in spec.results)
    if spec.terminator:
        types = ", ".join(spec.terminator_types)
        return f"End with: {spec.terminator}" + (f" of {types}" if types else "")
    if spec.results:
        return "Define: " + ", ".join(f"{n} : {t}" for n, t in spec.results)
    return f"Define: nothing (end the answer with `{END}`; it may be all the answer)"


def build_hole_prompt(
    func: FuncOp,
    fault: FaultReport,
    hole: Hole,
    module_funcs: dict[str, FuncOp],
    examples: Sequence[HoleExample] = (),
    rejections: Sequence[str] = (),
    hints: Sequence[str] = (),
) -> str:
    """The function is shown once, with the hole marked; the fault once; no location line
    (the marker is the location) and no second copy of the hole."""
    spec = hole.spec
    assert spec is not None
    parts = [HOLE_PREFIX]
    for example in examples:
        parts.append(_example_text(example))
    name = func.sym_name.data
    parts.append(f"\nFault in @{name}: {fault.kind}: {stable(fault.message)}\n")
    parts += fault_context(func, fault, module_funcs)
    parts.append(f"Function:\n{hole.marked.strip()}\n")
    if hole.level == "operand":
        # The op as it will read the new value, and what that value replaces, in the
        # examples' layout.
        scope = ", ".join(f"{n}: {t}" for n, t in spec.scope)
        value = hole.extra.get("value")
        was = f" (it was {value})" if value is not None else ""
        parts.append(
            f"Op:\n{hole.extra['op'].strip()}\n{hole.extra['safe']} replaces "
            f"{hole.extra['name']}{was}.\nIn scope: {scope or 'nothing'}\n"
        )
    elif hole.level != "function":
        # The hole again, right before the answer, in the examples' layout, and the names
        # it may use: SmolLM2 otherwise copies the nearest example's op and names (measured
        # on the division programs: the answer's last line became the example's remui).
        scope = ", ".join(f"{n}: {t}" for n, t in spec.scope)
        parts.append(f"Hole:\n{hole.original.strip()}\nIn scope: {scope or 'nothing'}\n")
    parts.append(describe_end(hole) + "\n")
    for hint in hints:
        parts.append(f"Hint: {hint}\n")
    for i, reason in enumerate(rejections, 1):
        parts.append(f"Attempt {i} was rejected: {stable(reason)}\n")
    parts.append("Replacement:\n")
    return "".join(parts)
