"""The accepted-MLIR grammar: lark form, GBNF conversion, specialisation, and fuzzing.

The fuzz draws random strings from the grammar's own trees (the same trees lark_to_gbnf
converts) and checks that xDSL's parser accepts every one as syntax. Name/type resolution
is not syntax (a grammar can't know types); the validator owns that.
"""

from __future__ import annotations

import random
import re
import types

import pytest
from xdsl.dialects import func as func_d

from neurojit.ir import make_context
from neurojit.llm_pass import grammar as g
from tools import grammar_testing as gt

MODULE = """
func.func private @helper(%x: i64) -> i64
func.func private @log(%x: f64)
func.func @f(%a: i64, %b: i64, %m: memref<8xi64>, %x: f64) -> (i64, f64) {
  %c0 = arith.constant 0 : i64
  %z = arith.cmpi eq, %b, %c0 : i64
  %q = arith.divsi %a, %b : i64
  %i = arith.index_cast %a : i64 to index
  %v = memref.load %m[%i] : memref<8xi64>
  %y = math.sqrt %x : f64
  cf.cond_br %z, ^bb1, ^bb2(%a : i64)
^bb1:
  %h = func.call @helper(%q) : (i64) -> i64
  cf.br ^bb2(%h : i64)
^bb2(%p: i64):
  func.return %p, %y : i64, f64
}
func.func @g(%n: i64) -> i64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %k = arith.index_cast %n : i64 to index
  %s = scf.for %i = %c0 to %k step %c1 iter_args(%acc = %n) -> (i64) {
    %t = arith.addi %acc, %n : i64
    scf.yield %t : i64
  }
  %w = scf.while (%u = %s) : (i64) -> i64 {
    %c = arith.cmpi sgt, %u, %n : i64
    scf.condition(%c) %u : i64
  } do {
  ^bb0(%r: i64):
    %d = arith.subi %r, %n : i64
    scf.yield %d : i64
  }
  %ok = arith.constant true
  %e = scf.if %ok -> (i64) {
    scf.yield %w : i64
  } else {
    scf.yield %n : i64
  }
  func.return %e : i64
}
"""


def _module():
    from xdsl.parser import Parser

    return Parser(make_context(), MODULE).parse_module()


def _funcs():
    mod = _module()
    return mod, {op.sym_name.data: op for op in mod.ops if isinstance(op, func_d.FuncOp)}


def test_base_grammar_accepts_what_xdsl_prints() -> None:
    _, funcs = _funcs()
    for name in ("f", "g"):
        printed = g._print(funcs[name])
        assert gt.check(printed) is None, printed
        assert gt.xdsl_syntax_error(printed) is None


@pytest.mark.parametrize(
    "bad",
    [
        "func.func @f(%a: i64) -> i64 {\n  func.return %a : i64;\n}",  # semicolon
        "```mlir\nfunc.func @f(%a: i64) -> i64 {\n  func.return %a : i64\n}\n```",  # fence
        "func.func @f(%a: i64) -> i64 {\n  llvm.return %a : i64\n}",  # llvm dialect
        "func.func @f(%a: i64) -> i64 {\n  scf.yield\n  func.return %a : i64\n}",  # mid-block
        "func.func @f(%a: i64) -> i64 {\n  %c = arith.constant 7 : i1\n  func.return %a : i64\n}",
        "func.func @f(%a: i64) -> i64 {" + "\n" + " " * 40 + "func.return %a : i64\n}",
        "module {\n}",
    ],
)
def test_base_grammar_rejects(bad: str) -> None:
    assert gt.check(bad) is not None


def _unbounded_repeats(gbnf: str) -> list[str]:
    """`*`/`+` operators (or `{m,}`) outside string literals and character classes."""
    stripped = re.sub(r'"(?:[^"\\]|\\.)*"|\[(?:[^\]\\]|\\.)*\]', "", gbnf)
    return re.findall(r"[*+]|\{\d+,\}", stripped)


def test_gbnf_is_bounded_and_free_of_semicolons_and_backticks() -> None:
    mod, funcs = _funcs()
    for gbnf in (
        g.lark_to_gbnf(g.base_grammar()),
        g.specialize_gbnf(g.shape_of(funcs["f"], mod)),
        g.specialize_gbnf(g.shape_of(funcs["g"], mod)),
    ):
        assert _unbounded_repeats(gbnf) == []
        assert ";" not in gbnf and "`" not in gbnf
        assert gbnf.startswith("root ::= ")


def test_lark_to_gbnf_converts_every_construct() -> None:
    lark_text = (
        'start: a (", " a)~0..3 B? [C] d*\n'
        'a: "x" | /[a-c]{1,2}q?/ | ("(" a ")")~1..2\n'
        'd: "0".."9"\n'
        'B: "b"+\n'
        "C: /\\n[ ]{0,4}/\n"
    )
    gbnf = g.lark_to_gbnf(lark_text)
    rules = dict(line.split(" ::= ", 1) for line in gbnf.strip().splitlines())
    assert rules["root"] == "start"
    assert "{0,3}" in rules["start"] and "{1,2}" in rules["a"]
    assert "[a-c]" in rules["a"] and "[0-9]" in rules["d"]
    assert rules["b"] == '("b")+'
    assert rules["c"] == '("\\n" (" "){0,4})'


def _llama_cpp() -> types.ModuleType:
    """llama_cpp, or a skip of just the test that needs it (the rest of the file is pure
    Python and must run without it)."""
    return pytest.importorskip("llama_cpp")


