"""Localized repair (hole.py, scoped.py, hole_prompt.py): holes, the scope-checked line
grammar, the splice, and the few-shot examples.

The fuzz test draws answers from the very line grammars the model samples under (the same
`HoleDecoder`, sampled in Python) for holes at every op of varied functions, splices them
and checks that 100% of the results parse, verify and pass dominance in their module.
"""

from __future__ import annotations

import random
import re
import sys
import time
from pathlib import Path

import pytest
from xdsl.dialects.func import FuncOp

from neurojit.dominance import check_dominance
from neurojit.fault_report import FaultReport
from neurojit.ir import op_position, parse_module, print_module
from neurojit.llm_pass.faults import verifier_error
from neurojit.llm_pass.fingerprint import print_op
from neurojit.llm_pass.hole import SpliceError, ladder, splice
from neurojit.llm_pass.hole_prompt import BUILTIN, cache_example, examples_for
from neurojit.llm_pass.scoped import (
    HoleDecoder,
    HoleSpec,
    _int_except,
    sample_answer,
    sample_line,
)

ROOT = Path(__file__).resolve().parents[3]
BENCH = ROOT / "tools" / "bench" / "repair" / "programs"

# Functions with the shapes holes meet: straight-line code, memrefs, nested regions, calls,
# loops with carried values, floats and casts (the benchmark programs add more below).
VARIED = """
func.func @helper(%x: i64, %y: i64) -> i64 {
  %s = arith.addi %x, %y : i64
  func.return %s : i64
}
func.func @mix(%a: i32, %b: i64, %f: f64, %m: memref<4x?xf32>, %i: index) -> f64 {
  %e = arith.extsi %a : i32 to i64
  %p = arith.muli %e, %b : i64
  %c = func.call @helper(%p, %b) : (i64, i64) -> i64
  %k = arith.index_cast %c : i64 to index
  %v = memref.load %m[%i, %k] : memref<4x?xf32>
  %w = arith.extf %v : f32 to f64
  %z = arith.constant 0 : i64
  %neg = arith.cmpi slt, %c, %z : i64
  %r = scf.if %neg -> (f64) {
    %d = arith.divf %w, %f : f64
    scf.yield %d : f64
  } else {
    %g = arith.addf %w, %f : f64
    scf.yield %g : f64
  }
  memref.store %v, %m[%i, %i] : memref<4x?xf32>
  func.return %r : f64
}
func.func @sum(%t: memref<8xi64>, %n: index) -> i64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %z = arith.constant 0 : i64
  %s = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %z) -> (i64) {
    %x = memref.load %t[%i] : memref<8xi64>
    %q = arith.divsi %acc, %x : i64
    %y = arith.addi %q, %x : i64
    scf.yield %y : i64
  }
  func.return %s : i64
}
"""


def _modules() -> list[tuple[str, str]]:
    texts = [("varied", VARIED)]
    for path in sorted(BENCH.glob("*.mlir")):
        if "verify" not in path.name:  # those do not verify around the hole by design
            texts.append((path.name, path.read_text()))
    return texts


def _fault_at(op: object, kind: str = "division-by-zero") -> FaultReport:
    pos = op_position(op)  # type: ignore[arg-type]
    loc = f"{pos[0]}:{pos[1]}:{pos[2]}" if pos else None
    return FaultReport(kind=kind, message="fuzz", location=loc)


def _kind_for(op: object) -> str:
    """The kind of fault a check at `op` reports (an operand hole needs the right one)."""
    name = getattr(op, "name", "")
    if name.startswith("memref.") and name.endswith(("load", "store")):
        return "out-of-bounds"
    return "division-by-zero"


# Faults with no location: the ladder infers the site (likely_site) and starts there.
UNLOCATED = ("stack-overflow", "timeout", "segfault", "trap")


