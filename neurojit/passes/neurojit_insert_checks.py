"""`neurojit-insert-checks`: an explicit `neurojit.check` before every op that can fault.

Why explicit checks when the crash guard catches signals anyway: O2 deletes statically visible
faults (`sdiv x, 0` becomes poison, a null load `ret undef`), so a signal is only a safety net;
and a check knows the op's location and operand values, which a signal does not.

- integer division/remainder: the divisor is not zero; signed ones also not `INT_MIN / -1`;
- `memref.load` / `memref.store`: every index in `[0, dim)` (one unsigned compare per index;
  dynamic dims through `memref.dim`);
- `memref.cast` to a static size: the source's dynamic size is that size;
- `memref.subview` / `memref.reinterpret_cast`: the view's offsets, sizes and strides against
  the source's extent (per dimension for a subview; against the source's element count for a
  reinterpret_cast of an identity-layout source), so every access through a view is within
  the real allocation;
- `memref.alloc` / `memref.alloca`: every dynamic size non-negative and the byte count at
  most `MAX_ALLOC_BYTES` (so `n * 8` cannot wrap into a small buffer);
- with `check-float=true`, float arithmetic results that are NaN or infinite (kind `trap`:
  the dialect's kinds are fixed, and this is what an IEEE invalid/overflow trap would report).

Checks whose outcome is known statically fold away: constant operands, and the loop
induction variable of `scf.for %i = %lb to %ub` with a constant `0 <= lb`, a positive step and
`ub` either a constant within a static dim or the very `memref.dim` of the indexed dimension
(the contiguous loop `for i in [0, dim(A, 0))`). A check known to fail stays, as a check on a
constant `false`: the run reports it at that op.

Upstream has no equivalent pass; the closest is the `-generate-runtime-verification` family.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import arith, builtin, math, memref, scf
from xdsl.dialects.builtin import (
    DYNAMIC_INDEX,
    AnyFloat,
    FloatAttr,
    IndexType,
    IntegerAttr,
    IntegerType,
    MemRefType,
)
from xdsl.ir import Attribute, BlockArgument, Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import PatternRewriter, RewritePattern
from xdsl.rewriter import InsertPoint

from neurojit.dialect.neurojit import CheckOp
from neurojit.passes.llvm_common.driver import (
    apply_once,
    op_pattern,
)

_I1 = IntegerType(1)

# ---- static knowledge ------------------------------------------------------------------


def _width(t: Attribute) -> int | None:
    if isinstance(t, IndexType):
        return 64
    if isinstance(t, IntegerType):
        return t.width.data
    return None


def constant_int(value: SSAValue) -> int | None:
    """The signed value of an `arith.constant` integer/index, else None."""
    op = value.owner
    if not isinstance(op, arith.ConstantOp) or not isinstance(op.value, IntegerAttr):
        return None
    width = _width(value.type)
    if width is None:
        return None
    v = op.value.value.data & ((1 << width) - 1)
    return v - (1 << width) if width > 1 and v >= 1 << (width - 1) else v


def _is_dim_of(value: SSAValue, source: SSAValue, dim: int) -> bool:
    """Is `value` `memref.dim %source, <dim>`?"""
    op = value.owner
    return isinstance(op, memref.DimOp) and op.source == source and constant_int(op.index) == dim


def index_known_in_bounds(index: SSAValue, source: SSAValue, dim: int, size: int | None) -> bool:
    """True when `0 <= index < dim(source, dim)` holds on every execution."""
    c = constant_int(index)
    if c is not None:
        return size is not None and 0 <= c < size
    if not isinstance(index, BlockArgument) or index.index != 0:
        return False
    loop = index.block.parent_op()
    if not isinstance(loop, scf.ForOp) or index.block is not loop.body.block:
        return False
    lb, step = constant_int(loop.lb), constant_int(loop.step)
    if lb is None or lb < 0 or step is None or step <= 0:
        return False
    ub = constant_int(loop.ub)
    if ub is not None:
        return size is not None and ub <= size
    if size is not None:
        return False
    return _is_dim_of(loop.ub, source, dim)


def index_known_out_of_bounds(index: SSAValue, size: int | None) -> bool:
    c = constant_int(index)
    return c is not None and size is not None and not 0 <= c < size


# ---- building checks --------------------------------------------------------------------


class _Builder:
    """Inserts ops before an anchor op, each carrying the anchor's location.

    Checks are held back until `flush()`, which puts them after all the condition
    computations, back to back: convert-neurojit-to-llvm turns such a run into a single
    branch on the conjunction, so an op with several checks costs one branch on the hot path.
    """

    def __init__(self, rewriter: PatternRewriter, anchor: Operation, after: bool = False) -> None:
        self.rewriter = rewriter
        self.anchor = anchor
        self.point = InsertPoint.after(anchor) if after else InsertPoint.before(anchor)
        self.pending: list[CheckOp] = []

    def add(self, op: Operation) -> SSAValue | None:
        op.location = self.anchor.location
        self.rewriter.insert(op, self.point)
        self.point = InsertPoint.after(op)
        return op.results[0] if op.results else None

    def int_const(self, value: int, type_: Attribute) -> SSAValue:
        result = self.add(arith.ConstantOp(IntegerAttr(value, type_)))
        assert result is not None
        return result

    def cmpi(self, pred: str, a: SSAValue, b: SSAValue) -> SSAValue:
        result = self.add(arith.CmpiOp(a, b, pred))
        assert result is not None
        return result

    def check(self, cond: SSAValue, kind: str, message: str, values: list[SSAValue]) -> None:
        self.pending.append(CheckOp(cond, kind, message, values))

    def flush(self) -> None:
        for check in self.pending:
            self.add(check)
        self.pending.clear()


def _is_scalar_int(t: Attribute) -> bool:
    return isinstance(t, IntegerType | IndexType)


class _DivisionChecks(RewritePattern):
    """Shared by the signed and unsigned division patterns."""

    symbol = "/"

    def insert(
        self, op: Operation, lhs: SSAValue, rhs: SSAValue, signed: bool, rewriter: PatternRewriter
    ) -> None:
        b = _Builder(rewriter, op)
        self.add_checks(b, lhs, rhs, signed)
        b.flush()

    def add_checks(self, b: _Builder, lhs: SSAValue, rhs: SSAValue, signed: bool) -> None:
        t = rhs.type
        width = _width(t)
        if width is None or not _is_scalar_int(t):
            return
        divisor = constant_int(rhs)
        if divisor is None or divisor == 0:
            nonzero = b.int_const(0, _I1) if divisor == 0 else b.cmpi("ne", rhs, b.int_const(0, t))
            b.check(
                nonzero,
                "division-by-zero",
                f"divisor is zero in {{0}} {self.symbol} {{1}}",
                [lhs, rhs],
            )
        if not signed or width < 2:
            return
        int_min = -(1 << (width - 1))
        dividend = constant_int(lhs)
        if (divisor is not None and divisor != -1) or (
            dividend is not None and dividend != int_min
        ):
            return
        if divisor == -1 and dividend == int_min:
            ok = b.int_const(0, _I1)
        else:
            is_min = b.cmpi("eq", lhs, b.int_const(int_min, t))
            is_minus_one = b.cmpi("eq", rhs, b.int_const(-1, t))
            both = b.add(arith.AndIOp(is_min, is_minus_one))
            assert both is not None
            ok = b.add(arith.XOrIOp(both, b.int_const(-1, _I1)))
            assert ok is not None
        b.check(ok, "signed-overflow", f"{{0}} {self.symbol} {{1}} overflows", [lhs, rhs])


class SignedDivisionChecks(_DivisionChecks):
    """Zero divisor and `INT_MIN / -1` before signed division."""

    @op_pattern
    def match_and_rewrite(
        self,
        op: arith.DivSIOp | arith.CeilDivSIOp | arith.FloorDivSIOp,
        rewriter: PatternRewriter,
        /,
    ) -> None:
        self.insert(op, op.lhs, op.rhs, True, rewriter)


class SignedRemainderChecks(_DivisionChecks):
    """Zero divisor and `INT_MIN % -1` before signed remainder."""

    symbol = "%"

    @op_pattern
    def match_and_rewrite(self, op: arith.RemSIOp, rewriter: PatternRewriter, /) -> None:
        self.insert(op, op.lhs, op.rhs, True, rewriter)


class UnsignedDivisionChecks(_DivisionChecks):
    """Zero divisor before unsigned division."""

    @op_pattern
    def match_and_rewrite(
        self, op: arith.DivUIOp | arith.CeilDivUIOp, rewriter: PatternRewriter, /
    ) -> None:
        self.insert(op, op.lhs, op.rhs, False, rewriter)


class UnsignedRemainderChecks(_DivisionChecks):
    """Zero divisor before unsigned remainder."""

    symbol = "%"

    @op_pattern
    def match_and_rewrite(self, op: arith.RemUIOp, rewriter: PatternRewriter, /) -> None:
        self.insert(op, op.lhs, op.rhs, False, rewriter)


def _insert_bounds_checks(
    op: Operation, source: SSAValue, indices: list[SSAValue], rewriter: PatternRewriter
) -> None:
    mtype = source.type
    if not isinstance(mtype, MemRefType):
        return
    shape = mtype.get_shape()
    b = _Builder(rewriter, op)
    for dim, index in enumerate(indices):
        size = shape[dim] if shape[dim] >= 0 else None
        if index_known_in_bounds(index, source, dim, size):
            continue
        if size is not None:
            extent = b.add(arith.ConstantOp(IntegerAttr(size, IndexType())))
        else:
            extent = b.add(memref.DimOp(source, b.int_const(dim, IndexType())))
        assert extent is not None
        if index_known_out_of_bounds(index, size):
            ok = b.int_const(0, _I1)
        else:
            # Unsigned: a negative index is a huge one, so one compare covers both ends.
            ok = b.cmpi("ult", index, extent)
        b.check(ok, "out-of-bounds", "index {0} not in [0, {1})", [index, extent])
    b.flush()


class LoadBoundsChecks(RewritePattern):
    """Every index of `memref.load` within its dimension."""

    @op_pattern
    def match_and_rewrite(self, op: memref.LoadOp, rewriter: PatternRewriter, /) -> None:
        _insert_bounds_checks(op, op.memref, list(op.indices), rewriter)


class StoreBoundsChecks(RewritePattern):
    """Every index of `memref.store` within its dimension."""

    @op_pattern
    def match_and_rewrite(self, op: memref.StoreOp, rewriter: PatternRewriter, /) -> None:
        _insert_bounds_checks(op, op.memref, list(op.indices), rewriter)


# Largest allocation a dynamic size may ask for, in bytes. Far beyond any real machine, and
# small enough that `elements * element size` is checked before it can wrap (a wrapped size
# would malloc a small buffer that the code then writes past).
MAX_ALLOC_BYTES = 1 << 40


def element_bytes(t: Attribute) -> int:
    """Bytes of one memref element as the lowering lays it out (index: 8)."""
    width = _width(t)
    if width is None:
        width = getattr(t, "bitwidth", 64)
    return max(1, (width + 7) // 8)


class AllocSizeChecks(RewritePattern):
    """Every dynamic size of `memref.alloc`/`alloca` non-negative, and the total byte count
    within MAX_ALLOC_BYTES, checked size by size so that no product can wrap."""

    @op_pattern
    def match_and_rewrite(
        self, op: memref.AllocOp | memref.AllocaOp, rewriter: PatternRewriter, /
    ) -> None:
        mtype = op.memref.type
        if not isinstance(mtype, MemRefType) or not op.dynamic_sizes:
            return
        static = element_bytes(mtype.element_type)
        for dim in mtype.get_shape():
            if dim >= 0:
                static *= max(dim, 1)
        if static > MAX_ALLOC_BYTES:
            return  # a static size this large faults in malloc, not by wrapping
        b = _Builder(rewriter, op)
        index = IndexType()
        running: SSAValue | None = None  # bytes so far, when it is no longer a constant
        for size in op.dynamic_sizes:
            if running is None:
                limit = b.int_const(MAX_ALLOC_BYTES // static, index)
            else:
                one = b.int_const(1, index)
                nonzero = b.add(arith.MaxUIOp(running, one))
                cap = b.int_const(MAX_ALLOC_BYTES, index)
                limit = b.add(arith.DivUIOp(cap, nonzero))  # type: ignore[arg-type]
            assert limit is not None
            # Unsigned: a negative size is a huge one, so one compare covers both ends.
            ok = b.cmpi("ule", size, limit)
            b.check(
                ok,
                "out-of-bounds",
                f"{op.name} size {{0}} is negative or makes the allocation larger than "
                f"{MAX_ALLOC_BYTES} bytes (at most {{1}} here)",
                [size, limit],
            )
            base = running if running is not None else b.int_const(static, index)
            running = b.add(arith.MuliOp(base, size))
        b.flush()


def _mixed(b: _Builder, static: Sequence[int], dynamic: Sequence[SSAValue]) -> list[SSAValue]:
    """offsets/sizes/strides as index values: the static ones as constants, in order."""
    values: list[SSAValue] = []
    it = iter(dynamic)
    for v in static:
        values.append(next(it) if v == DYNAMIC_INDEX else b.int_const(v, IndexType()))
    return values


def _fits(b: _Builder, offset: SSAValue, size: SSAValue, stride: SSAValue, room: SSAValue):
    """i1: `offset + (size - 1) * stride < room` (or size == 0), all unsigned and without a
    product that can wrap: `stride <= (room - 1 - offset) / max(size - 1, 1)`."""
    index = IndexType()
    zero, one = b.int_const(0, index), b.int_const(1, index)
    empty = b.cmpi("eq", size, zero)
    start_ok = b.cmpi("ult", offset, room)
    last = b.add(arith.SubiOp(b.add(arith.SubiOp(room, one)), offset))  # type: ignore[arg-type]
    steps = b.add(arith.SubiOp(size, one))  # type: ignore[arg-type]
    assert last is not None and steps is not None
    size_ok = b.cmpi("ule", steps, last)
    single = b.cmpi("ule", size, one)
    divisor = b.add(arith.MaxUIOp(steps, one))
    reach = b.add(arith.DivUIOp(last, divisor))  # type: ignore[arg-type]
    assert reach is not None
    stride_ok = b.add(arith.OrIOp(single, b.cmpi("ule", stride, reach)))
    inside = b.add(arith.AndIOp(b.add(arith.AndIOp(start_ok, size_ok)), stride_ok))  # type: ignore[arg-type]
    result = b.add(arith.OrIOp(empty, inside))  # type: ignore[arg-type]
    assert result is not None
    return result, last


class SubviewChecks(RewritePattern):
    """`memref.subview`: in every dimension the slice `offset + i * stride`, `i < size`, lies
    within the source's extent, as upstream's runtime verification checks."""

    @op_pattern
    def match_and_rewrite(self, op: memref.SubviewOp, rewriter: PatternRewriter, /) -> None:
        source = op.source
        mtype = source.type
        if not isinstance(mtype, MemRefType):
            return
        shape = mtype.get_shape()
        static_offsets = op.static_offsets.get_values()
        if len(static_offsets) != len(shape):
            return
        b = _Builder(rewriter, op)
        offsets = _mixed(b, static_offsets, op.offsets)
        sizes = _mixed(b, op.static_sizes.get_values(), op.sizes)
        strides = _mixed(b, op.static_strides.get_values(), op.strides)
        for dim, (offset, size, stride) in enumerate(zip(offsets, sizes, strides, strict=True)):
            if shape[dim] >= 0:
                extent = b.int_const(shape[dim], IndexType())
            else:
                extent = b.add(memref.DimOp(source, b.int_const(dim, IndexType())))
            assert extent is not None
            ok, _ = _fits(b, offset, size, stride, extent)
            b.check(
                ok,
                "out-of-bounds",
                f"memref.subview slice of dimension {dim} at offset {{0}} leaves [0, {{1}})",
                [offset, extent],
            )
        b.flush()


class CastChecks(RewritePattern):
    """`memref.cast` to a static size: the source's dynamic size must be that size (upstream's
    runtime verification checks the same), else every later index check trusts a lie."""

    @op_pattern
    def match_and_rewrite(self, op: memref.CastOp, rewriter: PatternRewriter, /) -> None:
        source, target = op.source.type, op.dest.type
        if not isinstance(source, MemRefType) or not isinstance(target, MemRefType):
            return
        shapes = zip(source.get_shape(), target.get_shape(), strict=False)  # rank: verified
        pairs = [(dim, want) for dim, (have, want) in enumerate(shapes) if have < 0 <= want]
        if not pairs:
            return
        b = _Builder(rewriter, op)
        for dim, want in pairs:
            actual = b.add(memref.DimOp(op.source, b.int_const(dim, IndexType())))
            assert actual is not None
            expected = b.int_const(want, IndexType())
            b.check(
                b.cmpi("eq", actual, expected),
                "out-of-bounds",
                f"memref.cast of dimension {dim}: size {{0}} is not {{1}}",
                [actual, expected],
            )
        b.flush()


class ReinterpretCastChecks(RewritePattern):
    """`memref.reinterpret_cast` of an identity-layout source: every element of the new view,
    `offset + sum((size_k - 1) * stride_k)` at most, lies within the source's elements."""

    @op_pattern
    def match_and_rewrite(self, op: memref.ReinterpretCastOp, rewriter: PatternRewriter, /) -> None:
        source = op.source
        mtype = source.type
        if not isinstance(mtype, MemRefType) or not isinstance(mtype.layout, builtin.NoneAttr):
            return  # only identity layouts have a known extent from the aligned pointer
        index = IndexType()
        b = _Builder(rewriter, op)
        extent: SSAValue = b.int_const(1, index)
        for dim, size in enumerate(mtype.get_shape()):
            if size >= 0:
                term = b.int_const(size, index)
            else:
                term = b.add(memref.DimOp(source, b.int_const(dim, index)))  # type: ignore[assignment]
            extent = b.add(arith.MuliOp(extent, term))  # type: ignore[assignment]
        offsets = _mixed(b, op.static_offsets.get_values(), op.offsets)
        sizes = _mixed(b, op.static_sizes.get_values(), op.sizes)
        strides = _mixed(b, op.static_strides.get_values(), op.strides)
        offset = offsets[0] if offsets else b.int_const(0, index)
        zero, one = b.int_const(0, index), b.int_const(1, index)
        ok = b.cmpi("ult", offset, extent)
        any_empty = b.int_const(0, _I1)
        # Walk the dimensions, shrinking the room left after the offset: each one must fit.
        room = b.add(arith.SubiOp(extent, offset))  # type: ignore[arg-type]
        assert room is not None
        for size, stride in zip(sizes, strides, strict=True):
            any_empty = b.add(arith.OrIOp(any_empty, b.cmpi("eq", size, zero)))  # type: ignore[assignment]
            fits, last = _fits(b, zero, size, stride, room)
            ok = b.add(arith.AndIOp(ok, fits))  # type: ignore[assignment]
            steps = b.add(arith.SubiOp(size, one))  # type: ignore[arg-type]
            used = b.add(arith.MuliOp(steps, stride))  # type: ignore[arg-type]
            room = b.add(arith.SubiOp(room, used))  # type: ignore[assignment, arg-type]
            del last
        ok = b.add(arith.OrIOp(any_empty, ok))  # type: ignore[assignment]
        b.check(
            ok,
            "out-of-bounds",
            "memref.reinterpret_cast view at offset {0} reaches beyond the source's {1} elements",
            [offset, extent],
        )
        b.flush()


