"""Random, well-typed, terminating MLIR programs for differential testing against MLIR 19.

Every program has `func.func @main() -> i64` and uses only the subset NeuroJIT lowers:
arith (integer and float), math, scf (for/if/while), cf (br/cond_br/switch), func (calls,
recursion, several results) and memref (alloc/alloca, static and dynamic, load/store, dim,
global + get_global, subview, cast, dealloc). Output is deterministic from the seed.

The programs are built so that both paths must agree bit for bit, i.e. they have no
undefined behaviour and no rounding-sensitive output:
- divisors are replaced by a constant when they are 0 or -1 (so no INT_MIN / -1 either);
- shift amounts are masked to `width - 1`;
- memref indices are reduced with `remui` by the dimension's size, and every element is
  stored before it is loaded;
- floats never become NaN or infinite: magnitudes are tracked per value and clamped
  (maximumf/minimumf) to 1e6 before they could overflow; sqrt sees |x|, divisors are
  |d| + 1, exp sees [-20, 20];
- floats reach the i64 result as `fptosi(x * 256)`, so a last-ulp difference between libm
  and LLVM's constant folder of a transcendental (only used on f64) changes the result only
  if it crosses an integer boundary, a chance of about 1e-9 per program;
- loops have small trip counts (scf.for, scf.while and cf loops) and recursion is bounded.

This module imports nothing from neurojit: it judges neurojit, so it must not share code.
Run as a script to (re)generate the seed corpus; see `main()`.
"""

from __future__ import annotations

import argparse
import functools
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

INT_TYPES = ("i8", "i16", "i32", "i64", "index")
FLOAT_TYPES = ("f32", "f64")
WIDTH = {"i1": 1, "i8": 8, "i16": 16, "i32": 32, "i64": 64, "index": 64}
CMPI_PREDICATES = ("eq", "ne", "slt", "sle", "sgt", "sge", "ult", "ule", "ugt", "uge")
CMPF_PREDICATES = (
    "false", "oeq", "ogt", "oge", "olt", "ole", "one", "ord",
    "ueq", "ugt", "uge", "ult", "ule", "une", "uno", "true",
)  # fmt: skip
# Floats are kept at most this large wherever they could grow further (mulf, loops).
CLAMP = 1.0e6
# The bound of a float nothing is known about: it gets clamped before any use that could grow.
UNBOUNDED = 1.0e300
# Transcendental functions only on f64: f32 results from sinf/expf differ too easily
# between libm and a constant folder for a quantized compare to be safe.
F64_MATH = ("sqrt", "absf", "floor", "ceil", "exp", "sin", "cos")
F32_MATH = ("sqrt", "absf", "floor", "ceil")


# Marks ops that keep a program UB-free and terminating (masks, safe divisors, clamps,
# loop counters, fills); tests/differential/reduce.py leaves these lines alone.
GUARD = "  // guard"

F = TypeVar("F", bound=Callable[..., Any])


def guarded(method: F) -> F:
    """Every op the method emits is a guard."""

    @functools.wraps(method)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        self.guarding += 1
        try:
            return method(self, *args, **kwargs)
        finally:
            self.guarding -= 1

    return wrapper  # type: ignore[return-value]


def _layout(ref: MemRef) -> tuple[str, str]:
    """(stride, offset) of a rank-1 memref as written in its type, "?" when dynamic."""
    match = re.match(r", strided<\[([^\]]+)\], offset: ([^>]+)>", ref.layout)
    return (match.group(1), match.group(2)) if match else ("1", "0")


def _signed(value: int, width: int) -> int:
    """`value` wrapped to a two's complement `width`-bit integer."""
    value &= (1 << width) - 1
    return value - (1 << width) if value >> (width - 1) else value


@dataclass
class MemRef:
    """A memref SSA value and what the generator knows about it."""

    name: str
    elem: str
    shape: list[int | None]  # None for a dynamic dimension
    sizes: list[str]  # index SSA values holding each dimension's size
    layout: str = ""  # e.g. ", strided<[1], offset: ?>"
    writable: bool = True

    @property
    def type(self) -> str:
        dims = "x".join("?" if d is None else str(d) for d in self.shape)
        return f"memref<{dims}x{self.elem}{self.layout}>"


@dataclass
class Scope:
    """The values visible at a point: a scope inherits its parent's values by copy."""

    values: dict[str, list[str]] = field(default_factory=dict)
    memrefs: list[MemRef] = field(default_factory=list)
    # Constants with a chosen value, reused while visible: (type, value) -> SSA name.
    consts: dict[tuple[str, str], str] = field(default_factory=dict)

    def child(self) -> Scope:
        values = {t: list(v) for t, v in self.values.items()}
        return Scope(values, list(self.memrefs), dict(self.consts))

    def add(self, name: str, ty: str) -> None:
        self.values.setdefault(ty, []).append(name)


@dataclass
class Helper:
    """A function main (or a later helper) may call."""

    name: str
    params: list[str]
    results: list[str]
    kind: str  # "plain", "cf", "rec", "sum" (memref in), "make" (memref out)