def test_fuzz_1000_sampled_holes_all_splice_parse_verify_and_dominate() -> None:
    rng = random.Random(13)
    start = time.perf_counter()
    total = 0
    levels: dict[str, int] = {}
    failures: list[str] = []
    modules = _modules()
    while total < 1000:
        for name, text in modules:
            module = parse_module(text, name)
            printed = print_module(module)
            funcs = [op for op in module.ops if isinstance(op, FuncOp) and op.body.blocks]
            for func in funcs:
                ops = [op for op in func.walk() if op is not func]
                faults = [_fault_at(op, _kind_for(op)) for op in rng.sample(ops, min(3, len(ops)))]
                faults.append(FaultReport(rng.choice(UNLOCATED), "fuzz"))
                for fault in faults:
                    # Every rung, the whole function included (its body is a hole too).
                    for hole in ladder(func, fault, module):
                        assert hole.spec is not None, f"{name}: no line grammar at {hole.level}"
                        answer = sample_answer(hole.spec, rng)
                        assert len(answer.splitlines()) <= hole.spec.max_lines
                        total += 1
                        levels[hole.level] = levels.get(hole.level, 0) + 1
                        try:
                            new = splice(func, hole, answer)
                            trial = printed.replace(print_op(func).strip(), new.strip())
                            checked = parse_module(trial, "spliced", verify=True)
                            for f in checked.ops:
                                if isinstance(f, FuncOp) and f.sym_name == func.sym_name:
                                    check_dominance(f)
                        except Exception as err:  # noqa: BLE001 - collected and reported
                            failures.append(f"{name} {hole.level} {answer!r}: {err}")
    assert not failures, "\n".join(failures[:5])
    assert total >= 1000 and levels.get("op", 0) > 400 and levels.get("region", 0) > 50
    assert levels.get("operand", 0) > 50
    assert levels.get("function", 0) > 200
    assert time.perf_counter() - start < 90


@pytest.mark.parametrize("avoid", ["0", "7", "-1", "15", "-305", "999"])
def test_an_integer_literal_can_be_anything_but_the_original(avoid: str) -> None:
    """The GBNF of "a literal other than the original's", read as a regex, over every
    literal of up to 3 digits: all of them but that one."""
    gbnf = _int_except(avoid, 3)
    regex = re.sub(r'"((?:[^"\\]|\\.)*)"', lambda m: re.escape(m.group(1)), gbnf)
    regex = regex.replace(" ", "")
    for n in range(-999, 1000):
        for text in {str(n), f"-{n:03d}" if n >= 0 else "", f"{n:02d}" if n >= 0 else ""}:
            if text:
                assert (re.fullmatch(regex, text) is not None) == (text != avoid), (text, regex)


def test_a_constant_cannot_come_back_with_its_own_literal() -> None:
    """`%c0 = arith.constant 0` as the hole: the same name may come back with any other
    literal (a wrong constant is a repair's target too), never with 0 (the sampler used to
    mask the newline at the end, stop, and hand back the hole unchanged)."""
    spec = HoleSpec(
        scope=[("%a", "i64")], results=[("%c0", "i64")], original="%c0 = arith.constant 0 : i64\n"
    )
    alts, _ = HoleDecoder(spec).line_alternatives()
    rng = random.Random(3)
    lines = {sample_line(alts, rng) for _ in range(20000)}
    constants = {ln for ln in lines if ln.startswith("%c0 = arith.constant ")}
    assert constants and "%c0 = arith.constant 0 : i64" not in constants
    assert "0" not in {ln.split()[3] for ln in constants}


def test_the_original_hole_cannot_be_sampled() -> None:
    spec = HoleSpec(
        scope=[("%a", "i64"), ("%b", "i64")],
        results=[("%q", "i64")],
        original="%q = arith.divsi %a, %b : i64\n",
    )
    alts, _ = HoleDecoder(spec).line_alternatives()
    rng = random.Random(0)
    lines = {sample_line(alts, rng) for _ in range(20000)}
    assert "%q = arith.divsi %a, %b : i64" not in lines
    assert "%q = arith.divsi %b, %a : i64" in lines  # its neighbours stay possible
    assert "%q = arith.divsi %b, %b : i64" not in lines  # x op x: never a repair
    assert "%q = arith.remsi %a, %b : i64" in lines


