"""`neurojit-insert-checks` on upstream MLIR IR (the native front end), already lowered.

The same checks, folding and reports as the xDSL pass (neurojit/passes/neurojit_insert_checks.py)
plus its lowering (convert-neurojit-to-llvm), in one step, because upstream MLIR cannot hold
our `neurojit.check` op in custom form (see ARCHITECTURE.md, IRDL). Before each op that can
fault:

    %ok = <condition computations, at the op's location>
    scf.if %ok {} else {                      // one branch per op: the conjunction
      scf.if %ok1 {} else { func.call @nj_fail(site1, a, b) }   // first failing check reports
      func.call @nj_fail(site2, a, b)                         // all before held: the last failed
    }

`nj_fail` is declared `noreturn cold nounwind`, so LLVM lays the failure path out of line and
drops what follows the call, as the xDSL lowering's `unreachable` does. Each site descriptor
(runtime/sites.py) is an `llvm.mlir.global` string in the module, naming the user's file (the
bindings' parser only knows `-`).

The checks are those of the xDSL pass, op for op: divisions, memref.load/store indices,
dynamic memref.alloc/alloca sizes, and views (memref.subview, memref.reinterpret_cast and
memref.cast to a static size, against the source's extent), with the same kinds, messages and
reported values, so both front ends give the same report for the same fault (tested in
tests/unit/compiler/test_view_checks.py and test_frontends.py).

`cf.assert` is legalised here too: upstream lowers a failed assert to `puts` + `abort()`,
which would kill the host; here the message is printed with `puts` as upstream does, and the
abort becomes an `nj_fail` of kind `trap` carrying the message (legalise_asserts).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from neurojit.runtime.sites import Site

NJ_FAIL = "nj_fail"

# The llvm dialect's divisions too: input that arrives already lowered (`mlir-opt ... |
# neurojit-run`) gets the same division checks as arith.
_SIGNED_DIV = {"arith.divsi", "arith.ceildivsi", "arith.floordivsi", "llvm.sdiv"}
_SIGNED_REM = {"arith.remsi", "llvm.srem"}
_UNSIGNED_DIV = {"arith.divui", "arith.ceildivui", "llvm.udiv"}
_UNSIGNED_REM = {"arith.remui", "llvm.urem"}
_ACCESS = {"memref.load", "memref.store"}
_ALLOC = {"memref.alloc", "memref.alloca"}
_VIEWS = {"memref.subview", "memref.reinterpret_cast", "memref.cast"}
_FLOAT_OPS = {
    "arith.addf",
    "arith.subf",
    "arith.mulf",
    "arith.divf",
    "math.sqrt",
    "math.log",
    "math.log2",
    "math.log10",
    "math.exp",
    "math.exp2",
    "math.powf",
}
_CMPI = {"eq": 0, "ne": 1, "ult": 6, "ule": 7}
_CMPF_OLT = 4


_RESULTS_BEFORE = re.compile(r"^(\s*)%[^=]*=\s*$")


def _column(line: int, col: int, lines: list[str] | None) -> int:
    """The column where the op's statement starts, as the xDSL parser records it.

    Upstream places an op at its name (`%r = arith.divsi` → the `a`); xDSL at the first
    result. Fault reports must not depend on the front end, so a native location moves back
    over `%r, %s = ` on the same source line.
    """
    if lines is None or not 0 < line <= len(lines):
        return col
    m = _RESULTS_BEFORE.match(lines[line - 1][: col - 1])
    return len(m.group(1)) + 1 if m else col


def location_of(loc: Any, filename: str, lines: list[str] | None = None) -> str | None:
    """`file:line:col` of an upstream location, with the parser's `-` replaced by `filename`
    and (given the source `lines`) the column at the statement's start, as xDSL has it."""
    seen = 0
    while loc is not None and seen < 16:
        seen += 1
        if loc.is_a_file():
            name = loc.filename
            if name in ("-", ""):
                name = filename
            if name == filename:
                col = _column(loc.start_line, loc.start_col, lines)
            else:
                col = loc.start_col
            return f"{name}:{loc.start_line}:{col}"
        if loc.is_a_name():
            loc = loc.child_loc
        elif loc.is_a_callsite():
            loc = loc.callee
        elif loc.is_a_fused():
            locs = loc.locations
            loc = locs[0] if locs else None
        else:
            return None
    return None