def test_gbnf_loads_in_llama_cpp() -> None:
    mod, funcs = _funcs()
    for gbnf in (
        g.lark_to_gbnf(g.base_grammar()),
        g.specialize_gbnf(g.shape_of(funcs["f"], mod)),
        g.specialize_gbnf(g.shape_of(funcs["g"], mod), ops={"arith.addi", "scf.if"}),
    ):
        assert _llama_cpp().LlamaGrammar.from_string(gbnf, verbose=False) is not None


def test_shape_of_reads_header_names_and_callees() -> None:
    mod, funcs = _funcs()
    shape = g.shape_of(funcs["f"], mod)
    assert shape.header() == g._print(funcs["f"]).splitlines()[0].removesuffix(" {")
    assert shape.params == [("%a", "i64"), ("%b", "i64"), ("%m", "memref<8xi64>"), ("%x", "f64")]
    assert shape.results == ["i64", "f64"]
    assert shape.callees["helper"] == (["i64"], ["i64"]) and shape.callees["log"] == (["f64"], [])
    assert shape.blocks == ["^bb1", "^bb2"] and "%q" in shape.value_names


_VALUE = re.compile(r"%[A-Za-z0-9_]+")
_OP = re.compile(r"(?:^ *|= )([a-z]+\.[a-z_0-9]+)", re.M)


def _fuzz(lark_text: str, count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        text = gt.sample(lark_text, rng, max_repeat=2, max_depth=10)
        err = gt.xdsl_syntax_error(text)
        assert err is None, f"{err}\n--- sample ---\n{text}"
        out.append(text)
    return out


def test_fuzz_base_grammar_parses_with_xdsl() -> None:
    samples = _fuzz(g.base_grammar(), 400, seed=1)
    # The lark checker (relaxed bounds) agrees with the sampler on a subset.
    for text in samples[:40]:
        assert gt.check(text) is None, text


@pytest.mark.parametrize("fname,ops", [("f", None), ("g", None), ("g", {"arith.addi", "scf.if"})])
def test_fuzz_specialised_grammar(fname: str, ops: set[str] | None) -> None:
    mod, funcs = _funcs()
    shape = g.shape_of(funcs[fname], mod)
    lark_text = g.specialize(shape, ops)
    allowed_names = {n for n, _ in shape.params} | set(shape.value_names)
    allowed_ops = (set(ops) if ops else g.all_ops()) | {
        "func.return",
        "scf.yield",
        "scf.condition",
        "func.func",
    }
    for text in _fuzz(lark_text, 250, seed=len(fname) + len(ops or ())):
        assert text.startswith(shape.header() + " {\n")
        for name in _VALUE.findall(text):
            assert name in allowed_names or re.fullmatch(r"%v\d{1,2}", name), name
        used_ops = set(_OP.findall(text))
        assert used_ops <= allowed_ops, used_ops - allowed_ops
        for callee in re.findall(r"func\.call @(\w+)", text):
            assert callee in shape.callees
        if not re.search(r"\bcf\.", text) and shape.blocks == []:
            assert "^bb1" not in text
        assert ";" not in text and "`" not in text
    for text in _fuzz(lark_text, 10, seed=99):
        assert gt.check(text, lark_text) is None


def _type_mismatches(text: str) -> str | None:
    """xDSL parse where an undefined name takes the type of its first use, and a name must
    keep one type: reports only type mix-ups (block labels are tolerated like in syntax)."""
    from xdsl.ir import Block
    from xdsl.parser import Parser
    from xdsl.utils.exceptions import ParseError

    class TypeConsistency(Parser):
        def resolve_operand(self, operand, type):  # noqa: ANN001, ANN202, A002
            name = operand.operand_name
            if name in self.ssa_values:
                have = self.ssa_values[name][0].type
                if have != type:
                    self.raise_error(f"type mismatch: %{name} is {have}, used as {type}")
                return self.ssa_values[name][0]
            value = Block(arg_types=[type]).args[0]
            self.ssa_values[name] = (value,)
            return value

        def _register_ssa_definition(self, name, values, span):  # noqa: ANN001, ANN202
            if name in self.ssa_values and self.ssa_values[name][0].type != values[0].type:
                self.raise_error(f"type mismatch: %{name} redefined with another type")
            self.ssa_values[name] = tuple(values)

    try:
        TypeConsistency(make_context(), text).parse_module()
    except ParseError as err:
        return str(err) if "type mismatch" in str(err) else None
    except KeyError:  # a block label out of scope: not a type question
        return None
    return None


@pytest.mark.parametrize("fname", ["f", "g"])
def test_fuzz_typed_grammar_has_no_type_mixups(fname: str) -> None:
    mod, funcs = _funcs()
    shape = g.shape_of(funcs[fname], mod)
    typed = g.specialize_typed(shape)
    untyped_mixups = sum(
        _type_mismatches(text) is not None for text in _fuzz(g.specialize(shape), 60, seed=5)
    )
    assert untyped_mixups > 10  # the checker does catch mix-ups in the untyped language
    texts = _fuzz(typed, 200, seed=6)
    for text in texts:
        assert text.startswith(shape.header() + " {\n")
        assert _type_mismatches(text) is None, text
        for name in _VALUE.findall(text):
            assert name in shape.value_types or re.fullmatch(r"%v\d{1,2}_\w+", name), name
    for text in texts[:15]:  # a sub-language of the base grammar
        assert gt.check(text) is None, text
    gbnf = g.specialize_gbnf(shape, typed=True)
    assert _unbounded_repeats(gbnf) == [] and ";" not in gbnf and "`" not in gbnf
    assert _llama_cpp().LlamaGrammar.from_string(gbnf, verbose=False) is not None