def test_operands_are_in_scope_with_the_slot_type_and_names_are_fresh() -> None:
    spec = HoleSpec(
        scope=[("%a", "i64"), ("%n", "index"), ("%f", "f64")],
        results=[("%q", "i64")],
        original="%q = arith.addi %a, %a : i64\n",
    )
    rng = random.Random(1)
    for _ in range(300):
        answer = sample_answer(spec, rng)
        defined = ["%a", "%n", "%f"]
        for line in answer.splitlines():
            lhs = re.match(r"\s*(%\w+) = ", line)
            uses = re.findall(r"%\w+", line.split(" = ", 1)[1] if lhs else line)
            for use in uses:
                # a use names a value defined before, or a loop's own induction variables
                assert use in defined or re.search(r"(scf\.for|iter_args\()\s*" + use, line)
            if lhs:
                assert lhs.group(1) not in defined, f"{lhs.group(1)} redefined in {answer}"
                defined.append(lhs.group(1))
            defined += re.findall(r"scf\.for (%\w+) = |iter_args\((%\w+) = ", line)[0:0]
            defined += [m for m in re.findall(r"(?:scf\.for |iter_args\()(%\w+) = ", line)]
        # The answer ends by defining the hole's result, with its type.
        assert re.match(r"%q = .*", answer.splitlines()[-1]) or answer.splitlines()[-1] == "}"


def test_a_terminator_hole_ends_with_its_terminator_of_the_declared_types() -> None:
    text = """
func.func @f(%a: i32) -> i64 {
  %b = arith.addi %a, %a : i32
  func.return %b : i32
}
"""
    module = parse_module(text, "f.mlir", verify=False)
    func = next(op for op in module.ops if isinstance(op, FuncOp))
    ret = list(func.walk())[-1]
    holes = ladder(func, FaultReport("verifier-error", "x", location=_loc(ret)), module)
    assert [h.level for h in holes] == ["op", "function"]
    spec = holes[0].spec
    assert spec is not None and spec.terminator == "func.return"
    assert spec.terminator_types == ["i64"]
    fixed = splice(func, holes[0], "%h1 = arith.extsi %b : i32 to i64\nfunc.return %h1 : i64\n")
    assert "func.return %h1 : i64" in fixed
    parse_module(fixed, "fixed.mlir")  # verifies


def _loc(op: object) -> str:
    pos = op_position(op)  # type: ignore[arg-type]
    assert pos is not None
    return f"{pos[0]}:{pos[1]}:{pos[2]}"


def test_splice_rejects_with_one_line_reasons() -> None:
    module = parse_module(VARIED, "v.mlir")
    func = [op for op in module.ops if isinstance(op, FuncOp)][2]
    div = next(op for op in func.walk() if op.name == "arith.divsi")
    fault = FaultReport("division-by-zero", "x", location=_loc(div))
    operand, hole = ladder(func, fault, module)[:2]
    assert (operand.level, hole.level) == ("operand", "op")
    with pytest.raises(SpliceError, match="does not define the hole's result %safe"):
        splice(func, operand, "%h1 = arith.constant 1 : i64\n")
    with pytest.raises(SpliceError, match="unchanged"):
        splice(func, hole, "%q = arith.divsi %acc, %x : i64\n")
    with pytest.raises(SpliceError, match="does not define the hole's result %q"):
        splice(func, hole, "%h1 = arith.constant 1 : i64\n")
    with pytest.raises(SpliceError, match="does not parse"):
        splice(func, hole, "%q = arith.divsi %acc, %nope : i64\n")


def test_faults_without_a_precise_site_start_at_the_region() -> None:
    module = parse_module(VARIED, "v.mlir")
    func = [op for op in module.ops if isinstance(op, FuncOp)][2]
    div = next(op for op in func.walk() if op.name == "arith.divsi")
    holes = ladder(func, FaultReport("timeout", "x", location=_loc(div)), module)
    assert [h.level for h in holes] == ["region", "function"]
    assert holes[0].original.startswith("%s = scf.for")
    assert ladder(func, FaultReport("stack-overflow", "x"), module)[0].level == "function"