class FunctionBuilder:
    """Emits one function's body; knows its scopes, value bounds and indentation."""

    def __init__(self, gen: ProgramGenerator, name: str) -> None:
        self.gen = gen
        self.rng = gen.rng
        self.name = name
        self.lines: list[str] = []
        self.indent = 1
        self.scope = Scope()
        self.depth = 0  # region nesting depth
        self.owned: list[MemRef] = []  # allocations to free before returning
        self.bound: dict[str, float] = gen.bound
        self.guarding = 0  # > 0 while a guarded() method runs

    # -- emission helpers ------------------------------------------------------------

    def emit(self, text: str, guard: bool = False) -> None:
        # A guard keeps the program free of UB or bounded; reduce.py never removes one.
        marker = GUARD if guard or self.guarding else ""
        self.lines.append("  " * self.indent + text + marker)

    def fresh(self) -> str:
        return self.gen.fresh()

    def new(self, ty: str, rhs: str, bound: float | None = None, guard: bool = False) -> str:
        name = self.fresh()
        self.emit(f"{name} = {rhs}", guard)
        self.scope.add(name, ty)
        if bound is not None:
            self.bound[name] = bound
        elif ty in FLOAT_TYPES:
            self.bound[name] = UNBOUNDED
        return name

    def const(self, ty: str, value: int | float | bool | None = None) -> str:
        """A constant; `value` None picks an interesting one. Constants are not pooled."""
        key = (ty, repr(value))
        if value is not None and key in self.scope.consts:
            return self.scope.consts[key]
        name = self.fresh()
        if value is not None:
            self.scope.consts[key] = name
        if ty == "i1":
            value = self.rng.random() < 0.5 if value is None else bool(value)
            self.emit(f"{name} = arith.constant {'true' if value else 'false'}")
        elif ty in FLOAT_TYPES:
            if value is None:
                # Exactly representable in f32 too (k / 8), so decimal parsing can't differ.
                value = self.rng.choice(
                    [0.0, 1.0, -1.0, 0.5, 2.0, self.rng.randint(-4000, 4000) / 8]
                )
            self.emit(f"{name} = arith.constant {float(value):.17e} : {ty}")
            self.bound[name] = abs(float(value))
        else:
            width = WIDTH[ty]
            if value is None:
                value = self.rng.choice(
                    [
                        0, 1, -1, 2, 3, 7, 255, -128,
                        self.rng.randint(-100, 100),
                        self.rng.randint(-(1 << 31), 1 << 31),
                        self.rng.getrandbits(width),
                        -(1 << (width - 1)), (1 << (width - 1)) - 1,
                    ]
                )  # fmt: skip
            self.emit(f"{name} = arith.constant {_signed(int(value), width)} : {ty}")
        return name

    def get(self, ty: str) -> str:
        """A visible value of type `ty`, or a new constant now and then (or when none)."""
        pool = self.scope.values.get(ty)
        if pool and self.rng.random() < 0.92:
            # Prefer recent values so chains of computation form.
            if self.rng.random() < 0.6:
                return self.rng.choice(pool[-4:])
            return self.rng.choice(pool)
        return self.const(ty)

    def get_float(self, ty: str, limit: float = CLAMP) -> str:
        """A float value whose magnitude is at most `limit`, clamping if needed."""
        value = self.get(ty)
        if self.bound.get(value, 0.0) > limit:
            value = self.clamp(value, ty, limit)
        return value

    @guarded
    def clamp(self, value: str, ty: str, limit: float = CLAMP) -> str:
        low = self.const(ty, -limit)
        high = self.const(ty, limit)
        lowered = self.new(ty, f"arith.maximumf {value}, {low} : {ty}")
        return self.new(ty, f"arith.minimumf {lowered}, {high} : {ty}", limit)

    # -- integer ops -----------------------------------------------------------------

    def int_type(self) -> str:
        return self.rng.choice(INT_TYPES + ("i64", "i64", "i32"))

    def op_int_binary(self) -> None:
        ty = "i1" if self.rng.random() < 0.1 else self.int_type()
        op = self.rng.choice(
            ["addi", "subi", "muli", "andi", "ori", "xori", "minsi", "maxsi", "minui", "maxui"]
        )
        a, b = self.get(ty), self.get(ty)
        self.new(ty, f"arith.{op} {a}, {b} : {ty}")

    def op_int_flags(self) -> None:
        """addi/subi/muli/shli with overflow flags, on operands masked so none can overflow."""
        ty = self.rng.choice(["i64", "i64", "i32", "index"])
        op = self.rng.choice(["addi", "subi", "muli", "shli"])
        # Masks keep |result| < 2^30: addi/muli of [0, 2^15) values, shli by < 15 bits.
        mask = self.const(ty, (1 << 15) - 1)
        a, b = self.fresh(), self.fresh()
        self.emit(f"{a} = arith.andi {self.get(ty)}, {mask} : {ty}", True)
        if op == "shli":
            self.emit(f"{b} = arith.andi {self.get(ty)}, {self.const(ty, 7)} : {ty}", True)
        else:
            self.emit(f"{b} = arith.andi {self.get(ty)}, {mask} : {ty}", True)
        # subi of two non-negatives can't wrap signed, but goes below zero: no nuw.
        flags = "nsw" if op == "subi" else self.rng.choice(["nsw", "nuw", "nsw, nuw"])
        self.new(ty, f"arith.{op} {a}, {b} overflow<{flags}> : {ty}")

    def op_bool(self) -> None:
        op = self.rng.choice(["andi", "ori", "xori"])
        a, b = self.get("i1"), self.get("i1")
        self.new("i1", f"arith.{op} {a}, {b} : i1")

    @guarded
    def safe_divisor(self, ty: str) -> str:
        """`d`, or a constant when `d` is 0 or -1 (no division by zero, no INT_MIN / -1)."""
        d = self.get(ty)
        is_zero = self.fresh()
        self.emit(f"{is_zero} = arith.cmpi eq, {d}, {self.const(ty, 0)} : {ty}")
        is_minus_one = self.fresh()
        self.emit(f"{is_minus_one} = arith.cmpi eq, {d}, {self.const(ty, -1)} : {ty}")
        bad = self.fresh()
        self.emit(f"{bad} = arith.ori {is_zero}, {is_minus_one} : i1")
        replacement = self.const(ty, self.rng.choice([1, 2, 3, 7, -2, -5, 100]))
        safe = self.fresh()
        self.emit(f"{safe} = arith.select {bad}, {replacement}, {d} : {ty}")
        return safe

    def op_int_div(self) -> None:
        ty = self.int_type()
        op = self.rng.choice(["divsi", "divui", "remsi", "remui", "ceildivsi", "floordivsi"])
        a = self.get(ty)
        d = self.safe_divisor(ty)
        self.new(ty, f"arith.{op} {a}, {d} : {ty}")

    def op_shift(self) -> None:
        ty = self.int_type()
        op = self.rng.choice(["shli", "shrsi", "shrui"])
        a, s = self.get(ty), self.get(ty)
        mask = self.const(ty, WIDTH[ty] - 1)
        amount = self.fresh()
        self.emit(f"{amount} = arith.andi {s}, {mask} : {ty}", True)
        self.new(ty, f"arith.{op} {a}, {amount} : {ty}")

    def op_cmpi(self) -> None:
        ty = self.rng.choice(INT_TYPES + ("i1",))
        pred = self.rng.choice(CMPI_PREDICATES)
        a, b = self.get(ty), self.get(ty)
        self.new("i1", f"arith.cmpi {pred}, {a}, {b} : {ty}")

    def op_select(self) -> None:
        ty = self.rng.choice(INT_TYPES + FLOAT_TYPES)
        c = self.get("i1")
        a, b = self.get(ty), self.get(ty)
        bound = max(self.bound.get(a, 0.0), self.bound.get(b, 0.0))
        self.new(ty, f"arith.select {c}, {a}, {b} : {ty}", bound if ty in FLOAT_TYPES else None)

    def op_int_cast(self) -> None:
        kind = self.rng.choice(["ext", "ext", "trunc", "index", "index"])
        if kind == "ext":
            src = self.rng.choice(["i1", "i8", "i16", "i32"])
            dst = self.rng.choice([t for t in ("i8", "i16", "i32", "i64") if WIDTH[t] > WIDTH[src]])
            op = self.rng.choice(["extsi", "extui"])
        elif kind == "trunc":
            src = self.rng.choice(["i16", "i32", "i64"])
            dst = self.rng.choice([t for t in ("i1", "i8", "i16", "i32") if WIDTH[t] < WIDTH[src]])
            op = "trunci"
        else:
            src, dst = self.rng.choice(
                [("i64", "index"), ("i32", "index"), ("index", "i64"), ("index", "i32")]
            )
            op = "index_cast"
        self.new(dst, f"arith.{op} {self.get(src)} : {src} to {dst}")

    # -- float ops -------------------------------------------------------------------

    def op_float_binary(self) -> None:
        ty = self.rng.choice(FLOAT_TYPES + ("f64",))
        op = self.rng.choice(["addf", "subf", "mulf", "divf", "maximumf", "minimumf"])
        a, b = self.get_float(ty), self.get_float(ty)
        ba, bb = self.bound[a], self.bound[b]
        if op == "divf":
            # |b| + 1 >= 1: no division by zero, and the quotient is no larger than a.
            absb = self.new(ty, f"math.absf {b} : {ty}", bb, guard=True)
            one = self.const(ty, 1.0)
            b = self.new(ty, f"arith.addf {absb}, {one} : {ty}", bb + 1, guard=True)
            if self.rng.random() < 0.5:
                b = self.new(ty, f"arith.negf {b} : {ty}", bb + 1, guard=True)
            bound = ba
        elif op == "mulf":
            bound = ba * bb
        elif op in ("addf", "subf"):
            bound = ba + bb
        else:
            bound = max(ba, bb)
        # No value is ever NaN or infinite, and the sign of a zero never reaches the result
        # (fptosi(-0.0) == 0; no division by a zero), so these flags can't change it.
        flags = " fastmath<nnan,ninf,nsz>" if self.rng.random() < 0.3 else ""
        self.new(ty, f"arith.{op} {a}, {b}{flags} : {ty}", bound)

    def op_int_more(self) -> None:
        """The rarer integer ops: ceildivui, the *_extended pairs, absi, ctlz, cttz, ctpop."""
        ty = self.rng.choice(["i8", "i16", "i32", "i64", "i64"])
        kind = self.rng.choice(
            ["ceildivui", "addui", "mulsi", "mului", "absi", "ctlz", "cttz", "ctpop"]
        )
        a = self.get(ty)
        if kind == "ceildivui":
            self.new(ty, f"arith.ceildivui {a}, {self.safe_divisor(ty)} : {ty}")
        elif kind == "addui":
            low, carry = self.fresh(), self.fresh()
            self.emit(f"{low}, {carry} = arith.addui_extended {a}, {self.get(ty)} : {ty}, i1")
            self.scope.add(low, ty)
            self.scope.add(carry, "i1")
        elif kind in ("mulsi", "mului"):
            low, high = self.fresh(), self.fresh()
            self.emit(f"{low}, {high} = arith.{kind}_extended {a}, {self.get(ty)} : {ty}")
            self.scope.add(low, ty)
            self.scope.add(high, ty)
        else:
            # absi(INT_MIN) and ctlz/cttz(0) are defined in MLIR (INT_MIN, the bit width).
            self.new(ty, f"math.{kind} {a} : {ty}")

    def op_float_more(self) -> None:
        """The rarer float ops: exact ones on f32/f64, libm-backed ones on f64 only."""
        kind = self.rng.choice(
            ["fptoui", "bitcast", "maxnumf", "minnumf", "copysign", "round", "roundeven",
             "trunc", "fma", "rsqrt", "log", "log2", "log10", "log1p", "exp2", "expm1", "powf"]
        )  # fmt: skip
        exact = kind in ("fptoui", "bitcast", "maxnumf", "minnumf", "copysign", "fma")
        exact = exact or kind in ("round", "roundeven", "trunc")
        ty = self.rng.choice(FLOAT_TYPES) if exact else "f64"
        x = self.get_float(ty)
        bx = self.bound[x]
        if kind == "fptoui":
            ax = self.new(ty, f"math.absf {x} : {ty}", bx, guard=True)
            self.new("i64", f"arith.fptoui {ax} : {ty} to i64")
        elif kind == "bitcast":
            # Bits of a float expose any last-ulp difference, so only of an exact value
            # (sitofp rounds correctly), and int -> float -> int without float arithmetic.
            ity = "i64" if ty == "f64" else "i32"
            f = self.fresh()
            self.emit(f"{f} = arith.sitofp {self.get(ity)} : {ity} to {ty}")
            self.new(ity, f"arith.bitcast {f} : {ty} to {ity}")
            g = self.fresh()
            self.emit(f"{g} = arith.bitcast {self.get(ity)} : {ity} to {ty}")
            self.new(ity, f"arith.bitcast {g} : {ty} to {ity}")
        elif kind in ("maxnumf", "minnumf"):
            y = self.get_float(ty)
            self.new(ty, f"arith.{kind} {x}, {y} : {ty}", max(bx, self.bound[y]))
        elif kind == "copysign":
            # The sign source is +-(|y| + 1): its sign is the generator's choice, never a
            # zero whose sign another op may pick freely (maxnumf(-0.0, 0.0)).
            y = self.get_float(ty)
            ay = self.new(ty, f"math.absf {y} : {ty}", guard=True)
            sign = self.new(ty, f"arith.addf {ay}, {self.const(ty, 1.0)} : {ty}", guard=True)
            if self.rng.random() < 0.5:
                sign = self.new(ty, f"arith.negf {sign} : {ty}", guard=True)
            self.new(ty, f"math.copysign {x}, {sign} : {ty}", bx)
        elif kind in ("round", "roundeven", "trunc"):
            self.new(ty, f"math.{kind} {x} : {ty}", bx + 1)
        elif kind == "fma":
            y, z = self.get_float(ty), self.get_float(ty)
            bound = bx * self.bound[y] + self.bound[z]
            self.new(ty, f"math.fma {x}, {y}, {z} : {ty}", bound)
        elif kind in ("exp2", "expm1"):
            x = self.clamp(x, ty, 20.0) if bx > 20.0 else x
            self.new(ty, f"math.{kind} {x} : {ty}", 2.0**29)
        else:
            # rsqrt, the logs and powf see |x| + 1 >= 1.
            ax = self.new(ty, f"math.absf {x} : {ty}", bx, guard=True)
            x1 = self.new(ty, f"arith.addf {ax}, {self.const(ty, 1.0)} : {ty}", bx + 1, guard=True)
            if kind == "powf":
                base = self.clamp(x1, ty, 100.0)
                power = self.clamp(self.get_float(ty), ty, 4.0)
                self.new(ty, f"math.powf {base}, {power} : {ty}", 1.0e8)
            else:
                self.new(ty, f"math.{kind} {x1} : {ty}", 16.0)

    def op_float_unary(self) -> None:
        ty = self.rng.choice(FLOAT_TYPES + ("f64",))
        fn = self.rng.choice(["negf"] + list(F64_MATH if ty == "f64" else F32_MATH))
        x = self.get_float(ty)
        bx = self.bound[x]
        if fn == "negf":
            self.new(ty, f"arith.negf {x} : {ty}", bx)
        elif fn == "sqrt":
            ax = self.new(ty, f"math.absf {x} : {ty}", bx, guard=True)
            self.new(ty, f"math.sqrt {ax} : {ty}", bx**0.5 + 1)
        elif fn == "exp":
            x = self.clamp(x, ty, 20.0) if bx > 20.0 else x
            self.new(ty, f"math.exp {x} : {ty}", 2.0**29)
        elif fn in ("sin", "cos"):
            self.new(ty, f"math.{fn} {x} : {ty}", 1.0)
        elif fn == "absf":
            self.new(ty, f"math.absf {x} : {ty}", bx)
        else:
            self.new(ty, f"math.{fn} {x} : {ty}", bx + 1)

    def op_cmpf(self) -> None:
        ty = self.rng.choice(FLOAT_TYPES)
        pred = self.rng.choice(CMPF_PREDICATES)
        a, b = self.get(ty), self.get(ty)
        self.new("i1", f"arith.cmpf {pred}, {a}, {b} : {ty}")

    def op_float_cast(self) -> None:
        kind = self.rng.choice(["sitofp", "uitofp", "fptosi", "fptosi", "extf", "truncf"])
        if kind in ("sitofp", "uitofp"):
            src = self.rng.choice(["i8", "i16", "i32", "i64"])
            dst = self.rng.choice(FLOAT_TYPES)
            bound = float(2 ** WIDTH[src])
            self.new(dst, f"arith.{kind} {self.get(src)} : {src} to {dst}", bound)
        elif kind == "fptosi":
            src = self.rng.choice(FLOAT_TYPES)
            dst = self.rng.choice(["i32", "i64"])
            # |x| <= 1e6 fits both; fptosi of an out-of-range value is poison.
            self.new(dst, f"arith.fptosi {self.get_float(src)} : {src} to {dst}")
        elif kind == "extf":
            x = self.get("f32")
            self.new("f64", f"arith.extf {x} : f32 to f64", self.bound[x])
        else:
            x = self.get_float("f64")
            self.new("f32", f"arith.truncf {x} : f64 to f32", self.bound[x] * 1.001)

    # -- conversions used to fold values into an i64 --------------------------------

    def to_i64(self, value: str, ty: str) -> str:
        if ty == "i64":
            return value
        name = self.fresh()
        if ty == "i1":
            self.emit(f"{name} = arith.extui {value} : i1 to i64")
        elif ty == "index":
            self.emit(f"{name} = arith.index_cast {value} : index to i64")
        elif ty in FLOAT_TYPES:
            if self.bound.get(value, 0.0) > CLAMP:
                value = self.clamp(value, ty)
            scaled = self.fresh()
            self.emit(f"{scaled} = arith.mulf {value}, {self.const(ty, 256.0)} : {ty}", True)
            self.emit(f"{name} = arith.fptosi {scaled} : {ty} to i64")
        else:
            op = self.rng.choice(["extsi", "extui"])
            self.emit(f"{name} = arith.{op} {value} : {ty} to i64")
        return name

    def from_i64(self, value: str, ty: str) -> str:
        """An i64 turned into `ty` (used to make results of a required type)."""
        if ty == "i64":
            return value
        name = self.fresh()
        if ty == "index":
            self.emit(f"{name} = arith.index_cast {value} : i64 to index")
        elif ty in FLOAT_TYPES:
            self.emit(f"{name} = arith.sitofp {value} : i64 to {ty}")
            self.bound[name] = 2.0**63
        else:
            self.emit(f"{name} = arith.trunci {value} : i64 to {ty}")
        return name

    def fold(self, count: int) -> str:
        """An i64 hash of up to `count` visible scalars (recent ones always included)."""
        scalars = [
            (v, t) for t, vs in self.scope.values.items() if not t.startswith("memref") for v in vs
        ]
        chosen = scalars[-6:] + self.rng.sample(scalars[:-6], min(count, len(scalars[:-6])))
        acc = self.const("i64", self.rng.randint(1, 1000))
        for value, ty in chosen:
            as_i64 = self.to_i64(value, ty)
            name = self.fresh()
            if self.rng.random() < 0.5:
                mul = self.fresh()
                self.emit(f"{mul} = arith.muli {acc}, {self.const('i64', 31)} : i64")
                self.emit(f"{name} = arith.addi {mul}, {as_i64} : i64")
            else:
                self.emit(f"{name} = arith.xori {acc}, {as_i64} : i64")
            acc = name
        return acc

    def value_of(self, ty: str, clamp_floats: bool = False) -> str:
        """A value of `ty` for a yield or return; floats clamped when they're loop-carried."""
        if ty in FLOAT_TYPES:
            value = self.get(ty)
            if clamp_floats and self.bound.get(value, 0.0) > CLAMP:
                value = self.clamp(value, ty)
            return value
        return self.get(ty)

    # -- regions ---------------------------------------------------------------------

    def enter(self) -> Scope:
        saved = self.scope
        self.scope = saved.child()
        self.indent += 1
        self.depth += 1
        return saved

    def leave(self, saved: Scope) -> None:
        self.scope = saved
        self.indent -= 1
        self.depth -= 1

    def carried_types(self) -> list[str]:
        return [
            self.rng.choice(["i64", "i64", "i32", "f64", "index", "i1", "f32"])
            for _ in range(self.rng.randint(1, 3))
        ]

    def carried_init(self, types: list[str]) -> list[str]:
        return [self.value_of(t, clamp_floats=True) for t in types]

    def op_for(self) -> None:
        types = self.carried_types()
        inits = self.carried_init(types)
        # scf.for also takes signless integer bounds (then the induction variable has that type).
        ivt = self.rng.choice(["index", "index", "index", "i32", "i64"])
        lb = self.const(ivt, self.rng.randint(0, 3))
        if self.rng.random() < 0.5:
            ub = self.const(ivt, self.rng.randint(0, 12))
        else:
            # A dynamic trip count: lb + (v mod 9).
            span = self.fresh()
            self.emit(f"{span} = arith.remui {self.get(ivt)}, {self.const(ivt, 9)} : {ivt}", True)
            ub = self.fresh()
            self.emit(f"{ub} = arith.addi {lb}, {span} : {ivt}", True)
        step = self.const(ivt, self.rng.randint(1, 3))
        iv = self.fresh()
        args = [self.fresh() for _ in types]
        results = self.fresh()
        inits_text = ", ".join(f"{a} = {i}" for a, i in zip(args, inits, strict=True))
        self.emit(
            f"{results}:{len(types)} = scf.for {iv} = {lb} to {ub} step {step} "
            f"iter_args({inits_text}) -> ({', '.join(types)})"
            + ("" if ivt == "index" else f" : {ivt}")
            + " {"
        )
        saved = self.enter()
        self.scope.add(iv, ivt)
        for a, t in zip(args, types, strict=True):
            self.scope.add(a, t)
            if t in FLOAT_TYPES:
                self.bound[a] = CLAMP
        self.body(self.rng.randint(2, 5))
        yields = [self.value_of(t, clamp_floats=True) for t in types]
        self.emit(f"scf.yield {', '.join(yields)} : {', '.join(types)}")
        self.leave(saved)
        self.emit("}")
        for i, t in enumerate(types):
            self.scope.add(f"{results}#{i}", t)
            if t in FLOAT_TYPES:
                self.bound[f"{results}#{i}"] = CLAMP

    def op_if(self) -> None:
        types = self.carried_types()
        cond = self.get("i1")
        results = self.fresh()
        self.emit(f"{results}:{len(types)} = scf.if {cond} -> ({', '.join(types)}) {{")
        bounds = [0.0] * len(types)
        for branch in ("then", "else"):
            saved = self.enter()
            self.body(self.rng.randint(1, 5))
            yields = [self.value_of(t) for t in types]
            for i, y in enumerate(yields):
                bounds[i] = max(bounds[i], self.bound.get(y, 0.0))
            self.emit(f"scf.yield {', '.join(yields)} : {', '.join(types)}")
            self.leave(saved)
            self.emit("} else {" if branch == "then" else "}")
        for i, t in enumerate(types):
            self.scope.add(f"{results}#{i}", t)
            if t in FLOAT_TYPES:
                self.bound[f"{results}#{i}"] = bounds[i]

    def op_if_store(self) -> None:
        """scf.if without results (optionally without else) whose branches store."""
        cond = self.get("i1")
        self.emit(f"scf.if {cond} {{")
        branches = ["then", "else"] if self.rng.random() < 0.5 else ["then"]
        for branch in branches:
            saved = self.enter()
            self.body(self.rng.randint(0, 2))
            self.op_store()
            self.leave(saved)
            self.emit("} else {" if branch == "then" and len(branches) == 2 else "}")

    @guarded
    def op_assert(self) -> None:
        """cf.assert on a condition true by construction: (v mod n) < n for n >= 1."""
        ty = self.rng.choice(["i64", "i32", "index"])
        n = self.fresh()
        self.emit(f"{n} = arith.ori {self.get(ty)}, {self.const(ty, 1)} : {ty}")
        r = self.fresh()
        self.emit(f"{r} = arith.remui {self.get(ty)}, {n} : {ty}")
        ok = self.fresh()
        self.emit(f"{ok} = arith.cmpi ult, {r}, {n} : {ty}")
        self.emit(f'cf.assert {ok}, "remainder below divisor"')

    def op_while(self) -> None:
        types = self.carried_types()
        inits = self.carried_init(types)
        zero = self.const("i64", 0)
        if self.rng.random() < 0.5:
            limit = self.const("i64", self.rng.randint(0, 10))
        else:
            limit = self.fresh()
            self.emit(f"{limit} = arith.andi {self.get('i64')}, {self.const('i64', 7)} : i64", True)
        all_types = ["i64"] + types
        # Half the loops compute in the "before" region and hand the "after" region (and the
        # results) values of other types than the carried ones.
        busy = self.rng.random() < 0.5
        out_types = ["i64"] + (self.carried_types() if busy else types)
        before = [self.fresh() for _ in all_types]
        after = [self.fresh() for _ in out_types]
        results = self.fresh()
        inits_text = ", ".join(f"{a} = {i}" for a, i in zip(before, [zero] + inits, strict=True))
        tys, out_tys = ", ".join(all_types), ", ".join(out_types)
        self.emit(
            f"{results}:{len(out_types)} = scf.while ({inits_text}) : ({tys}) -> ({out_tys}) {{"
        )
        saved = self.enter()
        for a, t in zip(before[1:], types, strict=True):
            self.scope.add(a, t)
            if t in FLOAT_TYPES:
                self.bound[a] = CLAMP
        cond = self.fresh()
        self.emit(f"{cond} = arith.cmpi slt, {before[0]}, {limit} : i64", True)
        if busy:
            self.body(self.rng.randint(1, 3))
            forwarded = [before[0]] + [self.value_of(t, clamp_floats=True) for t in out_types[1:]]
        else:
            forwarded = before
        self.emit(f"scf.condition({cond}) {', '.join(forwarded)} : {out_tys}")
        self.leave(saved)
        self.emit("} do {")
        self.emit(f"^bb0({', '.join(f'{a}: {t}' for a, t in zip(after, out_types, strict=True))}):")
        saved = self.enter()
        for a, t in zip(after[1:], out_types[1:], strict=True):
            self.scope.add(a, t)
            if t in FLOAT_TYPES:
                self.bound[a] = CLAMP
        self.scope.add(after[0], "i64")
        self.body(self.rng.randint(2, 5))
        nxt = self.fresh()
        self.emit(f"{nxt} = arith.addi {after[0]}, {self.const('i64', 1)} : i64", True)
        yields = [nxt] + [self.value_of(t, clamp_floats=True) for t in types]
        self.emit(f"scf.yield {', '.join(yields)} : {tys}")
        self.leave(saved)
        self.emit("}")
        for i, t in enumerate(out_types):
            self.scope.add(f"{results}#{i}", t)
            if t in FLOAT_TYPES:
                self.bound[f"{results}#{i}"] = CLAMP

    # -- calls -----------------------------------------------------------------------

    def op_call(self) -> None:
        callees = [h for h in self.gen.helpers if h.kind not in ("sum", "make")]
        if not callees:
            return
        helper = self.rng.choice(callees)
        if helper.kind == "rec":
            # Depth n in [0, 15].
            n = self.fresh()
            self.emit(f"{n} = arith.andi {self.get('i64')}, {self.const('i64', 15)} : i64", True)
            args = [n, self.get("i64")]
        else:
            args = [self.value_of(t, clamp_floats=True) for t in helper.params]
        self.emit_call(helper, args)

    def emit_call(self, helper: Helper, args: list[str]) -> list[str]:
        name = self.fresh()
        n = len(helper.results)
        lhs = name if n == 1 else f"{name}:{n}"
        signature = f"({', '.join(helper.params)}) -> ({', '.join(helper.results)})"
        self.emit(f"{lhs} = func.call @{helper.name}({', '.join(args)}) : {signature}")
        names = [name] if n == 1 else [f"{name}#{i}" for i in range(n)]
        for value, ty in zip(names, helper.results, strict=True):
            if not ty.startswith("memref"):
                self.scope.add(value, ty)
                if ty in FLOAT_TYPES:
                    self.bound[value] = CLAMP
        return names

    # -- memrefs ---------------------------------------------------------------------

    @guarded
    def index_below(self, size: str) -> str:
        """An index in [0, size): any index value reduced modulo the (non-zero) size."""
        name = self.fresh()
        self.emit(f"{name} = arith.remui {self.get('index')}, {size} : index")
        return name

    def elem_value(self, elem: str) -> str:
        return self.value_of(elem, clamp_floats=True)

    @guarded
    def fill(self, ref: MemRef) -> None:
        """Store to every element (nested scf.for), so no load ever reads garbage."""
        zero, one = self.const("index", 0), self.const("index", 1)
        seed = self.get("i64")
        ivs = [self.fresh() for _ in ref.shape]
        saved = self.scope
        for iv, size in zip(ivs, ref.sizes, strict=True):
            self.emit(f"scf.for {iv} = {zero} to {size} step {one} {{")
            # A region: constants made inside must not be reused outside it.
            self.enter()
        flat = self.fresh()
        self.emit(f"{flat} = arith.index_cast {ivs[-1]} : index to i64")
        mixed = self.fresh()
        self.emit(f"{mixed} = arith.muli {flat}, {seed} : i64")
        for k, outer in enumerate(ivs[:-1]):
            row = self.fresh()
            self.emit(f"{row} = arith.index_cast {outer} : index to i64")
            scaled = self.fresh()
            self.emit(f"{scaled} = arith.muli {row}, {self.const('i64', 7 + 6 * k)} : i64")
            total = self.fresh()
            self.emit(f"{total} = arith.addi {mixed}, {scaled} : i64")
            mixed = total
        if ref.elem in FLOAT_TYPES:
            small = self.fresh()
            self.emit(f"{small} = arith.remsi {mixed}, {self.const('i64', 1000)} : i64")
            mixed = small
        value = self.from_i64(mixed, ref.elem)
        self.bound[value] = 1000.0
        self.emit(f"memref.store {value}, {ref.name}[{', '.join(ivs)}] : {ref.type}")
        for _ in ivs:
            self.leave(saved)
            self.emit("}")

    def new_memref(self, elem: str, shape: list[int | None], how: str) -> MemRef:
        sizes: list[str] = []
        dynamic: list[str] = []
        for d in shape:
            if d is None:
                n = self.fresh()
                self.emit(
                    f"{n} = arith.remui {self.get('index')}, {self.const('index', 8)} : index", True
                )
                size = self.fresh()
                self.emit(f"{size} = arith.addi {n}, {self.const('index', 1)} : index", True)
                dynamic.append(size)
                sizes.append(size)
            else:
                sizes.append(self.const("index", d))
        ref = MemRef(self.fresh(), elem, shape, sizes)
        self.emit(f"{ref.name} = memref.{how}({', '.join(dynamic)}) : {ref.type}")
        if how == "alloc":
            self.owned.append(ref)
        self.scope.memrefs.append(ref)
        self.fill(ref)
        return ref

    def op_memref_new(self) -> None:
        elem = self.rng.choice(["i64", "i64", "i32", "f64", "f32", "i8", "i16", "index", "i1"])
        rank = self.rng.choice([1, 1, 1, 1, 2, 2, 3])
        shape: list[int | None] = [
            None if self.rng.random() < 0.35 else self.rng.randint(1, 12) for _ in range(rank)
        ]
        self.new_memref(elem, shape, self.rng.choice(["alloc", "alloc", "alloca"]))

    def op_global(self) -> None:
        elem = self.rng.choice(["i64", "i32", "f64", "i16", "i8"])
        n = self.rng.randint(1, 10)
        if elem in FLOAT_TYPES:
            data = [f"{self.rng.randint(-8000, 8000) / 8:.17e}" for _ in range(n)]
        else:
            w = WIDTH[elem]
            data = [str(_signed(self.rng.getrandbits(w), w)) for _ in range(n)]
        gname = f"table{len(self.gen.globals)}"
        self.gen.globals.append(
            f'memref.global "private" constant @{gname} : memref<{n}x{elem}> = '
            f"dense<[{', '.join(data)}]>"
        )
        ref = MemRef(self.fresh(), elem, [n], [self.const("index", n)], writable=False)
        self.emit(f"{ref.name} = memref.get_global @{gname} : {ref.type}")
        self.scope.memrefs.append(ref)

    def op_view(self) -> None:
        """A subview or a cast of an existing memref (top level only)."""
        static_2d = [
            r
            for r in self.scope.memrefs
            if not r.layout and len(r.shape) == 2 and None not in r.shape
        ]
        if static_2d and self.rng.random() < 0.3:
            return self.op_view_2d(self.rng.choice(static_2d))
        sources = [r for r in self.scope.memrefs if not r.layout and len(r.shape) == 1]
        if not sources:
            return
        src = self.rng.choice(sources)
        if self.rng.random() < 0.4 or src.shape[0] is None:
            # Cast to the other static-ness (dynamic to static would need a known size).
            dst_shape: list[int | None] = [None]
            if src.shape[0] is None:
                return self.op_view_dynamic(src)
            view = MemRef(self.fresh(), src.elem, dst_shape, src.sizes, "", src.writable)
            self.emit(f"{view.name} = memref.cast {src.name} : {src.type} to {view.type}")
        else:
            n = src.shape[0]
            assert n is not None
            stride = self.rng.choice([1, 1, 2, 3])
            size = self.rng.randint(1, (n - 1) // stride + 1)
            offset = self.rng.randint(0, n - 1 - (size - 1) * stride)
            view = MemRef(
                self.fresh(),
                src.elem,
                [size],
                [self.const("index", size)],
                f", strided<[{stride}], offset: {offset}>",
                src.writable,
            )
            self.emit(
                f"{view.name} = memref.subview {src.name}[{offset}] [{size}] [{stride}] : "
                f"{src.type} to {view.type}"
            )
        self.scope.memrefs.append(view)

    def op_view_2d(self, src: MemRef) -> None:
        """A static rank-2 subview, with unit or larger strides."""
        rows, cols = src.shape
        assert rows is not None and cols is not None
        steps = [self.rng.choice([1, 1, 2]) for _ in range(2)]
        sizes = [
            self.rng.randint(1, (d - 1) // st + 1) for d, st in zip(src.shape, steps, strict=True)
        ]
        offs = [
            self.rng.randint(0, d - 1 - (n - 1) * st)
            for d, n, st in zip(src.shape, sizes, steps, strict=True)
        ]
        offset = offs[0] * cols + offs[1]
        layout = f", strided<[{cols * steps[0]}, {steps[1]}], offset: {offset}>"
        view = MemRef(
            self.fresh(), src.elem, list(sizes), [self.const("index", n) for n in sizes], layout
        )
        view.writable = src.writable
        self.emit(
            f"{view.name} = memref.subview {src.name}[{offs[0]}, {offs[1]}] "
            f"[{sizes[0]}, {sizes[1]}] [{steps[0]}, {steps[1]}] : {src.type} to {view.type}"
        )
        self.scope.memrefs.append(view)

    @guarded
    def op_view_dynamic(self, src: MemRef) -> None:
        """A subview with a dynamic offset and size of a dynamically sized memref."""
        size = self.fresh()
        # size in [1, n]: (v mod n) + 1; offset in [0, n - size].
        self.emit(f"{size} = arith.remui {self.get('index')}, {src.sizes[0]} : index")
        size1 = self.fresh()
        self.emit(f"{size1} = arith.addi {size}, {self.const('index', 1)} : index")
        room = self.fresh()
        self.emit(f"{room} = arith.subi {src.sizes[0]}, {size} : index")
        offset = self.fresh()
        self.emit(f"{offset} = arith.remui {self.get('index')}, {room} : index")
        stride = _layout(src)[0]
        view = MemRef(self.fresh(), src.elem, [None], [size1], f", strided<[{stride}], offset: ?>")
        view.writable = src.writable
        self.emit(
            f"{view.name} = memref.subview {src.name}[{offset}] [{size1}] [1] : "
            f"{src.type} to {view.type}"
        )
        self.scope.memrefs.append(view)

    def op_view_of_view(self) -> None:
        """A view of a view: layouts compose (static, or dynamic once any part is)."""
        views = [r for r in self.scope.memrefs if len(r.shape) == 1 and r.layout]
        if not views:
            return
        src = self.rng.choice(views)
        stride, offset = _layout(src)
        if self.rng.random() < 0.35:
            # Forget everything static: loads must then read stride and offset at run time.
            view = MemRef(self.fresh(), src.elem, [None], src.sizes, ", strided<[?], offset: ?>")
            view.writable = src.writable
            self.emit(f"{view.name} = memref.cast {src.name} : {src.type} to {view.type}")
            self.scope.memrefs.append(view)
            return
        if src.shape[0] is None:
            return self.op_view_dynamic(src)
        n = src.shape[0]
        step = self.rng.choice([1, 1, 2])
        size = self.rng.randint(1, (n - 1) // step + 1)
        start = self.rng.randint(0, n - 1 - (size - 1) * step)
        if stride == "?":
            new_stride, new_offset = "?", "?"
        else:
            new_stride = str(int(stride) * step)
            new_offset = "?" if offset == "?" else str(int(offset) + start * int(stride))
        view = MemRef(
            self.fresh(),
            src.elem,
            [size],
            [self.const("index", size)],
            f", strided<[{new_stride}], offset: {new_offset}>",
            src.writable,
        )
        self.emit(
            f"{view.name} = memref.subview {src.name}[{start}] [{size}] [{step}] : "
            f"{src.type} to {view.type}"
        )
        self.scope.memrefs.append(view)

    def op_load(self) -> None:
        if not self.scope.memrefs:
            return
        ref = self.rng.choice(self.scope.memrefs)
        idx = [self.index_below(s) for s in ref.sizes]
        # Every float stored is at most CLAMP (clamped stores, fills and tables are smaller).
        self.new(ref.elem, f"memref.load {ref.name}[{', '.join(idx)}] : {ref.type}", CLAMP)

    def op_store(self) -> None:
        refs = [r for r in self.scope.memrefs if r.writable]
        if not refs:
            return
        ref = self.rng.choice(refs)
        value = self.elem_value(ref.elem)
        idx = [self.index_below(s) for s in ref.sizes]
        self.emit(f"memref.store {value}, {ref.name}[{', '.join(idx)}] : {ref.type}")

    def op_dim(self) -> None:
        if not self.scope.memrefs:
            return
        ref = self.rng.choice(self.scope.memrefs)
        k = self.rng.randrange(len(ref.shape))
        self.new("index", f"memref.dim {ref.name}, {self.const('index', k)} : {ref.type}")

    def op_memref_call(self, kind: str | None = None) -> None:
        """Pass a memref to a helper (sum) or get one back from a helper (make)."""
        kind = kind or self.rng.choice(["sum", "make"])
        helpers = [h for h in self.gen.helpers if h.kind == kind]
        if not helpers:
            return
        helper = self.rng.choice(helpers)
        if kind == "sum":
            param = helper.params[0]
            elem = param.removeprefix("memref<?x").split(">")[0].split(",")[0]
            # Only a fully dynamic layout accepts a view; an identity one takes plain memrefs.
            refs = [
                r
                for r in self.scope.memrefs
                if r.elem == elem and len(r.shape) == 1 and ("strided" in param or not r.layout)
            ]
            if not refs:
                ref = self.new_memref(elem, [self.rng.choice([None, 5, 9])], "alloc")
                if "strided" in param and ref.shape[0] is not None:
                    # Pass every other element from the second on: offset 1, stride 2.
                    n = (ref.shape[0] - 2) // 2 + 1
                    view = MemRef(
                        self.fresh(),
                        elem,
                        [n],
                        [self.const("index", n)],
                        ", strided<[2], offset: 1>",
                    )
                    self.emit(
                        f"{view.name} = memref.subview {ref.name}[1] [{n}] [2] : "
                        f"{ref.type} to {view.type}"
                    )
                    self.scope.memrefs.append(view)
                    ref = view
                refs = [ref]
            ref = self.rng.choice(refs)
            arg = ref.name
            if ref.type != helper.params[0]:
                arg = self.fresh()
                self.emit(f"{arg} = memref.cast {ref.name} : {ref.type} to {helper.params[0]}")
            self.emit_call(helper, [arg])
        else:
            n = self.fresh()
            self.emit(
                f"{n} = arith.remui {self.get('index')}, {self.const('index', 6)} : index", True
            )
            size = self.fresh()
            self.emit(f"{size} = arith.addi {n}, {self.const('index', 1)} : index", True)
            (name,) = self.emit_call(helper, [size, self.get("i64")])
            ref = MemRef(name, "i64", [None], [size])
            self.owned.append(ref)
            self.scope.memrefs.append(ref)

    # -- bodies ----------------------------------------------------------------------

    def body(self, count: int) -> None:
        for _ in range(count):
            # Weights are recomputed per op: a memref created by one op enables the next.
            top = self.depth == 0
            has_refs = bool(self.scope.memrefs)
            memrefs_ok = top and self.gen.memrefs_allowed
            weights: list[tuple[Callable[[], None], float]] = [
                (self.op_int_binary, 6),
                (self.op_int_flags, 1),
                (self.op_int_div, 3),
                (self.op_shift, 2),
                (self.op_cmpi, 2),
                (self.op_bool, 1),
                (self.op_select, 2),
                (self.op_int_cast, 3),
                (self.op_float_binary, 3),
                (self.op_float_unary, 2),
                (self.op_int_more, 1.5),
                (self.op_float_more, 2),
                (self.op_cmpf, 1),
                (self.op_float_cast, 2),
                (self.op_call, 1.5),
                (self.op_load, 3 if has_refs else 0),
                (self.op_store, 2 if has_refs else 0),
                (self.op_dim, 0.5 if has_refs else 0),
                (self.op_for, 1.5 if self.depth < 2 else 0),
                (self.op_if, 1.5 if self.depth < 3 else 0),
                (self.op_while, 1 if self.depth < 2 else 0),
                (self.op_if_store, 0.7 if has_refs and self.depth < 3 else 0),
                (self.op_assert, 0.3),
                (self.op_memref_new, 1.2 if memrefs_ok else 0),
                (self.op_global, 0.7 if memrefs_ok else 0),
                (self.op_view, 2 if memrefs_ok and has_refs else 0),
                (self.op_view_of_view, 2 if memrefs_ok and has_refs else 0),
                (self.op_memref_call, 1.6 if memrefs_ok and has_refs else 0),
            ]
            ops = [op for op, w in weights if w > 0]
            op = self.rng.choices(ops, [w for _, w in weights if w > 0])[0]
            op()

    def release(self) -> None:
        for ref in self.owned:
            self.emit(f"memref.dealloc {ref.name} : {ref.type}")


class ProgramGenerator:
    """Generates one program from a seed."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.seed = seed
        self.counter = 0
        self.helpers: list[Helper] = []
        self.globals: list[str] = []
        self.functions: list[str] = []
        self.bound: dict[str, float] = {}
        self.memrefs_allowed = True

    def fresh(self) -> str:
        self.counter += 1
        return f"%v{self.counter}"

    def signature(self, params: list[tuple[str, str]], results: list[str]) -> str:
        ps = ", ".join(f"{n}: {t}" for n, t in params)
        rs = results[0] if len(results) == 1 else f"({', '.join(results)})"
        return f"({ps}) -> {rs}"

    def start(self, name: str, params: list[tuple[str, str]]) -> FunctionBuilder:
        fb = FunctionBuilder(self, name)
        for value, ty in params:
            if not ty.startswith("memref"):
                fb.scope.add(value, ty)
                if ty in FLOAT_TYPES:
                    self.bound[value] = CLAMP
        return fb

    def finish(self, fb: FunctionBuilder, header: str, results: list[str]) -> None:
        text = f"func.func {header} {{\n" + "\n".join(fb.lines) + "\n}"
        self.functions.append(text)

    def results_of(self, fb: FunctionBuilder, types: list[str]) -> list[str]:
        values = []
        for ty in types:
            if self.rng.random() < 0.6:
                values.append(fb.from_i64(fb.fold(self.rng.randint(2, 8)), ty))
            else:
                values.append(fb.value_of(ty))
        # Results are float-clamped: callers assume |x| <= CLAMP.
        return [
            fb.clamp(v, t) if t in FLOAT_TYPES and self.bound.get(v, 0.0) > CLAMP else v
            for v, t in zip(values, types, strict=True)
        ]

    def plain_helper(self, k: int) -> None:
        params = [
            (self.fresh(), self.rng.choice(["i64", "i32", "f64", "index", "i1", "f32"]))
            for _ in range(self.rng.randint(1, 3))
        ]
        results = [
            self.rng.choice(["i64", "i32", "f64", "i1"]) for _ in range(self.rng.randint(1, 3))
        ]
        name = f"helper{k}"
        fb = self.start(name, params)
        fb.body(self.rng.randint(2, 6))
        values = self.results_of(fb, results)
        fb.release()
        fb.emit(f"return {', '.join(values)} : {', '.join(results)}")
        self.finish(fb, f"@{name}{self.signature(params, results)}", results)
        self.helpers.append(Helper(name, [t for _, t in params], results, "plain"))

    def cf_helper(self, k: int) -> None:
        """A multi-block function: cond_br, switch, a cf loop, block arguments."""
        params = [(self.fresh(), "i64"), (self.fresh(), self.rng.choice(["i32", "f64", "i64"]))]
        results = [self.rng.choice(["i64", "i32", "f64"]) for _ in range(self.rng.randint(1, 2))]
        name = f"cfhelper{k}"
        fb = self.start(name, params)
        self.memrefs_allowed = False
        fb.body(self.rng.randint(2, 6))
        entry = fb.scope
        rtys = ", ".join(results)
        exit_args = [self.fresh() for _ in results]
        cond = fb.get("i1")
        passed = fb.get("i64")
        bb = {n: f"^bb{n}_{k}" for n in ("a", "b", "head", "body", "exit")}
        b_arg = self.fresh()
        fb.emit(f"cf.cond_br {cond}, {bb['a']}, {bb['b']}({passed} : i64)")

        def block(label: str, args: list[tuple[str, str]], parent: Scope) -> None:
            fb.indent = 0
            arg_text = ", ".join(f"{a}: {t}" for a, t in args)
            fb.emit(f"{label}({arg_text}):" if args else f"{label}:")
            fb.indent = 1
            fb.scope = parent.child()
            for a, t in args:
                fb.scope.add(a, t)
                if t in FLOAT_TYPES:
                    self.bound[a] = CLAMP

        def plain(value: str, ty: str) -> str:
            """`value` without a `#n` result number, which MLIR's cf.switch can't parse."""
            if "#" not in value:
                return value
            name = fb.fresh()
            fb.emit(f"{name} = arith.select {fb.const('i1', True)}, {value}, {value} : {ty}")
            self.bound[name] = self.bound.get(value, UNBOUNDED)
            return name

        def jump_exit() -> str:
            values = [plain(fb.value_of(t, clamp_floats=True), t) for t in results]
            return f"{bb['exit']}({', '.join(values)} : {rtys})"

        block(bb["a"], [], entry)
        fb.body(self.rng.randint(1, 5))
        if self.rng.random() < 0.4:
            # Both arms to the same block with (usually) different operands.
            first, second = jump_exit(), jump_exit()
            fb.emit(f"cf.cond_br {fb.get('i1')}, {first}, {second}")
        else:
            fb.emit(f"cf.br {jump_exit()}")

        block(bb["b"], [(b_arg, "i64")], entry)
        fb.body(self.rng.randint(1, 4))
        b_scope = fb.scope
        flag_ty = self.rng.choice(["i8", "i16", "i32", "i64"])
        flag = fb.fresh()
        # remsi: flags in [-3, 3], so negative case values get exercised too.
        fb.emit(f"{flag} = arith.remsi {fb.get(flag_ty)}, {fb.const(flag_ty, 4)} : {flag_ty}")
        carried = [plain(fb.value_of(t, clamp_floats=True), t) for t in results]
        counter0 = fb.const("i64", 0)
        limit = fb.fresh()
        fb.emit(f"{limit} = arith.andi {fb.get('i64')}, {fb.const('i64', 7)} : i64", True)
        cases = self.rng.sample(range(-3, 4), self.rng.randint(1, 4))
        # Targets first: jump_exit() may emit ops, which must not land inside the switch.
        default = jump_exit()
        targets = []
        for case in cases:
            if self.rng.random() < 0.6:
                head = ", ".join([counter0] + carried)
                targets.append(f"{case}: {bb['head']}({head} : i64, {rtys})")
            else:
                targets.append(f"{case}: {jump_exit()}")
        fb.emit(f"cf.switch {flag} : {flag_ty}, [")
        fb.emit(f"  default: {default},")
        fb.emit("  " + ",\n    ".join(targets))
        fb.emit("]")

        head_args = [(self.fresh(), "i64")] + [(self.fresh(), t) for t in results]
        block(bb["head"], head_args, b_scope)
        head_scope = fb.scope
        more = fb.fresh()
        fb.emit(f"{more} = arith.cmpi slt, {head_args[0][0]}, {limit} : i64", True)
        done = ", ".join(a for a, _ in head_args[1:])
        fb.emit(f"cf.cond_br {more}, {bb['body']}, {bb['exit']}({done} : {rtys})")

        block(bb["body"], [], head_scope)
        fb.body(self.rng.randint(1, 5))
        step = fb.fresh()
        fb.emit(f"{step} = arith.addi {head_args[0][0]}, {fb.const('i64', 1)} : i64", True)
        nxt = [fb.value_of(t, clamp_floats=True) for t in results]
        fb.emit(f"cf.br {bb['head']}({', '.join([step] + nxt)} : i64, {rtys})")

        block(bb["exit"], list(zip(exit_args, results, strict=True)), entry)
        fb.emit(f"return {', '.join(exit_args)} : {rtys}")
        self.memrefs_allowed = True
        self.finish(fb, f"@{name}{self.signature(params, results)}", results)
        self.helpers.append(Helper(name, [t for _, t in params], results, "cf"))

    def rec_helper(self, k: int) -> None:
        """`rec(n, x)`: recursion of depth n through scf.if and func.call."""
        n, x = self.fresh(), self.fresh()
        name = f"rec{k}"
        fb = self.start(name, [(n, "i64"), (x, "i64")])
        self.memrefs_allowed = False
        zero = fb.const("i64", 0)
        done = fb.fresh()
        fb.emit(f"{done} = arith.cmpi sle, {n}, {zero} : i64", True)
        result = fb.fresh()
        fb.emit(f"{result} = scf.if {done} -> (i64) {{")
        fb.emit(f"  scf.yield {x} : i64")
        fb.emit("} else {")
        saved = fb.enter()
        fb.body(self.rng.randint(1, 4))
        y = fb.fold(3)
        n1 = fb.fresh()
        fb.emit(f"{n1} = arith.subi {n}, {fb.const('i64', 1)} : i64", True)
        inner = fb.fresh()
        fb.emit(f"{inner} = func.call @{name}({n1}, {y}) : (i64, i64) -> i64")
        fb.scope.add(inner, "i64")
        fb.body(self.rng.randint(0, 3))
        z = fb.fold(2)
        fb.emit(f"scf.yield {z} : i64")
        fb.leave(saved)
        fb.emit("}")
        fb.emit(f"return {result} : i64")
        self.memrefs_allowed = True
        self.finish(fb, f"@{name}({n}: i64, {x}: i64) -> i64", ["i64"])
        self.helpers.append(Helper(name, ["i64", "i64"], ["i64"], "rec"))

    def sum_helper(self, k: int) -> None:
        """Takes a dynamic memref, reduces it with a loop bounded by memref.dim."""
        elem = self.rng.choice(["i64", "i32", "f64"])
        m = self.fresh()
        # Half take any 1-D view: the descriptor's offset and stride then cross the call.
        layout = ", strided<[?], offset: ?>" if self.rng.random() < 0.5 else ""
        ty = f"memref<?x{elem}{layout}>"
        name = f"reduce{k}"
        fb = self.start(name, [(m, ty)])
        fb.guarding += 1  # a tiny fixed-shape helper: nothing in it to reduce
        zero, one = fb.const("index", 0), fb.const("index", 1)
        n = fb.fresh()
        fb.emit(f"{n} = memref.dim {m}, {zero} : {ty}")
        init = fb.const(elem, 0)
        i, acc, res = fb.fresh(), fb.fresh(), fb.fresh()
        fb.emit(
            f"{res} = scf.for {i} = {zero} to {n} step {one} "
            f"iter_args({acc} = {init}) -> ({elem}) {{"
        )
        x = fb.fresh()
        fb.emit(f"  {x} = memref.load {m}[{i}] : {ty}")
        nxt = fb.fresh()
        if elem in FLOAT_TYPES:
            # Stored floats are bounded by CLAMP and memrefs hold < 100 elements.
            fb.emit(f"  {nxt} = arith.addf {acc}, {x} : {elem}")
        else:
            op = self.rng.choice(["addi", "xori", "maxsi", "muli"])
            fb.emit(f"  {nxt} = arith.{op} {acc}, {x} : {elem}")
        fb.emit(f"  scf.yield {nxt} : {elem}")
        fb.emit("}")
        if elem in FLOAT_TYPES:
            self.bound[res] = CLAMP * 200
            res = fb.clamp(res, elem)
        fb.emit(f"return {res} : {elem}")
        self.finish(fb, f"@{name}({m}: {ty}) -> {elem}", [elem])
        self.helpers.append(Helper(name, [ty], [elem], "sum"))

    def make_helper(self, k: int) -> None:
        """Allocates and fills a dynamic memref and returns it (the caller deallocs)."""
        n, v = self.fresh(), self.fresh()
        name = f"make{k}"
        fb = self.start(name, [(n, "index"), (v, "i64")])
        fb.guarding += 1  # a tiny fixed-shape helper: nothing in it to reduce
        ref = fb.fresh()
        fb.emit(f"{ref} = memref.alloc({n}) : memref<?xi64>")
        zero, one = fb.const("index", 0), fb.const("index", 1)
        i = fb.fresh()
        fb.emit(f"scf.for {i} = {zero} to {n} step {one} {{")
        fi, x = fb.fresh(), fb.fresh()
        fb.emit(f"  {fi} = arith.index_cast {i} : index to i64")
        op = self.rng.choice(["muli", "addi", "xori"])
        fb.emit(f"  {x} = arith.{op} {fi}, {v} : i64")
        fb.emit(f"  memref.store {x}, {ref}[{i}] : memref<?xi64>")
        fb.emit("}")
        fb.emit(f"return {ref} : memref<?xi64>")
        self.finish(fb, f"@{name}({n}: index, {v}: i64) -> memref<?xi64>", ["memref<?xi64>"])
        self.helpers.append(Helper(name, ["index", "i64"], ["memref<?xi64>"], "make"))

    def generate(self) -> str:
        makers = [
            self.plain_helper,
            self.cf_helper,
            self.rec_helper,
            self.sum_helper,
            self.make_helper,
        ]
        count = self.rng.randint(1, 3)
        for k in range(count):
            self.rng.choices(makers, [4, 2, 1.5, 2, 1])[0](k)
        fb = self.start("main", [])
        # A few seed values of every scalar type, so early ops have something to chew on.
        for ty in ("i64", "i32", "index", "i1", "f64", "f32", "i8", "i16"):
            fb.scope.add(fb.const(ty), ty)
        # Most programs start with a memref (and often a view of it) so memref ops get used.
        if self.rng.random() < 0.7:
            fb.op_memref_new()
            if self.rng.random() < 0.6:
                fb.op_view()
                if self.rng.random() < 0.5:
                    fb.op_view_of_view()
        if any(h.kind == "sum" for h in self.helpers) and self.rng.random() < 0.7:
            fb.op_memref_call("sum")
        fb.body(self.rng.randint(5, 14))
        result = fb.fold(self.rng.randint(4, 8))
        fb.release()
        fb.emit(f"return {result} : i64")
        self.finish(fb, "@main() -> i64", ["i64"])
        header = f"// Generated by tests/differential/gen.py, seed {self.seed}.\n"
        return header + "\n".join(self.globals + self.functions) + "\n"


def generate(seed: int) -> str:
    """The program for `seed`."""
    return ProgramGenerator(seed).generate()


def main() -> int:
    """Writes a corpus: NNN.mlir and NNN.expected (the oracle's output) per program."""
    import pathlib
    import sys

    sys.path.insert(0, str(pathlib.Path(__file__).parent))
    from oracle import OracleError, run_oracle

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--out", type=pathlib.Path, required=True)
    parser.add_argument("--count", type=int, default=220)
    parser.add_argument("--first-seed", type=int, default=1)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    failures = 0
    for k in range(args.count):
        seed = args.first_seed + k
        text = generate(seed)
        try:
            expected = run_oracle(text)
        except OracleError as err:
            failures += 1
            print(f"seed {seed}: {err}", file=sys.stderr)
            continue
        (args.out / f"{k:03d}.mlir").write_text(text)
        (args.out / f"{k:03d}.expected").write_text(f"{expected}\n")
    print(f"{args.count - failures}/{args.count} programs accepted by the oracle")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