_FLOAT_OPS = (
    arith.AddfOp,
    arith.SubfOp,
    arith.MulfOp,
    arith.DivfOp,
    math.SqrtOp,
    math.LogOp,
    math.Log2Op,
    math.Log10Op,
    math.ExpOp,
    math.Exp2Op,
    math.PowFOp,
)


class FloatResultChecks(RewritePattern):
    """A float arithmetic result that is NaN or infinite (only with check-float=true)."""

    @op_pattern
    def match_and_rewrite(
        self,
        op: arith.AddfOp
        | arith.SubfOp
        | arith.MulfOp
        | arith.DivfOp
        | math.SqrtOp
        | math.LogOp
        | math.Log2Op
        | math.Log10Op
        | math.ExpOp
        | math.Exp2Op
        | math.PowFOp,
        rewriter: PatternRewriter,
        /,
    ) -> None:
        result = op.results[0]
        if not isinstance(result.type, AnyFloat):
            return
        b = _Builder(rewriter, op, after=True)
        magnitude = b.add(math.AbsFOp(result))
        inf = b.add(arith.ConstantOp(FloatAttr(float("inf"), result.type)))
        assert magnitude is not None and inf is not None
        # Ordered less-than is false for NaN and for ±inf: one compare for both.
        finite = b.add(arith.CmpfOp(magnitude, inf, "olt"))
        assert finite is not None
        # The fault kinds are fixed by the dialect; a non-finite result is what an IEEE
        # invalid/overflow trap would have signalled, so it reports as "trap".
        b.check(finite, "trap", f"{op.name} result {{0}} is not finite", [result])
        b.flush()


@dataclass(frozen=True)
class NeuroJITInsertChecksPass(ModulePass):
    """Insert `neurojit.check` before divisions, remainders and memref accesses."""

    name = "neurojit-insert-checks"

    check_float: bool = False

    def apply(self, ctx: Context, op: builtin.ModuleOp) -> None:
        patterns: list[RewritePattern] = [
            SignedDivisionChecks(),
            SignedRemainderChecks(),
            UnsignedDivisionChecks(),
            UnsignedRemainderChecks(),
            LoadBoundsChecks(),
            StoreBoundsChecks(),
            AllocSizeChecks(),
            SubviewChecks(),
            ReinterpretCastChecks(),
            CastChecks(),
        ]
        if self.check_float:
            patterns.append(FloatResultChecks())
        apply_once(op, patterns)


__all__ = ["NeuroJITInsertChecksPass", "constant_int"]