def test_a_block_without_terminator_skips_the_op_hole() -> None:
    """The verifier names a block's last op when the terminator is missing; no replacement
    of that op can add one, so the ladder starts at the function (found by the benchmark:
    two wasted op attempts on 18_verify_missing_terminator)."""
    text = (BENCH / "18_verify_missing_terminator.mlir").read_text()
    module = parse_module(text, "18.mlir", verify=False)
    func = next(op for op in module.ops if isinstance(op, FuncOp))
    fault = verifier_error(func)
    assert fault is not None
    assert [h.level for h in ladder(func, fault, module)] == ["function"]


def test_no_example_comes_from_the_benchmark_suite() -> None:
    lines = set()
    for path in BENCH.glob("*.mlir"):
        lines |= {ln.strip() for ln in path.read_text().splitlines() if ln.strip()}
    assert len(lines) > 100
    for example in BUILTIN:
        for line in (example.hole + "\n" + example.replacement).splitlines():
            if "%" in line:  # a line that names values (not a lone brace)
                assert line.strip() not in lines, f"example line {line!r} is in the benchmark"


def test_cache_entries_become_hole_examples_first() -> None:
    original = (
        "func.func @g(%a: i64) -> i64 {\n  %q = arith.divsi %a, %a : i64\n  func.return %q : i64\n}"
    )
    repaired = original.replace(
        "  %q = arith.divsi %a, %a : i64",
        "  %h1 = arith.constant 1 : i64\n  %q = arith.divsi %a, %h1 : i64",
    )
    example = cache_example("division-by-zero", original, repaired)
    assert example is not None
    assert example.hole == "%q = arith.divsi %a, %a : i64"
    assert example.replacement == "%h1 = arith.constant 1 : i64\n%q = arith.divsi %a, %h1 : i64"
    chosen = examples_for("division-by-zero", [example], 2)
    assert chosen[0] is example and chosen[1].kind == "division-by-zero"
    assert examples_for("division-by-zero", [example], 1, offset=1)[0] is not example


# ----------------------------------------------------------------------------- llama.cpp

llama = pytest.mark.skipif(
    __import__("importlib").util.find_spec("llama_cpp") is None,
    reason="llama-cpp-python is not installed",
)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    sys.path.insert(0, str(Path(__file__).parent))
    from tiny_gguf import build_tiny_gguf

    return build_tiny_gguf(tmp_path_factory.mktemp("gguf") / "tiny.gguf")


def _sum_hole() -> tuple[FuncOp, object]:
    module = parse_module(VARIED, "v.mlir")
    func = [op for op in module.ops if isinstance(op, FuncOp)][2]
    div = next(op for op in func.walk() if op.name == "arith.divsi")
    return func, ladder(func, FaultReport("division-by-zero", "x", location=_loc(div)), module)


@llama
def test_random_model_answers_under_the_line_grammar_all_splice(tiny: Path) -> None:
    """llama.cpp compiles every line grammar and samples only lines the decoder accepts;
    worker and in-process runners give the same bytes."""
    from neurojit.llm_pass.runners.llama import LlamaRunner
    from neurojit.llm_pass.runners.worker import WorkerRunner

    func, holes = _sum_hole()
    inproc = LlamaRunner(str(tiny), n_ctx=2048)
    worker = WorkerRunner(str(tiny), n_ctx=2048)
    try:
        assert [h.level for h in holes] == ["operand", "op", "region", "function"]
        for hole in holes:  # the whole function's body is a line-by-line hole too
            grammar = hole.spec.grammar_string()
            for seed in range(6):
                a = inproc.query(
                    "Replacement:\n", grammar, max_tokens=1500, temperature=1.0, seed=seed
                )
                stats = inproc.last_stats
                assert stats["hole_grammars"] >= 1
                new = splice(func, hole, a.text)
                trial = print_module(func.parent_op()).replace(print_op(func).strip(), new)
                parse_module(trial, "spliced.mlir")  # parses and verifies, dominance included
                if seed < 2:
                    b = worker.query(
                        "Replacement:\n", grammar, max_tokens=1500, temperature=1.0, seed=seed
                    )
                    assert a.text == b.text
            # A line grammar compiles in milliseconds.
            assert stats["hole_grammar_seconds"] / stats["hole_grammars"] < 0.05
    finally:
        worker.close()


