"""Scope-checked decoding of a hole's replacement, one line at a time.

A context-free grammar cannot say "an operand names a value defined earlier, of the type
this slot needs" or "a new name is fresh". A grammar regenerated at every statement
boundary can: `HoleDecoder` holds the scope (every value visible at the hole, and those the
answer has defined so far, with their types) and, for the next line, builds a grammar whose
operand slots list exactly the in-scope names of the slot's type, whose new names are the
next fresh `%hN`, and whose last line must define the hole's results (same names, same
types) or spell its terminator. The grammar also leaves out lines no repair needs (the
original again, under any name or with its operands swapped; arithmetic on two constants;
a value left unused at the end; for an operand hole, an answer that never reads the
operand, or touches memory); each rule is `HoleSpec` data, so the worker applies it too.
`forbids(text)` is the backstop where the grammar cannot say "not this literal" (a float,
or a second literal to avoid in one place).

The line grammar is a small structure (alternatives of literals, name sets and number
terminals), printed as GBNF for llama.cpp (`gbnf()`) and sampled directly in Python
(`sample_line()`) by the fuzz tests: the same object drives both. This module is plain
Python, no xDSL, so the model worker imports it cheaply; the spec crosses the process
boundary as JSON inside the grammar string (`HOLE_GRAMMAR` prefix), which is what keeps the
worker's and the in-process runner's answers byte-identical.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

# A runner's `grammar` argument that starts with this holds a JSON hole spec, not GBNF.
HOLE_GRAMMAR = "#neurojit-hole-v1\n"
# Stands for "a fresh name" in an alternative until the line is assembled: the next `%hN`,
# or a name the hole's own lines defined (the answer replaces them, so they are free).
LHS = "\x01"  # LHS + type + "\x02": a fresh name of that type


def _placeholder(ty: str) -> str:
    return f"{LHS}{ty}\x02"


_NAME = re.compile(r"%[A-Za-z0-9_]+")
# The line that closes the hole in the prompt: a hole with no result (a store, an
# assertion) ends with it, so "nothing" is an answer a model can spell (an end-of-text
# token straight after "Replacement:" is one a raw-completion model never samples).
HOLE_END = "// HOLE: to here"
_OP = re.compile(r"^\s*(?:%\w+ = )?([a-z_]+\.[a-z_]+)")

MAX_LINES = 10  # lines in one answer (a bounded answer cannot loop to max_tokens)
MAX_DEPTH = 2  # nested scf.if / scf.for inside the answer
MAX_FRAME_LINES = 6  # lines inside one nested region

INT_OPS = (
    "arith.addi", "arith.subi", "arith.muli", "arith.divsi", "arith.remsi", "arith.andi",
    "arith.ori", "arith.xori", "arith.maxsi", "arith.minsi",
)  # fmt: skip
FLOAT_OPS = ("arith.addf", "arith.subf", "arith.mulf", "arith.divf", "arith.maximumf")
IMPURE = ("memref.load", "memref.store", "func.call", "scf.for")
MATH_FLOAT = ("math.sqrt", "math.absf", "math.exp", "math.log")
CMPI = ("eq", "ne", "slt", "sle", "sgt", "sge", "ult", "ule", "ugt", "uge")
CMPF = ("oeq", "one", "olt", "ole", "ogt", "oge")
# Literal terminals: digits bounded so every literal fits its type.
TERMS = {
    "INT2": ("-?", 1, 2),
    "INT4": ("-?", 1, 4),
    "INT9": ("-?", 1, 9),
    "INT18": ("-?", 1, 18),
}
_INT_TERM = {"i8": "INT2", "i16": "INT4", "i32": "INT9", "i64": "INT18", "index": "INT18"}


@dataclass(frozen=True)
class Names:
    """An operand slot: one of these names (in scope, of one type)."""

    names: tuple[str, ...]


@dataclass(frozen=True)
class Distinct:
    """Two different names of `names`, joined by `sep` (`x op x` is a no-op or a constant:
    never what a repair needs, and a small model's way of filling a slot)."""

    names: tuple[str, ...]
    sep: str
    # Constants: a pair of two of them folds to a constant (for arithmetic and compares;
    # a select between two constants is a choice, and keeps them).
    constants: frozenset[str] = frozenset()

    def options(self) -> list[str]:
        return [
            f"{a}{self.sep}{b}"
            for a in self.names
            for b in self.names
            if a != b and not (a in self.constants and b in self.constants)
        ]


@dataclass(frozen=True)
class Term:
    """A literal terminal: INT2/4/9/18, FLOAT or BOOL; never `avoid` (the original hole's
    literal, when the rest of the line is the original's: `%c = arith.constant 0` may
    not come back as itself)."""

    name: str
    avoid: str = ""


Part = str | tuple[str, ...] | Names | Distinct | Term
Alt = tuple[Part, ...]


def _is_int(t: str) -> bool:
    return re.fullmatch(r"i\d+", t) is not None


def _is_float(t: str) -> bool:
    return t in ("f16", "f32", "f64")


def _is_scalar(t: str) -> bool:
    return _is_int(t) or _is_float(t) or t == "index"


def memref_parts(t: str) -> tuple[int, str, bool]:
    """(rank, element type, static) of `memref<4x?xf64>`."""
    dims = t[len("memref<") : -1].split("x")
    return len(dims) - 1, dims[-1], "?" not in dims[:-1]


def result_type(line: str) -> str | None:
    """The type of the value a completed answer line defines (None if it defines none).
    Lines come from the grammar below, so these few shapes are all there is."""
    line = line.strip()
    if not re.match(r"%\w+ = ", line):
        return None
    m = re.search(r"-> \(([^)]*)\) \{$", line)
    if m:
        return m.group(1)
    if line.endswith((" = arith.constant true", " = arith.constant false")):
        return "i1"
    if " = arith.cmpi " in line or " = arith.cmpf " in line:
        return "i1"
    if " = memref.dim " in line:
        return "index"
    if " = memref.load " in line:
        return memref_parts(line.rsplit(" : ", 1)[1])[1]
    if " = func.call " in line:
        return line.rsplit("-> ", 1)[1]
    m = re.search(r" to (\S+)$", line)
    if m and re.search(r" : \S+ to \S+$", line):
        return m.group(1)
    return line.rsplit(" : ", 1)[1]


@dataclass
class Frame:
    """A region the answer has opened: `scf.if` (then/else) or `scf.for`."""

    kind: str  # "then", "else", "for"
    yields: tuple[str, ...]  # types its terminator yields (empty: no scf.yield line)
    scope: list[tuple[str, str]] = field(default_factory=list)  # defined inside
    lines: int = 0
    rhs: list[str] = field(default_factory=list)  # right-hand sides computed inside
    yielded: bool = False  # its scf.yield is written: only the closing line may follow
    defines: tuple[str, str] | None = None  # the (name, type) the op defines, added on close
    run: tuple[str, int] = ("", 0)  # the op of its last lines, and how many in a row


@dataclass
class HoleSpec:
    """What the decoder needs to know about one hole (JSON-serialisable)."""

    scope: list[tuple[str, str]]  # values visible at the hole, in definition order
    results: list[tuple[str, str]]  # the hole's results, defined by the last line
    terminator: str = ""  # "func.return" / "scf.yield" when the hole is the block's terminator
    terminator_types: list[str] = field(default_factory=list)
    original: str = ""  # the hole's own text in answer form (forbidden as the answer)
    fresh: str = "%h"  # prefix of new names: %h1, %h2, ...
    callees: list[tuple[str, list[str], list[str]]] = field(default_factory=list)
    max_lines: int = MAX_LINES
    max_depth: int = MAX_DEPTH
    max_frame_lines: int = MAX_FRAME_LINES
    # Names the hole's own ops define (not its results), with their types: a new value of
    # that type may take one of them, so a model copying the lines it keeps need not
    # rename them. The whole-function hole frees every name of the body.
    names: list[tuple[str, str]] = field(default_factory=list)
    min_lines: int = 0  # lines before the terminator may come (the whole-function hole)
    # Lines in a row with the same op, at one level (a small model's loop is the same op
    # again and again: `%h7 = arith.constant 7`, `%h8 = func.call @f(%h7)`, ...).
    max_run: int = 3
    # At most this many values the answer defined and has not used yet, at its top level
    # (0: no limit); then a line must use one, and so must the last line. A repair's new
    # values all feed the result; a small model's drift is constants nothing reads.
    max_pending: int = 0
    # Values the answer must read before (or in) its last line: an operand hole's operand.
    must_read: list[str] = field(default_factory=list)
    # Names in scope that are constants (see Distinct).
    constants: list[str] = field(default_factory=list)
    # The answer computes a value and nothing else: no loads, stores, calls or loops (an
    # operand hole; a load there is how a small model repeats the faulting access).
    pure: bool = False

    def to_json(self) -> str:
        return json.dumps(self.__dict__, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> HoleSpec:
        data = json.loads(text)
        return cls(
            scope=[(str(n), str(t)) for n, t in data["scope"]],
            results=[(str(n), str(t)) for n, t in data["results"]],
            terminator=str(data.get("terminator", "")),
            terminator_types=[str(t) for t in data.get("terminator_types", [])],
            original=str(data.get("original", "")),
            fresh=str(data.get("fresh", "%h")),
            callees=[(str(n), list(a), list(r)) for n, a, r in data.get("callees", [])],
            max_lines=int(data.get("max_lines", MAX_LINES)),
            max_depth=int(data.get("max_depth", MAX_DEPTH)),
            max_frame_lines=int(data.get("max_frame_lines", MAX_FRAME_LINES)),
            names=[(str(n), str(t)) for n, t in data.get("names", [])],
            min_lines=int(data.get("min_lines", 0)),
            max_run=int(data.get("max_run", 3)),
            max_pending=int(data.get("max_pending", 0)),
            must_read=[str(n) for n in data.get("must_read", [])],
            constants=[str(n) for n in data.get("constants", [])],
            pure=bool(data.get("pure", False)),
        )

    def grammar_string(self) -> str:
        """The runner's `grammar` argument for this hole."""
        return HOLE_GRAMMAR + self.to_json()


def spec_of_grammar(grammar: str | None) -> HoleSpec | None:
    if grammar and grammar.startswith(HOLE_GRAMMAR):
        return HoleSpec.from_json(grammar[len(HOLE_GRAMMAR) :])
    return None


class HoleDecoder:
    """The state of one answer being decoded: feed it complete lines, ask for the next
    line's grammar. `done` once the hole's results (or its terminator) are defined."""

    def __init__(self, spec: HoleSpec) -> None:
        self.spec = spec
        self.frames: list[Frame] = []
        self.defined: list[tuple[str, str]] = []  # top-level values the answer defined
        self.counter = 0
        self.rhs: list[str] = []  # right-hand sides computed at the top level
        self.lines = 0
        self.done = False
        self.text = ""
        self.taken: set[str] = set()  # every name the answer defined, in any region
        self.run: tuple[str, int] = ("", 0)  # top level: the last lines' op, in a row
        self.pending: list[str] = []  # top-level values defined and not used yet
        self.read: set[str] = set()  # every name the answer's lines read
        self.cap: int | None = None  # lines the runner's token cap leaves (cap_lines)
        self.constants: set[str] = set(spec.constants)  # and those the answer defined
        self._cache: dict[str, Any] = {}

    # ------------------------------------------------------------------ scope
    def visible(self) -> list[tuple[str, str]]:
        seen = [*self.spec.scope, *self.defined]
        for frame in self.frames:
            seen += frame.scope
        return seen

    def _by_type(self) -> dict[str, tuple[str, ...]]:
        out: dict[str, list[str]] = {}
        for name, typ in self.visible():
            out.setdefault(typ, []).append(name)
        return {t: tuple(n) for t, n in out.items()}

    def _fresh(self, k: int = 1) -> str:
        return f"{self.spec.fresh}{self.counter + k}"

    # ------------------------------------------------------------------ grammar
    def _types(self, vals: dict[str, tuple[str, ...]]) -> list[str]:
        """Scalar types a new value may take: what the scope and results mention."""
        found = ["i1", "index"]
        for t in [*vals, *(t for _, t in self.spec.results), *self.spec.terminator_types]:
            if t.startswith("memref<"):
                t = memref_parts(t)[1]
            if _is_scalar(t) and t not in found:
                found.append(t)
        return found

    def _define(
        self, lhs: str, ty: str, vals: dict[str, tuple[str, ...]], open_ok: bool
    ) -> list[Alt]:
        """Every op that defines `lhs` of type `ty` from the values in scope."""
        alts: list[Alt] = []
        head = f"{lhs} = "
        has = lambda t: t in vals  # noqa: E731
        v = lambda t: Names(vals[t])  # noqa: E731
        consts = frozenset(self.constants)
        two = lambda t: len(vals.get(t, ())) > 1  # noqa: E731
        # Two names of `t`, not both constants (arithmetic or a compare of constants folds).
        folds = lambda t: two(t) and any(n not in consts for n in vals[t])  # noqa: E731
        pair = lambda t: Distinct(vals[t], ", ", consts)  # noqa: E731
        choice = lambda t: Distinct(vals[t], ", ")  # noqa: E731
        if ty == "i1":
            alts.append((head + "arith.constant ", Term("BOOL")))
        elif _is_int(ty) or ty == "index":
            alts.append((head + "arith.constant ", Term(_INT_TERM.get(ty, "INT2")), f" : {ty}"))
        elif _is_float(ty):
            alts.append((head + "arith.constant ", Term("FLOAT"), f" : {ty}"))
        if (_is_int(ty) or ty == "index") and folds(ty):
            binops = INT_OPS if ty != "i1" else ("arith.andi", "arith.ori", "arith.xori")
            alts.append((head, binops, " ", pair(ty), f" : {ty}"))
        if _is_float(ty) and folds(ty):
            alts.append((head, FLOAT_OPS, " ", pair(ty), f" : {ty}"))
        if _is_float(ty) and has(ty):
            alts.append((head, MATH_FLOAT, " ", v(ty), f" : {ty}"))
        if ty == "i1":
            for t in vals:
                if (_is_int(t) or t == "index") and t != "i1" and folds(t):
                    alts.append((head + "arith.cmpi ", CMPI, ", ", pair(t), f" : {t}"))
                elif _is_float(t) and folds(t):
                    alts.append((head + "arith.cmpf ", CMPF, ", ", pair(t), f" : {t}"))
        if has("i1") and two(ty):
            alts.append((head + "arith.select ", v("i1"), ", ", choice(ty), f" : {ty}"))
        # Casts.
        for t in vals:
            if t == ty:
                continue
            if ty == "index" and _is_int(t) and t != "i1":
                alts.append((head + "arith.index_cast ", v(t), f" : {t} to index"))
            elif t == "index" and _is_int(ty) and ty != "i1":
                alts.append((head + "arith.index_cast ", v(t), f" : index to {ty}"))
            elif _is_int(t) and _is_int(ty):
                casts = (
                    ("arith.extsi", "arith.extui")
                    if int(t[1:]) < int(ty[1:])
                    else ("arith.trunci",)
                )
                alts.append((head, casts, " ", v(t), f" : {t} to {ty}"))
            elif _is_int(t) and t != "i1" and _is_float(ty):
                alts.append((head + "arith.sitofp ", v(t), f" : {t} to {ty}"))
            elif _is_float(t) and _is_int(ty) and ty != "i1":
                alts.append((head + "arith.fptosi ", v(t), f" : {t} to {ty}"))
            elif _is_float(t) and _is_float(ty):
                op = "arith.extf" if int(t[1:]) < int(ty[1:]) else "arith.truncf"
                alts.append((head + op + " ", v(t), f" : {t} to {ty}"))
        # Memrefs.
        for t in vals:
            if not t.startswith("memref<"):
                continue
            rank, elem, _ = memref_parts(t)
            if elem == ty and (rank == 0 or has("index")):
                idx: list[Part] = []
                for i in range(rank):
                    idx += [", "] if i else []
                    idx.append(v("index"))
                alts.append((head + "memref.load ", v(t), "[", *idx, f"] : {t}"))
            if ty == "index" and rank > 0 and has("index") and not memref_parts(t)[2]:
                # Only a dynamic size needs asking; a static one is a constant.
                alts.append((head + "memref.dim ", v(t), ", ", v("index"), f" : {t}"))
        # Calls with the callee's exact signature.
        for name, args, res in self.spec.callees:
            if len(res) == 1 and res[0] == ty and all(has(a) for a in args):
                call: list[Part] = []
                for i, a in enumerate(args):
                    call += [", "] if i else []
                    call.append(v(a))
                sig = f") : ({', '.join(args)}) -> {ty}"
                alts.append((head + f"func.call @{name}(", *call, sig))
        # A value chosen by a condition, computed in two regions.
        if open_ok and has("i1") and _is_scalar(ty) and has(ty):
            alts.append((head + "scf.if ", v("i1"), f" -> ({ty}) {{"))
        if open_ok and _is_scalar(ty) and has("index") and has(ty):
            alts.append(
                (head + "scf.for ", self._fresh(2), " = ", v("index"), " to ", v("index"),
                 " step ", v("index"), f" iter_args({self._fresh(3)} = ", v(ty),
                 f") -> ({ty}) {{")
            )  # fmt: skip
        return alts

    def _effects(self, vals: dict[str, tuple[str, ...]], open_ok: bool) -> list[Alt]:
        """Lines that define nothing: stores, guarded regions, loops."""
        alts: list[Alt] = []
        for t in vals:
            if not t.startswith("memref<"):
                continue
            rank, elem, _ = memref_parts(t)
            if elem in vals and (rank == 0 or "index" in vals):
                idx: list[Part] = []
                for i in range(rank):
                    idx += [", "] if i else []
                    idx.append(Names(vals["index"]))
                alts.append(
                    ("memref.store ", Names(vals[elem]), ", ", Names(vals[t]), "[", *idx,
                     f"] : {t}")
                )  # fmt: skip
        if open_ok and "i1" in vals:
            alts.append(("scf.if ", Names(vals["i1"]), " {"))
        if open_ok and "index" in vals:
            idx = Names(vals["index"])
            alts.append(("scf.for ", self._fresh(1), " = ", idx, " to ", idx, " step ", idx, " {"))
        return alts

    def _terminator(self, vals: dict[str, tuple[str, ...]]) -> list[Alt]:
        types = self.spec.terminator_types
        if not types:
            return [(self.spec.terminator,)]
        if not all(t in vals for t in types):
            return []
        parts: list[Part] = [self.spec.terminator + " "]
        for i, t in enumerate(types):
            parts += [", "] if i else []
            parts.append(Names(vals[t]))
        parts.append(" : " + ", ".join(types))
        return [tuple(parts)]

    def cap_lines(self, lines: int) -> None:
        """At most `lines` lines in all (the runner's token cap, in lines), if fewer than
        the spec allows."""
        self.cap = lines if self.cap is None else min(self.cap, lines)

    def _remaining(self) -> int:
        limit = self.spec.max_lines if self.cap is None else min(self.spec.max_lines, self.cap)
        return limit - self.lines

    def line_alternatives(self) -> tuple[list[Alt], bool]:
        """(alternatives for the next line, whether the answer may end here)."""
        if self.done:
            return [], True
        vals = self._by_type()
        depth = len(self.frames)
        # Budget: a line may be added only while every open region can still be closed
        # (yield, `} else {`, yield, `}`: 4 lines each) and the last line still fits.
        # One more line when the terminator has no value of its type at the top level yet
        # (values defined inside a region are gone when it closes).
        top = {t for _, t in [*self.spec.scope, *self.defined]}
        need = int(any(t not in top for t in self.spec.terminator_types))
        # Until the answer reads what it must, two lines stay in reserve (a constant, then
        # a last line that reads both), and no region opens (its lines eat the reserve).
        unread = [n for n in self.spec.must_read if n not in self.read]
        reserve = 2 if unread else 0
        room = self._remaining() > 4 * depth + 2 + need + reserve
        window = bool(unread) and not room and self._remaining() > 4 * depth + 2 + need
        open_ok = self._remaining() > 4 * (depth + 1) + 3 + need and depth < self.spec.max_depth
        open_ok = open_ok and not unread
        indent = "  " * depth
        alts: list[Alt] = []
        end = False

        def body() -> list[Alt]:
            out: list[Alt] = []
            for ty in self._types(vals):
                out += self._define(_placeholder(ty), ty, vals, open_ok)
            return out + self._effects(vals, open_ok)

        if self.frames:
            frame = self.frames[-1]
            outer = "  " * (depth - 1)
            if frame.yielded:
                return [(outer + ("} else {" if frame.kind == "then" else "}"),)], False
            if room and frame.lines < self.spec.max_frame_lines:
                alts += body()
            if frame.yields:
                y: list[Part] = ["scf.yield "]
                for i, t in enumerate(frame.yields):
                    y += [", "] if i else []
                    y.append(Names(vals[t]))
                alts.append((*y, " : " + ", ".join(frame.yields)))
            elif frame.lines > 0 or not alts:
                alts.append(("\x00}",))
                if frame.kind == "then" and self._remaining() > 4 * depth + 1:
                    alts.append(("\x00} else {",))
            alts = self._prune(alts)
        else:
            original = self.spec.original.rstrip("\n")
            finals = self._terminator(vals) if self.spec.terminator else []
            short = self.lines + 1 < self.spec.min_lines and self._remaining() > 3
            if short:
                finals = []  # too short yet: a whole body is not one `func.return %arg`
            if finals and original and "\n" not in original:
                finals = _exclude(finals, original)
            # (The spec's bound, not the token cap's: the cap is an estimate, and a line
            # over it beats an answer that cannot end.)
            hard = self.spec.max_lines - self.lines
            if self.spec.terminator and not finals and not short and hard >= 2:
                # Nothing but the original could be returned yet: first define a value the
                # terminator can use (so the answer can always finish).
                for ty in dict.fromkeys(self.spec.terminator_types):
                    alts += self._define(_placeholder(ty), ty, vals, False)
            elif room:
                lines = body()
                if self.spec.max_pending and len(self.pending) >= self.spec.max_pending:
                    # (Unless no line can read one: then one more value, not a dead end.)
                    lines = _require_use(lines, self.pending) or lines
                alts += lines
            elif window:
                # The reserve: a line that reads what the answer must, or a constant of its
                # type for the last line to combine it with.
                must = dict(self.spec.scope)
                alts += _require_use(body(), unread)
                for ty in dict.fromkeys(must[n] for n in unread if n in must):
                    alts += [
                        a
                        for a in self._define(_placeholder(ty), ty, vals, False)
                        if any(isinstance(x, Term) for x in a)
                    ][:1]
            alts = self._prune(alts)
            last: list[Alt] = []
            if self.spec.terminator:
                last = finals
            elif len(self.spec.results) == 1:
                name, ty = self.spec.results[0]
                last = self._define(name, ty, vals, open_ok)
            elif not (self.spec.max_pending and self.pending and room):
                end = True  # nothing to define: the answer may stop (even empty)
                last = [(HOLE_END,)]
            # Pruned before narrowed: each narrowing below falls back when nothing is left.
            last = self._prune(last)
            if unread and not end:
                # Not the last line before the answer reads what it must, while there is
                # room for another line (the answer can always end: out of room, any last
                # line will do, and validation judges it).
                last = _require_use(last, unread) or ([] if room or window else last)
            if self.spec.max_pending and self.pending and not end:
                # The last line reads every pending value (a repair's new values all feed
                # its result), else one, when it can (else it may not).
                every = last
                for name in self.pending:
                    every = _require_use(every, [name])
                last = every or _require_use(last, self.pending) or last
            alts += last
        alts = [self._fill_lhs(alt) for alt in alts]
        out: list[Alt] = []
        for alt in alts:
            first = alt[0]
            if isinstance(first, str) and first.startswith("\x00"):
                out.append(("  " * (depth - 1) + first[1:],))
            elif isinstance(first, str):
                out.append((indent + first, *alt[1:]))
            else:
                out.append((indent, *alt))
        return out, end

    def _prune(self, alts: list[Alt]) -> list[Alt]:
        """`alts` without the lines no answer needs (see each rule)."""
        original = self.spec.original.rstrip("\n")
        if "\n" in original:
            # A multi-line hole (a region, the whole function): when the answer so far is
            # the original's lines up to its last real one (the closing braces after it
            # are forced), renamed or not, that line (in the answer's names) may not follow.
            last = self._renamed_last()
            if last is not None:
                alts = _exclude(alts, last.strip())
        if not self.frames and original and "\n" not in original:
            # The original op, unchanged, may not come back at the hole's own level: not as
            # the whole answer, and not under another name (`%h1 = <the faulting op>`).
            # Inside a new region it may (a store or load guarded by an scf.if).
            alts = _exclude_op(alts, original)
        # Nor does a line compute what an earlier line at its level already computed (a
        # small model's favourite loop: the same op again under the next name).
        done = self.frames[-1].rhs if self.frames else self.rhs
        for rhs in done:
            alts = _exclude_rhs(alts, rhs)
        op, count = self.frames[-1].run if self.frames else self.run
        if op and count >= self.spec.max_run:
            alts = _drop_op(alts, op)
        if self.spec.pure:
            for impure in IMPURE:
                alts = _drop_op(alts, impure)
        return alts

    def _fill_lhs(self, alt: Alt) -> Alt:
        """`alt` with its LHS placeholder spelled: the next `%hN`, or a free name of the
        hole's own lines of the type this alternative defines."""
        first = alt[0] if alt else None
        if not isinstance(first, str) or not first.startswith(LHS):
            return alt
        ty, rest = first[len(LHS) :].split("\x02", 1)
        free = [n for n, t in self.spec.names if t == ty and n not in self.taken]
        names = (*free, self._fresh())
        return (names if len(names) > 1 else names[0], rest, *alt[1:])

    def _renamed_last(self) -> str | None:
        """The original's last line in the answer's names, when the answer so far is the
        original's other lines, renamed (else None)."""
        orig = self.spec.original.rstrip("\n").split("\n")
        while len(orig) > 1 and orig[-1].strip() == "}":
            orig.pop()
        mine = self.text.rstrip("\n").split("\n") if self.text else []
        if len(mine) != len(orig) - 1:
            return None
        mapping: dict[str, str] = {}
        for a, b in zip(orig, mine, strict=False):
            na, nb = _NAME.findall(a), _NAME.findall(b)
            if _NAME.sub("%", a) != _NAME.sub("%", b) or len(na) != len(nb):
                return None
            for x, y in zip(na, nb, strict=True):
                if mapping.setdefault(x, y) != y:
                    return None
        return _NAME.sub(lambda m: mapping.get(m.group(0), m.group(0)), orig[-1])

    def gbnf(self) -> str:
        """The GBNF of the next line (each alternative ends with a newline)."""
        alts, end = self.line_alternatives()
        key = repr((alts, end))
        if key in self._cache:
            return self._cache[key]
        rules: dict[str, str] = {}
        bodies = [_alt_gbnf(alt, rules) + ' "\\n"' for alt in alts]
        root = " | ".join(f"( {b} )" for b in bodies) if bodies else ""
        if end:
            root = f"( {root} )?" if root else '""'
        text = f"root ::= {root}\n" + "".join(f"{k} ::= {v}\n" for k, v in rules.items())
        self._cache = {key: text}
        return text

    # ------------------------------------------------------------------ state
    def feed(self, line: str) -> None:
        """Take one complete line of the answer (without its newline)."""
        self.text += line + "\n"
        self.lines += 1
        body = line.strip()
        for n in re.findall(re.escape(self.spec.fresh) + r"(\d+)\b", body):
            self.counter = max(self.counter, int(n))
        if body == HOLE_END and not self.frames:
            self.done = True
            return
        used = _NAME.findall(body.split(" = ", 1)[1] if re.match(r"%\w+ = ", body) else body)
        self.pending = [p for p in self.pending if p not in used]
        self.read.update(used)
        frame = self.frames[-1] if self.frames else None
        if frame is not None:
            frame.lines += 1
        m = _OP.match(body)
        if m is not None:
            last, count = frame.run if frame is not None else self.run
            run = (m.group(1), count + 1 if last == m.group(1) else 1)
            if frame is not None:
                frame.run = run
            else:
                self.run = run
        if not self.frames and self.spec.terminator and body.startswith(self.spec.terminator):
            self.done = True
            return
        if body.startswith("scf.yield"):
            assert frame is not None
            frame.yielded = True
            return
        if body in ("}", "} else {"):
            assert frame is not None
            if body == "} else {":
                frame.kind, frame.scope, frame.lines, frame.yielded = "else", [], 0, False
                frame.rhs = []
                return
            self.frames.pop()
            if frame.defines is not None:
                self._bind(*frame.defines)
            return
        try:
            typ = result_type(body)
        except IndexError:
            raise ValueError(f"no type in {body!r}") from None
        lhs = body.split(" = ", 1)[0] if typ is not None else None
        if body.endswith("{"):
            m = re.search(r"-> \(([^)]*)\) \{$", body)
            yields = (m.group(1),) if m else ()
            kind = "for" if body.startswith("scf.for") or " = scf.for " in body else "then"
            new = Frame(kind, yields, defines=(lhs, typ) if lhs and typ else None)
            if kind == "for":
                iv = re.search(r"scf\.for (%\w+) = ", body)
                acc = re.search(r"iter_args\((%\w+) = ", body)
                if iv:
                    new.scope.append((iv.group(1), "index"))
                if acc and m:
                    new.scope.append((acc.group(1), m.group(1)))
            self.frames.append(new)
            return
        if lhs is not None and typ is not None:
            if " = arith.constant " in body:
                self.constants.add(lhs)
            self._bind(lhs, typ)
            rhs = body.split(" = ", 1)[1]
            (self.frames[-1].rhs if self.frames else self.rhs).extend([rhs, *_twins(rhs)])

    def _bind(self, name: str, typ: str) -> None:
        self.taken.add(name)
        if self.frames:
            self.frames[-1].scope.append((name, typ))
            return
        self.pending.append(name)
        self.defined.append((name, typ))
        if len(self.spec.results) == 1 and name == self.spec.results[0][0]:
            self.done = True

    def forbids(self, text: str) -> bool:
        """Whether `text` (the whole answer so far) starts with the original hole."""
        original = self.spec.original
        return bool(original) and text.startswith(original)


COMMUTATIVE = (
    "arith.addi", "arith.muli", "arith.andi", "arith.ori", "arith.xori", "arith.maxsi",
    "arith.minsi", "arith.addf", "arith.mulf", "arith.maximumf",
)  # fmt: skip
SWAPPED = {"eq": "eq", "ne": "ne", "slt": "sgt", "sgt": "slt", "sle": "sge", "sge": "sle",
           "ult": "ugt", "ugt": "ult", "ule": "uge", "uge": "ule", "oeq": "oeq", "one": "one",
           "olt": "ogt", "ogt": "olt", "ole": "oge", "oge": "ole"}  # fmt: skip


def _twins(rhs: str) -> list[str]:
    """The same value with the operands swapped (`cmpi slt, a, b` is `cmpi sgt, b, a`): a
    small model's way of repeating a line the repeat rule would otherwise let through."""
    m = re.fullmatch(r"(arith\.cmp[if]) (\w+), (%\w+), (%\w+) : (\S+)", rhs)
    if m:
        op, pred, a, b, ty = m.groups()
        return [f"{op} {SWAPPED[pred]}, {b}, {a} : {ty}"] if pred in SWAPPED else []
    m = re.fullmatch(r"(arith\.\w+) (%\w+), (%\w+) : (\S+)", rhs)
    if m and m.group(1) in COMMUTATIVE:
        op, a, b, ty = m.groups()
        return [f"{op} {b}, {a} : {ty}"]
    return []


def _match(alt: Alt, line: str) -> list[str] | None:
    """The text each part of `alt` matched in `line` (None: `alt` cannot spell `line`)."""

    def go(i: int, pos: int) -> list[str] | None:
        if i == len(alt):
            return [] if pos == len(line) else None
        part = alt[i]
        options: list[str]
        if isinstance(part, str):
            options = [part]
        elif isinstance(part, tuple):
            options = list(part)
        elif isinstance(part, Names):
            options = list(part.names)
        elif isinstance(part, Distinct):
            options = part.options()
        else:
            m = re.match(r"-?[0-9.]+|true|false", line[pos:])
            options = [m.group(0)] if m and m.group(0) != part.avoid else []
        for option in options:
            if line.startswith(option, pos):
                rest = go(i + 1, pos + len(option))
                if rest is not None:
                    return [option, *rest]
        return None

    return go(0, 0)


def _lhs(alt: Alt) -> str | None:
    first = alt[0] if alt else None
    if isinstance(first, str) and " = " in first:
        return first.split(" = ", 1)[0]
    return None


def _exclude_rhs(alts: list[Alt], rhs: str) -> list[Alt]:
    out: list[Alt] = []
    for alt in alts:
        lhs = _lhs(alt)
        out += _exclude([alt], f"{lhs} = {rhs}") if lhs is not None else [alt]
    return out


def _require_use(alts: list[Alt], pending: Sequence[str]) -> list[Alt]:
    """`alts` restricted to lines that read at least one of `pending`: one alternative per
    operand slot, with that slot narrowed to the pending names."""
    out: list[Alt] = []
    for alt in alts:
        if any(isinstance(part, str) and set(_reads(part)) & set(pending) for part in alt):
            out.append(alt)  # a literal part reads one already (a prefix _exclude fixed)
            continue
        for i, part in enumerate(alt):
            narrowed: Part | None = None
            if isinstance(part, Names):
                keep = tuple(n for n in part.names if n in pending)
                narrowed = Names(keep) if keep else None
            elif isinstance(part, Distinct):
                pairs = tuple(
                    o for o in part.options() if any(p in pending for p in o.split(part.sep))
                )
                narrowed = pairs if pairs else None
            elif isinstance(part, tuple) and any(_NAME.match(o) for o in part):
                # A slot narrowed before (pairs of names): narrowed again.
                pairs = tuple(o for o in part if any(p in _NAME.findall(o) for p in pending))
                narrowed = pairs if pairs else None
            if narrowed is not None:
                out.append((*alt[:i], narrowed, *alt[i + 1 :]))
    return out


def _reads(text: str) -> list[str]:
    """The names a literal part of a line reads (a defined name, `%x = `, is not read)."""
    return _NAME.findall(re.sub(r"^\s*%[A-Za-z0-9_]+ = ", "", text))


def _drop_op(alts: list[Alt], op: str) -> list[Alt]:
    """`alts` without the lines of op `op` (its name is a literal or one choice of a part)."""
    out: list[Alt] = []
    for alt in alts:
        parts: list[Part] = []
        for part in alt:
            if isinstance(part, str) and re.search(r"(^|= |\s)" + re.escape(op) + r"[ (]", part):
                break
            if isinstance(part, tuple) and op in part:
                part = tuple(p for p in part if p != op)
                if not part:
                    break
            parts.append(part)
        else:
            out.append(tuple(parts))
    return out


def _exclude_op(alts: list[Alt], original: str) -> list[Alt]:
    """`alts` without the original op: the same line, or its right-hand side under any name."""
    if " = " not in original or original.lstrip().startswith(("scf.", "memref.store")):
        return _exclude(alts, original)
    return _exclude_rhs(alts, original.split(" = ", 1)[1])


def _exclude(alts: list[Alt], line: str) -> list[Alt]:
    """`alts` without the string `line`: an alternative that spells it is split at each
    choice into "same choices so far, another one here" (an alternative with a number in
    it is kept as well; the decoder's `forbids` check covers that case)."""
    out: list[Alt] = []
    for alt in alts:
        matched = _match(alt, line)
        if matched is None:
            out.append(alt)
            continue
        if any(isinstance(p, Term) and p.name == "FLOAT" for p in alt):
            out.append(alt)  # a float literal is left to the decoder's `forbids`
        for i, part in enumerate(alt):
            if isinstance(part, Term) and part.name != "FLOAT":
                if part.avoid:
                    out.append(alt)  # one literal avoided per place: a second, to `forbids`
                else:  # same choices so far, this literal anything but the original's
                    prefix = "".join(matched[:i])
                    out.append((prefix, Term(part.name, matched[i]), *alt[i + 1 :]))
                continue
            choices: tuple[str, ...] | None = None
            if isinstance(part, tuple):
                choices = part
            elif isinstance(part, Names):
                choices = part.names
            elif isinstance(part, Distinct):
                choices = tuple(part.options())
            if choices is None:
                continue
            others = tuple(c for c in choices if c != matched[i])
            if others:
                prefix = "".join(matched[:i])
                out.append((prefix, others, *alt[i + 1 :]))
    return out


def _escape(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _alt_gbnf(alt: Alt, rules: dict[str, str]) -> str:
    out: list[str] = []
    for part in alt:
        if isinstance(part, str):
            if part:
                out.append(_escape(part))
        elif isinstance(part, tuple):
            out.append("( " + " | ".join(_escape(p) for p in part) + " )")
        elif isinstance(part, Distinct):
            seconds = {
                a: [b for b in part.names if b != a and not {a, b} <= part.constants]
                for a in part.names
            }
            body = " | ".join(
                f"{_escape(a + part.sep)} ( " + " | ".join(_escape(b) for b in bs) + " )"
                for a, bs in seconds.items()
                if bs
            )
            name = next((k for k, v in rules.items() if v == body), "d" + str(len(rules)))
            rules[name] = body
            out.append(name)
        elif isinstance(part, Names):
            name = "v" + str(len(rules))
            body = " | ".join(_escape(n) for n in part.names)
            for k, v in rules.items():
                if v == body:
                    name = k
                    break
            rules[name] = body
            out.append(name)
        else:
            out.append(_term_gbnf(part.name, part.avoid))
    return " ".join(out) or '""'


def _term_gbnf(name: str, avoid: str = "") -> str:
    if name == "BOOL":
        return '( "true" | "false" )' if not avoid else _escape(({"true", "false"} - {avoid}).pop())
    if name == "FLOAT":
        return '"-"? [0-9]{1,6} "." [0-9]{1,6}'  # (a float is left to `forbids`)
    sign, lo, hi = TERMS[name]
    if not re.fullmatch(r"-?[0-9]+", avoid or "x"):
        return f'"-"? [0-9]{{{lo},{hi}}}'
    return _int_except(avoid, hi)


def _int_except(avoid: str, hi: int) -> str:
    """GBNF of `"-"? [0-9]{1,hi}` without the one string `avoid`: the other sign, or the
    same sign and digits that part from avoid's at some place (shorter, longer, another
    digit)."""
    sign, digits = ("-", avoid[1:]) if avoid.startswith("-") else ("", avoid)
    other = '"-" ' if not sign else ""
    alts = [f"{other}[0-9]{{1,{hi}}}"]
    head = _escape(sign) + " " if sign else ""
    for i, d in enumerate(digits):
        prefix = head + (_escape(digits[:i]) + " " if i else "")
        rest = hi - i - 1
        tail = f" [0-9]{{0,{rest}}}" if rest > 0 else ""
        alts.append(f"{prefix}[{_not_digit(d)}]{tail}")
        if i:
            alts.append(prefix.rstrip())  # shorter: the first i digits
    if len(digits) < hi:
        alts.append(f"{head}{_escape(digits)} [0-9]{{1,{hi - len(digits)}}}")
    return "( " + " | ".join(alts) + " )"


def _not_digit(d: str) -> str:
    return "".join(c for c in "0123456789" if c != d)


def _term_sample(name: str, rng: random.Random, avoid: str = "") -> str:
    while True:
        text = _term_draw(name, rng)
        if text != avoid:
            return text


def _term_draw(name: str, rng: random.Random) -> str:
    if name == "BOOL":
        return rng.choice(("true", "false"))
    if name == "FLOAT":
        return f"{rng.choice(('', '-'))}{rng.randint(0, 999)}.{rng.randint(0, 99)}"
    _, lo, hi = TERMS[name]
    digits = "".join(rng.choice("0123456789") for _ in range(rng.randint(lo, hi)))
    return rng.choice(("", "-")) + digits


def sample_line(alts: Sequence[Alt], rng: random.Random) -> str:
    """One line drawn from the alternatives (no newline)."""
    alt = rng.choice(list(alts))
    out: list[str] = []
    for part in alt:
        if isinstance(part, str):
            out.append(part)
        elif isinstance(part, tuple):
            out.append(rng.choice(part))
        elif isinstance(part, Names):
            out.append(rng.choice(part.names))
        elif isinstance(part, Distinct):
            out.append(rng.choice(part.options()))
        else:
            out.append(_term_sample(part.name, rng, part.avoid))
    return "".join(out)


def sample_answer(spec: HoleSpec, rng: random.Random, stop: float = 0.3) -> str:
    """A random answer for `spec`, drawn line by line exactly as the model is constrained
    (the fuzz tests splice thousands of these)."""
    decoder = HoleDecoder(spec)
    for _ in range(spec.max_lines + 2):
        alts, end = decoder.line_alternatives()
        if decoder.done or (end and (not alts or rng.random() < stop)):
            if not decoder.forbids(decoder.text) or decoder.text != spec.original:
                break
        if not alts:
            break
        for _ in range(50):
            line = sample_line(alts, rng)
            if not decoder.forbids(decoder.text + line + "\n"):
                break
        else:
            raise ValueError("every sampled line repeats the original hole")
        decoder.feed(line)
    if not decoder.done and not decoder.line_alternatives()[1]:
        raise ValueError(f"the answer did not finish: {decoder.text!r}")
    return decoder.text
