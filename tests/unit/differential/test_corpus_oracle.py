"""The seed corpus itself: reproducible from its seeds, covering every op, and its expected
outputs still what upstream MLIR 19 computes (so the corpus can be trusted as the judge)."""

from __future__ import annotations

import os
import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from gen import generate
from harness import CORPUS, corpus_ids
from oracle import OracleError, oracle_available, run_oracle

# Every op the lowering passes claim; the corpus must use each at least a few times.
COVERED_OPS = """
arith.addi arith.subi arith.muli arith.divsi arith.divui arith.remsi arith.remui
arith.ceildivsi arith.floordivsi arith.andi arith.ori arith.xori arith.shli arith.shrsi
arith.shrui arith.cmpi arith.select arith.minsi arith.maxsi arith.minui arith.maxui
arith.extsi arith.extui arith.trunci arith.index_cast arith.addf arith.subf arith.mulf
arith.divf arith.negf arith.cmpf arith.sitofp arith.uitofp arith.fptosi arith.extf
arith.truncf arith.maximumf arith.minimumf math.sqrt math.absf math.floor math.ceil
math.exp math.sin math.cos scf.for scf.if scf.while scf.condition scf.yield cf.br
cf.cond_br cf.switch func.call memref.alloc memref.alloca memref.dealloc memref.load
memref.store memref.dim memref.global memref.get_global memref.subview memref.cast
arith.ceildivui arith.addui_extended arith.mulsi_extended arith.mului_extended arith.fptoui
arith.bitcast arith.maxnumf arith.minnumf math.absi math.ctlz math.cttz math.ctpop
math.copysign math.round math.roundeven math.trunc math.fma math.rsqrt math.log math.log2
math.log10 math.log1p math.exp2 math.expm1 math.powf cf.assert
""".split()
# Forms that matter to the lowering beyond the op name.
COVERED_FORMS = {
    "dynamic alloc": r"memref\.alloc\(%",
    "dynamic alloca": r"memref\.alloca\(%",
    "rank-2 memref": r"memref<[0-9?]+x[0-9?]+x",
    "dynamic subview offset": r"offset: \?",
    "multi-result call": r"= func\.call @\w+\([^)]*\) : \([^)]*\) -> \([^,)]+, ",
    "recursion": r"func\.call @rec",
    "memref argument": r"func\.func @reduce\d+\(%\w+: memref<\?x",
    "memref result": r"-> memref<\?xi64> \{",
    "i8 arithmetic": r": i8\n",
    "f32 arithmetic": r"arith\.\w+f %\S+, %\S+ : f32",
    "overflow flags": r"overflow<",
    "fastmath flags": r"fastmath<",
    "integer scf.for": r"scf\.for .* : i(32|64) \{",
    "scf.while with other result types": r"scf\.while \(.*\) : \(([^)]*)\) -> \((?!\1\))",
    "scf.if without results": r"\n\s*scf\.if %\w+ \{",
    "cf.assert": r"cf\.assert",
    "negative switch case": r"\n\s*-\d: \^",
    "cond_br to one block twice": r"cf\.cond_br %\w+, (\^\w+)\(.*\), \1\(",
    "strided subview": r"strided<\[[2-9]",
    "rank-2 subview": r"memref\.subview %\w+\[\d+, \d+\]",
    "i1 memref": r"memref<[0-9?x]+xi1>",
    "subview of a view": r"memref\.subview %\w+\[\S+\] \[\S+\] \[\d\] : memref<\w+, strided",
    "cast to a dynamic layout": r"memref\.cast .* to memref<\?x\w+, strided<\[\?\], offset: \?>>",
    "strided memref argument": r"func\.call @reduce\d+\(%\w+\) : \(memref<\?x\w+, strided",
}


@pytest.fixture(scope="module")
def corpus_text() -> str:
    return "\n".join((CORPUS / f"{i}.mlir").read_text() for i in corpus_ids())


def test_corpus_has_at_least_200_programs() -> None:
    ids = corpus_ids()
    assert len(ids) >= 200
    for i in ids:
        assert (CORPUS / f"{i}.expected").exists(), f"{i}.mlir has no .expected"


@pytest.mark.parametrize("op", COVERED_OPS)
def test_corpus_uses_op(op: str, corpus_text: str) -> None:
    uses = len(re.findall(rf"\b{re.escape(op)}\b", corpus_text))
    assert uses >= 5, f"{op} appears {uses} times in the corpus"


@pytest.mark.parametrize("form", sorted(COVERED_FORMS))
def test_corpus_uses_form(form: str, corpus_text: str) -> None:
    assert re.search(COVERED_FORMS[form], corpus_text), f"no {form} in the corpus"


def test_corpus_is_reproducible_from_seeds() -> None:
    """Each file is exactly what the generator makes from the seed in its header."""
    for i in corpus_ids()[::10]:
        text = (CORPUS / f"{i}.mlir").read_text()
        match = re.search(r"seed (\d+)\.", text.splitlines()[0])
        assert match, f"{i}.mlir: no seed in the header"
        assert generate(int(match.group(1))) == text, f"{i}.mlir differs from its seed"


@pytest.mark.skipif(not oracle_available(), reason="needs mlir-opt-19 and mlir-cpu-runner-19")
def test_corpus_expectations_match_the_oracle() -> None:
    """Re-runs programs through upstream MLIR 19: the stored answers are still its own.

    Every third program by default (the whole corpus costs ~30 s on 2 cores);
    NEUROJIT_DIFF_FULL=1 checks them all.
    """
    ids = corpus_ids() if os.environ.get("NEUROJIT_DIFF_FULL") else corpus_ids()[::3]

    def check(i: str) -> str | None:
        text = (CORPUS / f"{i}.mlir").read_text()
        expected = int((CORPUS / f"{i}.expected").read_text())
        try:
            got = run_oracle(text)
        except OracleError as err:
            return f"{i}: {err}"
        return None if got == expected else f"{i}: oracle now says {got}, stored {expected}"

    with ThreadPoolExecutor(2) as pool:
        problems = [p for p in pool.map(check, ids) if p]
    assert not problems, "\n".join(problems)