@llama
def test_a_whole_function_answer_ends_within_the_token_cap(tiny: Path) -> None:
    """A cap too small for the whole body: the answer still ends with func.return (the
    sampler turns the tokens left into lines left), where it used to be cut mid-line."""
    from neurojit.llm_pass.runners.llama import LlamaRunner

    func, holes = _sum_hole()
    whole = holes[-1]
    assert whole.level == "function" and whole.spec is not None
    runner = LlamaRunner(str(tiny), n_ctx=2048)
    ended = 0
    for seed in range(8):
        grammar = whole.spec.grammar_string()
        answer = runner.query("Replacement:\n", grammar, max_tokens=120, temperature=1.0, seed=seed)
        assert runner.last_stats["generated_tokens"] <= 120
        if runner.last_stats["finish_reason"] == "length":
            continue
        new = splice(func, whole, answer.text)  # ends with func.return, parses, verifies
        parse_module(print_module(func.parent_op()).replace(print_op(func).strip(), new), "s")
        ended += 1
    assert ended >= 6


# ------------------------------------------------------------------ sites and the function

UNSITED = """
func.func @down(%k: i32) -> i32 {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %stop = arith.cmpi eq, %k, %c0 : i32
  %r = scf.if %stop -> (i32) {
    scf.yield %c0 : i32
  } else {
    %j = arith.subi %k, %c1 : i32
    %s = func.call @down(%j) : (i32) -> i32
    scf.yield %s : i32
  }
  func.return %r : i32
}
func.func @walk(%from: index, %to: index) -> index {
  %c3 = arith.constant 3 : index
  %end = scf.while (%p = %from) : (index) -> index {
    %more = arith.cmpi ne, %p, %to : index
    scf.condition(%more) %p : index
  } do {
  ^bb0(%q: index):
    %n = arith.addi %q, %c3 : index
    scf.yield %n : index
  }
  func.return %end : index
}
func.func @peek(%h: i64) -> i64 {
  %ptr = llvm.inttoptr %h : i64 to !llvm.ptr
  %w = llvm.load %ptr : !llvm.ptr -> i64
  func.return %w : i64
}
func.func @check(%x: i64) -> i64 {
  %c0 = arith.constant 0 : i64
  %ok = arith.cmpi sgt, %x, %c0 : i64
  cf.assert %ok, "positive"
  func.return %x : i64
}
"""


def _unsited(name: str) -> tuple[FuncOp, object]:
    module = parse_module(UNSITED, "u.mlir")
    func = next(op for op in module.ops if isinstance(op, FuncOp) and op.sym_name.data == name)
    return func, module


@pytest.mark.parametrize(
    ("name", "kind", "first"),
    [
        # the condition that decides the recursion, then the scf.if holding the call
        ("down", "stack-overflow", "%stop = arith.cmpi eq, %k, %c0 : i32"),
        # the loop's exit test, then the loop
        ("walk", "timeout", "%more = arith.cmpi ne, %p, %to : index"),
        # the assertion
        ("check", "trap", 'cf.assert %ok, "positive"'),
    ],
)
def test_faults_without_a_location_start_at_the_inferred_site(
    name: str, kind: str, first: str
) -> None:
    func, module = _unsited(name)
    holes = ladder(func, FaultReport(kind, "no location"), module)  # type: ignore[arg-type]
    assert holes[0].level == "op" and holes[0].original == first
    assert holes[-1].level == "function" and holes[-1].spec is not None
    if kind in ("stack-overflow", "timeout"):
        assert [h.level for h in holes] == ["op", "region", "function"]
        assert holes[1].original.split(" = ", 1)[1].startswith(("scf.if", "scf.while"))


def test_a_segfault_with_no_location_starts_at_the_region_of_the_raw_pointer_access() -> None:
    """Replacing the llvm.load alone leaves its llvm.inttoptr, which the policy rejects."""
    module = parse_module(
        (BENCH / "09_segv_handle.mlir").read_text(), "09.mlir"
    )  # the benchmark's own segfault: its ladder, not an example
    func = next(op for op in module.ops if isinstance(op, FuncOp))
    holes = ladder(func, FaultReport("segfault", "no location"), module)
    assert [h.level for h in holes] == ["region", "function"]
    assert "llvm.load" in holes[0].original


