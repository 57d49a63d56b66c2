"""Grammar helpers for tests and benchmarks (not used by NeuroJIT itself).

- `check(text, lark_text)`: is the text in the grammar's language (lark's Earley parser);
- `sample(lark_text, rng)`: a random string of the language (the fuzz tests draw from it);
- `xdsl_syntax_error(text)`: does xDSL's parser accept the text as syntax.
"""

from __future__ import annotations

import random
import re
import re._constants as sre_c  # Python 3.11+: the regex parser lives in re._parser
import re._parser as sre_parse
from collections.abc import Iterable
from functools import cache
from typing import Any

from lark import Lark, Token, Tree
from lark.grammar import NonTerminal, Terminal

from neurojit.errors import NeuroJITError
from neurojit.llm_pass.grammar import base_grammar, lark_regex, lark_string, parse_lark

_RANGE = re.compile(r"~\s*([01])\s*\.\.\s*\d+")


def relax_bounds(lark_text: str) -> str:
    """`x~0..n` -> `x*`, `x~1..n` -> `x+`. lark expands a range into n alternatives (nested
    ranges multiply: the bounded grammar took >13 GB in Earley), so the Python checker uses
    the unbounded form; the bounds matter only for sampling, where GBNF keeps them."""
    return _RANGE.sub(lambda m: "*" if m.group(1) == "0" else "+", lark_text)


@cache
def _lark_parser(lark_text: str) -> Lark:
    return Lark(relax_bounds(lark_text), parser="earley", lexer="dynamic")


def check(text: str, lark_text: str | None = None) -> str | None:
    """None if `text` is in the grammar's language, else a one-line reason."""
    from lark.exceptions import LarkError, UnexpectedInput

    try:
        _lark_parser(lark_text or base_grammar()).parse(text)
    except UnexpectedInput as err:
        return f"line {err.line}:{err.column}: not in the accepted MLIR subset"
    except LarkError as err:
        return str(err).splitlines()[0]
    return None


# ----------------------------------------------------------------------------- sampling


class _Sampler:
    """Random derivations of a lark grammar; deep recursion falls back to the shortest way
    out so every draw terminates."""

    def __init__(self, lark_text: str, rng: random.Random, max_depth: int, max_repeat: int):
        rules, terms = parse_lark(lark_text)
        self.defs: dict[str, Tree] = dict(rules + terms)
        self.rng = rng
        self.max_depth = max_depth
        self.max_repeat = max_repeat
        self.height: dict[str, float] = {name: float("inf") for name in self.defs}
        for _ in range(len(self.defs) + 1):  # fixed point: min derivation height per name
            for name, tree in self.defs.items():
                self.height[name] = min(self.height[name], 1 + self._h(tree))

    def _h(self, node: Any) -> float:
        if isinstance(node, (NonTerminal, Terminal)):
            return self.height[node.name]
        if isinstance(node, Token):
            return 0
        kind = node.data
        if kind == "expansions":
            return min(self._h(c) for c in node.children)
        if kind == "expansion":
            return max((self._h(c) for c in node.children), default=0)
        if kind == "expr":
            op = str(node.children[1])
            lo = int(node.children[2]) if op == "~" else (1 if op == "+" else 0)
            return self._h(node.children[0]) if lo else 0
        if kind == "maybe":
            return 0
        if kind in ("value", "alias"):
            return self._h(node.children[0])
        return 0

    def gen(self, node: Any, depth: int) -> str:
        if isinstance(node, (NonTerminal, Terminal)):
            return self.gen(self.defs[node.name], depth + 1)
        kind = node.data
        deep = depth > self.max_depth
        if kind == "expansions":
            alts = node.children
            if deep:
                best = min(self._h(a) for a in alts)
                alts = [a for a in alts if self._h(a) == best]
            return self.gen(self.rng.choice(alts), depth)
        if kind == "expansion":
            return "".join(self.gen(c, depth) for c in node.children)
        if kind in ("value", "alias"):
            return self.gen(node.children[0], depth)
        if kind == "literal":
            tok = str(node.children[0])
            if tok.startswith("/"):
                return self._regex(sre_parse.parse(lark_regex(tok)))
            return lark_string(tok)
        if kind == "range":
            a, b = (ord(lark_string(str(t))) for t in node.children)
            return chr(self.rng.randint(a, b))
        if kind == "maybe":
            return "" if deep or self.rng.random() < 0.5 else self.gen(node.children[0], depth)
        if kind == "expr":
            op = str(node.children[1])
            if op == "~":
                lo = int(node.children[2])
                hi = int(node.children[3]) if len(node.children) > 3 else lo
            else:
                lo, hi = {"?": (0, 1), "*": (0, None), "+": (1, None)}[op]
            count = lo if deep else self._count(lo, hi)
            return "".join(self.gen(node.children[0], depth) for _ in range(count))
        raise ValueError(kind)

    def _count(self, lo: int, hi: int | None) -> int:
        top = lo + self.max_repeat if hi is None else min(hi, lo + self.max_repeat)
        # Mostly small counts, sometimes the bound itself so the limits get exercised.
        if hi is not None and self.rng.random() < 0.05:
            return hi
        return self.rng.randint(lo, top)

    def _regex(self, items: Iterable[tuple[Any, Any]]) -> str:
        out = []
        for op, av in items:
            if op is sre_c.LITERAL:
                out.append(chr(av))
            elif op is sre_c.IN:
                chars: list[str] = []
                for iop, iav in av:
                    if iop is sre_c.LITERAL:
                        chars.append(chr(iav))
                    elif iop is sre_c.RANGE:
                        chars.extend(chr(c) for c in range(iav[0], iav[1] + 1))
                    elif iop is sre_c.CATEGORY and iav is sre_c.CATEGORY_DIGIT:
                        chars.extend("0123456789")
                    else:
                        raise ValueError("sampler: unsupported class item")
                out.append(self.rng.choice(chars))
            elif op is sre_c.MAX_REPEAT:
                lo, hi, sub = av
                n = self._count(lo, None if hi == sre_c.MAXREPEAT else hi)
                out.extend(self._regex(sub) for _ in range(n))
            elif op is sre_c.SUBPATTERN:
                out.append(self._regex(av[-1]))
            elif op is sre_c.BRANCH:
                out.append(self._regex(self.rng.choice(av[1])))
            else:
                raise ValueError(f"sampler: unsupported regex construct {op}")
        return "".join(out)