def op_location(op: Any, filename: str, lines: list[str] | None = None) -> str | None:
    """`file:line:col` of `op` or its closest located ancestor (like the xDSL op_location)."""
    cur = op
    while cur is not None:
        found = location_of(cur.location, filename, lines)
        if found is not None:
            return found
        parent = cur.parent
        cur = None if parent is None or parent.operation.name == "builtin.module" else parent
    return None


def _width(t: Any) -> int | None:
    from mlir import ir

    if isinstance(t, ir.IndexType):
        return 64
    if isinstance(t, ir.IntegerType):
        return ir.IntegerType(t).width
    return None


def constant_int(value: Any) -> int | None:
    """The signed value of an `arith.constant` (or `llvm.mlir.constant`) integer, else None."""
    from mlir import ir

    if not isinstance(value, ir.OpResult):
        return None
    owner = value.owner
    if owner.operation.name not in ("arith.constant", "llvm.mlir.constant"):
        return None
    attr = owner.attributes["value"]
    if not isinstance(attr, ir.IntegerAttr):
        return None
    width = _width(value.type)
    if width is None:
        return None
    v = ir.IntegerAttr(attr).value & ((1 << width) - 1)
    return v - (1 << width) if width > 1 and v >= 1 << (width - 1) else v


def _is_dim_of(value: Any, source: Any, dim: int) -> bool:
    from mlir import ir

    if not isinstance(value, ir.OpResult):
        return False
    owner = value.owner
    return (
        owner.operation.name == "memref.dim"
        and owner.operands[0] == source
        and constant_int(owner.operands[1]) == dim
    )


def index_known_in_bounds(index: Any, source: Any, dim: int, size: int | None) -> bool:
    """True when `0 <= index < dim(source, dim)` holds on every execution."""
    from mlir import ir

    c = constant_int(index)
    if c is not None:
        return size is not None and 0 <= c < size
    if not isinstance(index, ir.BlockArgument):
        return False
    arg = ir.BlockArgument(index)
    if arg.arg_number != 0:
        return False
    block = arg.owner
    loop = block.owner
    if loop is None or loop.operation.name != "scf.for" or block != loop.regions[0].blocks[0]:
        return False
    lb, ub, step = (constant_int(v) for v in list(loop.operands)[:3])
    if lb is None or lb < 0 or step is None or step <= 0:
        return False
    if ub is not None:
        return size is not None and ub <= size
    if size is not None:
        return False
    return _is_dim_of(loop.operands[1], source, dim)


def index_known_out_of_bounds(index: Any, size: int | None) -> bool:
    c = constant_int(index)
    return c is not None and size is not None and not 0 <= c < size


@dataclass
class _Check:
    cond: Any  # an i1 Value
    kind: str
    message: str
    values: list[Any]
    static_ok: bool = False