def test_a_region_answer_cannot_be_the_region_renamed() -> None:
    module = parse_module(VARIED, "v.mlir")
    func = [op for op in module.ops if isinstance(op, FuncOp)][2]
    div = next(op for op in func.walk() if op.name == "arith.divsi")
    region = ladder(func, FaultReport("timeout", "x", location=_loc(div)), module)[0]
    spec = region.spec
    assert spec is not None and region.level == "region"
    decoder = HoleDecoder(spec)
    renamed = {"%i": "%h1", "%acc": "%h2", "%x": "%h3", "%q": "%h4", "%y": "%h5"}
    lines = spec.original.rstrip("\n").split("\n")
    for line in lines[:-2]:  # up to the scf.yield
        decoder.feed(re.sub(r"%\w+", lambda m: renamed.get(m.group(0), m.group(0)), line))
    alts, _ = decoder.line_alternatives()
    options = {sample_line(alts, random.Random(i)).strip() for i in range(2000)}
    assert "scf.yield %h5 : i64" not in options and "scf.yield %h3 : i64" in options


def test_a_region_hole_around_the_recursive_call_may_keep_it_no_other_hole_may_add_one() -> None:
    func, module = _unsited("down")
    op, region, whole = ladder(func, FaultReport("stack-overflow", "x"), module)  # type: ignore[arg-type]
    assert "down" in [c[0] for c in region.spec.callees]  # type: ignore[union-attr]
    assert "down" in [c[0] for c in whole.spec.callees]  # type: ignore[union-attr]
    assert "down" not in [c[0] for c in op.spec.callees]  # type: ignore[union-attr]


def test_the_whole_function_hole_is_bounded_and_never_the_original_renamed_or_not() -> None:
    func, module = _unsited("down")
    whole = ladder(func, FaultReport("stack-overflow", "x"), module)[-1]  # type: ignore[arg-type]
    spec = whole.spec
    assert spec is not None and spec.terminator == "func.return"
    assert spec.terminator_types == ["i32"] and spec.scope == [("%k", "i32")]
    original = spec.original.rstrip("\n").split("\n")
    assert spec.max_lines == len(original) + 3
    # The names of the lines it replaces are free (a model copying a line keeps its name).
    assert ("%c0", "i32") in spec.names and ("%stop", "i1") in spec.names
    for renamed in (False, True):
        decoder = HoleDecoder(spec)
        mapping = {"%c0": "%h1", "%c1": "%h2", "%stop": "%h3", "%r": "%h4"} if renamed else {}
        for line in original[:-1]:
            decoder.feed(re.sub(r"%\w+", lambda m, t=mapping: t.get(m.group(0), m.group(0)), line))
        alts, _ = decoder.line_alternatives()
        lines = {sample_line(alts, random.Random(i)) for i in range(3000)}
        last = "func.return %h4 : i32" if renamed else "func.return %r : i32"
        assert last not in lines, "the original body could be completed"
        assert any(ln.startswith("func.return ") for ln in lines)  # another value may return
    # Sampled answers end with the terminator, within the bound, and splice to a function.
    rng = random.Random(5)
    printed = print_module(module)  # type: ignore[arg-type]
    for _ in range(200):
        answer = sample_answer(spec, rng)
        assert answer.splitlines()[-1].startswith("func.return ")
        assert len(answer.splitlines()) <= spec.max_lines
        text = splice(func, whole, answer)
        assert text.startswith("func.func @down(%k: i32) -> i32 {")
        parse_module(printed.replace(print_op(func).strip(), text.strip()), "w.mlir")


def test_a_function_the_line_grammar_cannot_finish_keeps_the_whole_function_prompt() -> None:
    """A memref result with no memref of that type in scope: no line could return it."""
    text = """
func.func @make(%n: index) -> memref<4xi64> {
  %m = memref.alloc() : memref<4xi64>
  func.return %m : memref<4xi64>
}
"""
    module = parse_module(text, "m.mlir")
    func = next(op for op in module.ops if isinstance(op, FuncOp))
    whole = ladder(func, FaultReport("trap", "x"), module)[-1]
    assert whole.level == "function" and whole.spec is None