def sample(
    lark_text: str,
    rng: random.Random,
    *,
    start: str = "start",
    max_depth: int = 12,
    max_repeat: int = 4,
) -> str:
    """One random string of the grammar's language."""
    sampler = _sampler(lark_text, max_depth, max_repeat)
    sampler.rng = rng
    return sampler.gen(NonTerminal(start), 0)


@cache
def _sampler(lark_text: str, max_depth: int, max_repeat: int) -> _Sampler:
    return _Sampler(lark_text, random.Random(0), max_depth, max_repeat)


# ----------------------------------------------------------------------------- xDSL syntax


@cache
def _syntax_context() -> Any:
    from neurojit.ir import make_context

    return make_context()


def xdsl_syntax_error(text: str) -> str | None:
    """None if xDSL's parser accepts `text` as syntax, else its error.

    Name and type *resolution* is not syntax: a grammar cannot know which value has which
    type, and the validator rejects those candidates with a reason. So this parser gives
    every use a fresh value of the type written at the use, and lets a name be redefined.
    Dangling or repeated block labels are resolution too: a use never waits for a label,
    and a repeated label simply starts a new block.
    """
    from xdsl.parser import Parser
    from xdsl.utils.exceptions import ParseError

    from neurojit.limits import fix_string_lexer, prescan

    fix_string_lexer()
    try:
        prescan(text, "<answer>")
    except NeuroJITError as err:
        return err.message

    class SyntaxOnlyParser(Parser):
        def resolve_operand(self, operand: Any, type: Any) -> Any:  # noqa: A002
            from xdsl.ir import Block

            return Block(arg_types=[type]).args[0]

        def _register_ssa_definition(self, name: str, values: Any, span: Any) -> None:
            self.ssa_values[name] = tuple(values)

        def parse_optional_successor(self) -> Any:
            from xdsl.ir import Block
            from xdsl.utils.mlir_lexer import MLIRTokenKind

            token = self._parse_optional_token(MLIRTokenKind.CARET_IDENT)
            if token is None:
                return None
            name = token.text[1:]  # a use; never "dangling" here
            if name not in self.blocks:
                self.blocks[name] = (Block(), None)
            return self.blocks[name][0]

        def _parse_block(self) -> Any:
            from xdsl.ir import Block
            from xdsl.utils.mlir_lexer import MLIRTokenKind

            token = self._parse_token(MLIRTokenKind.CARET_IDENT, " in block definition")
            block = Block()  # a label may repeat: each definition is its own block
            self.blocks[token.text[1:]] = (block, token.span)
            self._parse_optional_block_arg_list(block)
            self.parse_punctuation(":")
            self._parse_block_body(block)
            return block

    try:
        SyntaxOnlyParser(_syntax_context(), text).parse_module()
    except ParseError as err:
        return str(err)
    except Exception as err:  # noqa: BLE001 - an op's own parse may raise anything
        return f"{type(err).__name__}: {err}"
    return None