@dataclass
class _Inserter:
    """Builds checks in one module; holds the site globals to add at the end."""

    module: Any
    filename: str
    lines: list[str] | None = None
    taken: set[str] = field(default_factory=set)
    sites: list[tuple[str, bytes]] = field(default_factory=list)
    next_site: int = 0

    def __post_init__(self) -> None:
        from mlir import ir

        self.ir = ir
        self.i1 = ir.IntegerType.get_signless(1)
        self.i64 = ir.IntegerType.get_signless(64)
        self.index = ir.IndexType.get()
        self.ptr = ir.Type.parse("!llvm.ptr")
        for op in self.module.body.operations:
            if "sym_name" in op.attributes:
                self.taken.add(ir.StringAttr(op.attributes["sym_name"]).value)

    # ---- building ops -------------------------------------------------------------------

    def create(self, name: str, results: list[Any], operands: list[Any], attrs: dict, loc: Any):
        return self.ir.Operation.create(
            name, results=results, operands=operands, attributes=attrs, loc=loc
        )

    def const_int(self, value: int, t: Any, loc: Any) -> Any:
        attr = self.ir.IntegerAttr.get(t, value)
        return self.create("arith.constant", [t], [], {"value": attr}, loc).result

    def cmpi(self, pred: str, a: Any, b: Any, loc: Any) -> Any:
        attr = self.ir.IntegerAttr.get(self.i64, _CMPI[pred])
        return self.create("arith.cmpi", [self.i1], [a, b], {"predicate": attr}, loc).result

    def binary(self, name: str, a: Any, b: Any, loc: Any) -> Any:
        return self.create(name, [a.type], [a, b], {}, loc).result

    def to_i64(self, value: Any, loc: Any) -> Any:
        """The i64 bit pattern nj_fail takes: ints sign-extended, floats as f64 bits."""
        ir = self.ir
        t = value.type
        if isinstance(t, ir.IndexType):
            return self.create("arith.index_cast", [self.i64], [value], {}, loc).result
        if isinstance(t, ir.IntegerType):
            width = ir.IntegerType(t).width
            if width == 64:
                return value
            name = "arith.extui" if width == 1 else "arith.extsi" if width < 64 else "arith.trunci"
            return self.create(name, [self.i64], [value], {}, loc).result
        f64 = ir.F64Type.get()
        if not isinstance(t, ir.F64Type):
            value = self.create("arith.extf", [f64], [value], {}, loc).result
        return self.create("arith.bitcast", [self.i64], [value], {}, loc).result

    def site(self, site: Site) -> str:
        while f"nj_site_{self.next_site}" in self.taken:
            self.next_site += 1
        name = f"nj_site_{self.next_site}"
        self.taken.add(name)
        self.sites.append((name, site.encode() + b"\0"))
        return name

    def fail_call(self, check: _Check, function: str, location: str | None, loc: Any) -> None:
        ir = self.ir
        site = Site(
            kind=check.kind,
            message=check.message,
            location=location,
            function=function,
            operand_types=tuple(
                "float" if isinstance(v.type, ir.FloatType) else "int" for v in check.values
            ),
        )
        sym = ir.FlatSymbolRefAttr.get(self.site(site))
        address = self.create("llvm.mlir.addressof", [self.ptr], [], {"global_name": sym}, loc)
        site_id = self.create("llvm.ptrtoint", [self.i64], [address.result], {}, loc).result
        args = [self.to_i64(v, loc) for v in check.values]
        while len(args) < 2:
            args.append(self.const_int(0, self.i64, loc))
        callee = ir.FlatSymbolRefAttr.get(NJ_FAIL)
        self.create("func.call", [], [site_id, *args], {"callee": callee}, loc)

    def puts(self, data: bytes, loc: Any) -> None:
        """`puts(<data>)` (stdout, with a newline), as upstream's failed cf.assert prints."""
        ir = self.ir
        name = self.site_name("nj_assert_msg_")
        self.sites.append((name, data.replace(b"\0", b" ") + b"\0"))
        sym = ir.FlatSymbolRefAttr.get(name)
        address = self.create("llvm.mlir.addressof", [self.ptr], [], {"global_name": sym}, loc)
        callee = ir.FlatSymbolRefAttr.get("puts")
        i32 = ir.IntegerType.get_signless(32)
        self.create("func.call", [i32], [address.result], {"callee": callee}, loc)

    def site_name(self, prefix: str) -> str:
        while f"{prefix}{self.next_site}" in self.taken:
            self.next_site += 1
        name = f"{prefix}{self.next_site}"
        self.taken.add(name)
        return name

    def yield_(self, loc: Any) -> None:
        self.create("scf.yield", [], [], {}, loc)

    def if_else(self, cond: Any, loc: Any) -> Any:
        """`scf.if %cond {} else {<returned block>}`; the caller fills the else block."""
        op = self.ir.Operation.create("scf.if", results=[], operands=[cond], regions=2, loc=loc)
        then = op.regions[0].blocks.append()
        with self.ir.InsertionPoint(then):
            self.yield_(loc)
        return op.regions[1].blocks.append()

    def emit(self, checks: list[_Check], function: str, location: str | None, loc: Any) -> None:
        """One branch on the conjunction; the cold block reports the first failing check."""
        ir = self.ir
        live = [c for c in checks if not c.static_ok]
        if not live:
            return
        cond = live[0].cond
        for c in live[1:]:
            cond = self.binary("arith.andi", cond, c.cond, loc)
        cold = self.if_else(cond, loc)
        with ir.InsertionPoint(cold):
            for c in live[:-1]:
                inner = self.if_else(c.cond, loc)
                with ir.InsertionPoint(inner):
                    self.fail_call(c, function, location, loc)
                    self.yield_(loc)
            self.fail_call(live[-1], function, location, loc)
            self.yield_(loc)

    # ---- the checks ---------------------------------------------------------------------

    def division(self, op: Any, signed: bool, symbol: str, loc: Any) -> list[_Check]:
        lhs, rhs = op.operands[0], op.operands[1]
        t = rhs.type
        width = _width(t)
        if width is None:
            return []
        out: list[_Check] = []
        divisor = constant_int(rhs)
        if divisor is None or divisor == 0:
            if divisor == 0:
                nonzero = self.const_int(0, self.i1, loc)
            else:
                nonzero = self.cmpi("ne", rhs, self.const_int(0, t, loc), loc)
            msg = f"divisor is zero in {{0}} {symbol} {{1}}"
            out.append(_Check(nonzero, "division-by-zero", msg, [lhs, rhs]))
        if not signed or width < 2:
            return out
        int_min = -(1 << (width - 1))
        dividend = constant_int(lhs)
        if (divisor is not None and divisor != -1) or (
            dividend is not None and dividend != int_min
        ):
            return out
        if divisor == -1 and dividend == int_min:
            ok = self.const_int(0, self.i1, loc)
        else:
            is_min = self.cmpi("eq", lhs, self.const_int(int_min, t, loc), loc)
            is_minus_one = self.cmpi("eq", rhs, self.const_int(-1, t, loc), loc)
            both = self.binary("arith.andi", is_min, is_minus_one, loc)
            ok = self.binary("arith.xori", both, self.const_int(-1, self.i1, loc), loc)
        out.append(_Check(ok, "signed-overflow", f"{{0}} {symbol} {{1}} overflows", [lhs, rhs]))
        return out

    def bounds(self, source: Any, indices: list[Any], loc: Any) -> list[_Check]:
        ir = self.ir
        if not isinstance(source.type, ir.MemRefType):
            return []
        mt = ir.MemRefType(source.type)
        out: list[_Check] = []
        for dim, index in enumerate(indices):
            size = None if mt.is_dynamic_dim(dim) else mt.shape[dim]
            if index_known_in_bounds(index, source, dim, size):
                continue
            if size is not None:
                extent = self.const_int(size, self.index, loc)
            else:
                d = self.const_int(dim, self.index, loc)
                extent = self.create("memref.dim", [self.index], [source, d], {}, loc).result
            if index_known_out_of_bounds(index, size):
                ok = self.const_int(0, self.i1, loc)
            else:
                # Unsigned: a negative index is a huge one, so one compare covers both ends.
                ok = self.cmpi("ult", index, extent, loc)
            out.append(_Check(ok, "out-of-bounds", "index {0} not in [0, {1})", [index, extent]))
        return out

    def alloc_size(self, op: Any, loc: Any) -> list[_Check]:
        """As neurojit-insert-checks' AllocSizeChecks: every dynamic size non-negative and the
        byte count within MAX_ALLOC_BYTES, size by size, so that no product can wrap."""
        from neurojit.passes.neurojit_insert_checks import MAX_ALLOC_BYTES

        ir = self.ir
        mt = ir.MemRefType(op.results[0].type)
        dynamic = [d for d in range(mt.rank) if mt.is_dynamic_dim(d)]
        if not dynamic:
            return []
        element = mt.element_type
        width = _width(element)
        if width is None and isinstance(element, ir.FloatType):
            width = ir.FloatType(element).width
        static = max(1, ((width if width is not None else 64) + 7) // 8)
        for d in range(mt.rank):
            if not mt.is_dynamic_dim(d):
                static *= max(mt.shape[d], 1)
        if static > MAX_ALLOC_BYTES:
            return []  # a static size this large fails in malloc, not by wrapping
        out: list[_Check] = []
        running = None
        for size in list(op.operands)[: len(dynamic)]:
            if running is None:
                limit = self.const_int(MAX_ALLOC_BYTES // static, self.index, loc)
            else:
                one = self.const_int(1, self.index, loc)
                nonzero = self.binary("arith.maxui", running, one, loc)
                cap = self.const_int(MAX_ALLOC_BYTES, self.index, loc)
                limit = self.binary("arith.divui", cap, nonzero, loc)
            # Unsigned: a negative size is a huge one, so one compare covers both ends.
            ok = self.cmpi("ule", size, limit, loc)
            message = (
                f"{op.operation.name} size {{0}} is negative or makes the allocation larger "
                f"than {MAX_ALLOC_BYTES} bytes (at most {{1}} here)"
            )
            out.append(_Check(ok, "out-of-bounds", message, [size, limit]))
            base = running if running is not None else self.const_int(static, self.index, loc)
            running = self.binary("arith.muli", base, size, loc)
        return out

    # ---- views: as neurojit-insert-checks' SubviewChecks, ReinterpretCastChecks, CastChecks

    def mixed(self, static: list[int], dynamic: list[Any], loc: Any) -> list[Any]:
        """offsets/sizes/strides as index values: the static ones as constants, in order."""
        dyn = self.ir.ShapedType.get_dynamic_stride_or_offset()
        it = iter(dynamic)
        return [next(it) if v == dyn else self.const_int(v, self.index, loc) for v in static]

    def extent(self, source: Any, mt: Any, dim: int, loc: Any) -> Any:
        if not mt.is_dynamic_dim(dim):
            return self.const_int(mt.shape[dim], self.index, loc)
        d = self.const_int(dim, self.index, loc)
        return self.create("memref.dim", [self.index], [source, d], {}, loc).result

    def fits(self, offset: Any, size: Any, stride: Any, room: Any, loc: Any) -> Any:
        """i1: `offset + (size - 1) * stride < room` (or size == 0), all unsigned and without
        a product that can wrap: `stride <= (room - 1 - offset) / max(size - 1, 1)`."""
        zero, one = self.const_int(0, self.index, loc), self.const_int(1, self.index, loc)
        empty = self.cmpi("eq", size, zero, loc)
        start_ok = self.cmpi("ult", offset, room, loc)
        last = self.binary("arith.subi", self.binary("arith.subi", room, one, loc), offset, loc)
        steps = self.binary("arith.subi", size, one, loc)
        size_ok = self.cmpi("ule", steps, last, loc)
        single = self.cmpi("ule", size, one, loc)
        reach = self.binary("arith.divui", last, self.binary("arith.maxui", steps, one, loc), loc)
        stride_ok = self.binary("arith.ori", single, self.cmpi("ule", stride, reach, loc), loc)
        inside = self.binary(
            "arith.andi", self.binary("arith.andi", start_ok, size_ok, loc), stride_ok, loc
        )
        return self.binary("arith.ori", empty, inside, loc)

    def _view_parts(self, op: Any, loc: Any) -> tuple[list[Any], list[Any], list[Any]]:
        view = op.opview
        ints = self.ir.DenseI64ArrayAttr
        return (
            self.mixed(list(ints(view.static_offsets)), list(view.offsets), loc),
            self.mixed(list(ints(view.static_sizes)), list(view.sizes), loc),
            self.mixed(list(ints(view.static_strides)), list(view.strides), loc),
        )

    def subview(self, op: Any, loc: Any) -> list[_Check]:
        """In every dimension the slice `offset + i * stride`, `i < size`, lies within the
        source's extent, as upstream's runtime verification checks."""
        ir = self.ir
        source = op.operands[0]
        if not isinstance(source.type, ir.MemRefType):
            return []
        mt = ir.MemRefType(source.type)
        if len(ir.DenseI64ArrayAttr(op.opview.static_offsets)) != mt.rank:
            return []
        offsets, sizes, strides = self._view_parts(op, loc)
        out: list[_Check] = []
        for dim, (offset, size, stride) in enumerate(zip(offsets, sizes, strides, strict=True)):
            extent = self.extent(source, mt, dim, loc)
            ok = self.fits(offset, size, stride, extent, loc)
            message = f"memref.subview slice of dimension {dim} at offset {{0}} leaves [0, {{1}})"
            out.append(_Check(ok, "out-of-bounds", message, [offset, extent]))
        return out

    def reinterpret_cast(self, op: Any, loc: Any) -> list[_Check]:
        """Of an identity-layout source: every element of the new view,
        `offset + sum((size_k - 1) * stride_k)` at most, lies within the source's elements."""
        ir = self.ir
        source = op.operands[0]
        if not isinstance(source.type, ir.MemRefType):
            return []
        mt = ir.MemRefType(source.type)
        layout = mt.layout
        identity = ir.AffineMap.get_identity(mt.rank)
        if not isinstance(layout, ir.AffineMapAttr) or ir.AffineMapAttr(layout).value != identity:
            return []  # only identity layouts have a known extent from the aligned pointer
        extent = self.const_int(1, self.index, loc)
        for dim in range(mt.rank):
            extent = self.binary("arith.muli", extent, self.extent(source, mt, dim, loc), loc)
        offsets, sizes, strides = self._view_parts(op, loc)
        offset = offsets[0] if offsets else self.const_int(0, self.index, loc)
        zero, one = self.const_int(0, self.index, loc), self.const_int(1, self.index, loc)
        ok = self.cmpi("ult", offset, extent, loc)
        any_empty = self.const_int(0, self.i1, loc)
        # Walk the dimensions, shrinking the room left after the offset: each one must fit.
        room = self.binary("arith.subi", extent, offset, loc)
        for size, stride in zip(sizes, strides, strict=True):
            any_empty = self.binary("arith.ori", any_empty, self.cmpi("eq", size, zero, loc), loc)
            ok = self.binary("arith.andi", ok, self.fits(zero, size, stride, room, loc), loc)
            used = self.binary("arith.muli", self.binary("arith.subi", size, one, loc), stride, loc)
            room = self.binary("arith.subi", room, used, loc)
        ok = self.binary("arith.ori", any_empty, ok, loc)
        message = (
            "memref.reinterpret_cast view at offset {0} reaches beyond the source's {1} elements"
        )
        return [_Check(ok, "out-of-bounds", message, [offset, extent])]

    def cast(self, op: Any, loc: Any) -> list[_Check]:
        """To a static size: the source's dynamic size must be that size (upstream's runtime
        verification checks the same), else every later index check trusts a lie."""
        ir = self.ir
        source, target = op.operands[0].type, op.results[0].type
        if not isinstance(source, ir.MemRefType) or not isinstance(target, ir.MemRefType):
            return []
        src, dst = ir.MemRefType(source), ir.MemRefType(target)
        out: list[_Check] = []
        for dim in range(min(src.rank, dst.rank)):
            if not src.is_dynamic_dim(dim) or dst.is_dynamic_dim(dim):
                continue
            actual = self.extent(op.operands[0], src, dim, loc)
            expected = self.const_int(dst.shape[dim], self.index, loc)
            message = f"memref.cast of dimension {dim}: size {{0}} is not {{1}}"
            ok = self.cmpi("eq", actual, expected, loc)
            out.append(_Check(ok, "out-of-bounds", message, [actual, expected]))
        return out

    def float_result(self, op: Any, loc: Any) -> list[_Check]:
        ir = self.ir
        result = op.results[0]
        if not isinstance(result.type, ir.FloatType):
            return []
        magnitude = self.create("math.absf", [result.type], [result], {}, loc).result
        inf = ir.FloatAttr.get(result.type, float("inf"))
        bound = self.create("arith.constant", [result.type], [], {"value": inf}, loc).result
        pred = ir.IntegerAttr.get(self.i64, _CMPF_OLT)
        finite = self.create(
            "arith.cmpf", [self.i1], [magnitude, bound], {"predicate": pred}, loc
        ).result
        return [_Check(finite, "trap", f"{op.operation.name} result {{0}} is not finite", [result])]

    def add_globals(self, used: bool) -> None:
        """The site strings and the `nj_fail` declaration, ahead of the functions."""
        if not used:
            return
        ir = self.ir
        lines = [
            f"func.func private @{NJ_FAIL}(i64, i64, i64) attributes "
            '{passthrough = ["noreturn", "cold", "nounwind"]}'
        ]
        for name, data in self.sites:
            lines.append(
                f"llvm.mlir.global private constant @{name}({_mlir_string(data)}) "
                "{addr_space = 0 : i32}"
            )
        parsed = ir.Module.parse("\n".join(lines), self.module.context)
        body = self.module.body
        first = body.operations[0] if len(body.operations) else None
        for op in list(parsed.body.operations):
            if op.operation.name == "func.func" and NJ_FAIL in self.taken:
                continue  # the module declares it already
            if first is None:
                body.append(op.detach_from_parent())
            else:
                op.move_before(first)


# Each byte's spelling inside an MLIR string literal: printable ASCII as is, else \XX.
_MLIR_BYTE = tuple(
    chr(b) if 32 <= b < 127 and chr(b) not in '"\\' else f"\\{b:02X}" for b in range(256)
)


def _mlir_string(data: bytes) -> str:
    # A table lookup per byte: this runs for every check site (thousands per large module).
    return '"' + "".join(map(_MLIR_BYTE.__getitem__, data)) + '"'


def _functions(module: Any) -> list[Any]:
    """func.func, and llvm.func definitions (input already in the llvm dialect)."""
    return [
        op
        for op in module.body.operations
        if op.operation.name == "func.func"
        or (op.operation.name == "llvm.func" and len(op.regions[0].blocks))
    ]


def insert_checks(
    module: Any, filename: str, check_float: bool = False, source: str | None = None
) -> int:
    """Insert the checks into every function of `module` in place; returns how many ops.

    `source` (the parsed text) lets fault locations use xDSL's column convention."""
    from mlir import ir

    lines = source.splitlines() if source is not None else None
    ins = _Inserter(module, filename, lines)
    names = _SIGNED_DIV | _SIGNED_REM | _UNSIGNED_DIV | _UNSIGNED_REM | _ACCESS | _ALLOC | _VIEWS
    if check_float:
        names = names | _FLOAT_OPS
    targets: list[tuple[Any, str]] = []
    for func in _functions(module):
        fname = ir.StringAttr(func.attributes["sym_name"]).value

        def collect(op: Any, fname: str = fname) -> Any:
            if op.operation.name in names:
                targets.append((op, fname))
            return ir.WalkResult.ADVANCE

        func.walk(collect)
    count = 0
    for op, fname in targets:
        loc = op.location
        location = op_location(op, filename, lines)
        name = op.operation.name
        after = name in _FLOAT_OPS
        # Float checks go after the op (they test its result); the others before it.
        point = ir.InsertionPoint.after(op) if after else ir.InsertionPoint(op)
        with point:
            if name in _SIGNED_DIV:
                checks = ins.division(op, True, "/", loc)
            elif name in _SIGNED_REM:
                checks = ins.division(op, True, "%", loc)
            elif name in _UNSIGNED_DIV:
                checks = ins.division(op, False, "/", loc)
            elif name in _UNSIGNED_REM:
                checks = ins.division(op, False, "%", loc)
            elif name == "memref.load":
                checks = ins.bounds(op.operands[0], list(op.operands)[1:], loc)
            elif name == "memref.store":
                checks = ins.bounds(op.operands[1], list(op.operands)[2:], loc)
            elif name in _ALLOC:
                checks = ins.alloc_size(op, loc)
            elif name == "memref.subview":
                checks = ins.subview(op, loc)
            elif name == "memref.reinterpret_cast":
                checks = ins.reinterpret_cast(op, loc)
            elif name == "memref.cast":
                checks = ins.cast(op, loc)
            else:
                checks = ins.float_result(op, loc)
            ins.emit(checks, fname, location, loc)
        count += bool(checks)
    ins.add_globals(bool(ins.sites))
    return count


def legalise_asserts(
    module: Any, filename: str = "-", source: str | None = None, *, print_message: bool = True
) -> int:
    """`cf.assert %c, "msg"` → `scf.if %c {} else { puts("msg"); nj_fail(trap site "msg") }`.

    Upstream lowers a failed assert to `puts(msg)` + `abort()`; the message is printed the
    same way here, and the abort becomes a `trap` fault carrying the message (the crash guard
    reports it and the healing loop sees it) instead of killing the host. Returns how many.
    """
    from mlir import ir

    asserts: list[Any] = []

    def collect(op: Any) -> Any:
        if op.operation.name == "cf.assert":
            asserts.append(op)
        return ir.WalkResult.ADVANCE

    functions: list[tuple[Any, str]] = []
    for func in _functions(module):
        before = len(asserts)
        func.walk(collect)
        fname = ir.StringAttr(func.attributes["sym_name"]).value
        functions += [(op, fname) for op in asserts[before:]]
    if not functions:
        return 0
    lines = source.splitlines() if source is not None else None
    ins = _Inserter(module, filename, lines)
    needs_puts = print_message and "puts" not in ins.taken
    for op, fname in functions:
        loc = op.location
        message = ir.StringAttr(op.attributes["msg"]).value
        # The site's message is a format string ({0}, {1}) and its fields are US-separated.
        shown = message.replace("\x1f", " ").replace("\0", " ")
        escaped = shown.replace("{", "{{").replace("}", "}}")
        with ir.InsertionPoint(op):
            cold = ins.if_else(op.operands[0], loc)
            with ir.InsertionPoint(cold):
                if print_message:
                    ins.puts(message.encode(errors="replace"), loc)
                check = _Check(ins.const_int(0, ins.i1, loc), "trap", escaped, [])
                ins.fail_call(check, fname, op_location(op, filename, lines), loc)
                ins.yield_(loc)
        op.erase()
    ins.add_globals(True)
    if needs_puts:
        decl = ir.Module.parse("func.func private @puts(!llvm.ptr) -> i32", module.context)
        for op in list(decl.body.operations):
            op.move_before(module.body.operations[0])
    return len(functions)


def check_heap(module: Any, filename: str, source: str | None = None) -> int:
    """The checked heap (runtime/heap_ir.py) on a module lowered to the llvm dialect:
    `malloc`/`aligned_alloc` calls become `nj_malloc`/`nj_aligned_alloc`, and each `free`
    (what upstream lowers `memref.dealloc` to, at the dealloc's location) becomes
    `nj_dealloc(ptr, site_foreign, site_double)`, which reports kind `invalid-free` at that
    location instead of letting libc abort the process. Returns how many frees it checks.
    The xDSL twin is the `neurojit-check-heap` pass."""
    from mlir import ir
    from mlir.dialects import llvm

    from neurojit.runtime import heap_ir

    lines = source.splitlines() if source is not None else None
    ins = _Inserter(module, filename, lines)
    calls: list[Any] = []
    decls: list[Any] = []

    def collect(op: Any) -> Any:
        name = op.operation.name
        if name == "llvm.call" and "callee" in op.attributes:
            callee = ir.FlatSymbolRefAttr(op.attributes["callee"]).value
            if callee == "free" or callee in heap_ir.ALLOCATORS:
                calls.append((op, callee))
        elif name == "llvm.func":
            sym = ir.StringAttr(op.attributes["sym_name"]).value
            if sym in heap_ir.ALLOCATORS and not len(op.regions[0].blocks):
                decls.append((op, sym))
        return ir.WalkResult.ADVANCE

    module.operation.walk(collect)
    if not calls:
        return 0
    for op, sym in decls:
        if heap_ir.ALLOCATORS[sym] in ins.taken:
            continue
        op.attributes["sym_name"] = ir.StringAttr.get(heap_ir.ALLOCATORS[sym])
        ins.taken.add(heap_ir.ALLOCATORS[sym])
    frees = 0
    for op, callee in calls:
        if callee != "free":
            op.attributes["callee"] = ir.FlatSymbolRefAttr.get(heap_ir.ALLOCATORS[callee])
            continue
        loc = op.location
        location = op_location(op, filename, lines)
        func = op.parent
        while func is not None and func.operation.name != "llvm.func":
            func = func.parent
        function = ir.StringAttr(func.attributes["sym_name"]).value if func is not None else "?"
        with ir.InsertionPoint(op):
            site_ids = []
            for message in (heap_ir.FOREIGN_MESSAGE, heap_ir.DOUBLE_MESSAGE):
                site = Site(heap_ir.KIND, message, location, function)
                sym = ir.FlatSymbolRefAttr.get(ins.site(site))
                address = ins.create(
                    "llvm.mlir.addressof", [ins.ptr], [], {"global_name": sym}, loc
                )
                site_ids.append(
                    ins.create("llvm.ptrtoint", [ins.i64], [address.result], {}, loc).result
                )
            llvm.CallOp(
                None,
                [op.operands[0], *site_ids],
                [],
                [],
                callee=ir.FlatSymbolRefAttr.get(heap_ir.NJ_DEALLOC),
                loc=loc,
            )
        op.erase()
        frees += 1
    body = [
        f"llvm.mlir.global private constant @{name}({_mlir_string(data)}) {{addr_space = 0 : i32}}"
        for name, data in ins.sites
    ]
    if frees and heap_ir.NJ_DEALLOC not in ins.taken:
        body.append(f"llvm.func @{heap_ir.NJ_DEALLOC}(!llvm.ptr, i64, i64)")
    if body:
        parsed = ir.Module.parse("\n".join(body), module.context)
        top = module.body
        first = top.operations[0] if len(top.operations) else None
        for new in list(parsed.body.operations):
            if first is None:
                top.append(new.detach_from_parent())
            else:
                new.move_before(first)
    return frees
