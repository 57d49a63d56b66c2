"""xDSL's memref dialect with the ops whose upstream custom syntax xDSL 0.74 lacks swapped out.

Each replacement subclasses xDSL's op (so `isinstance` checks and passes written against
xDSL keep working) and adds only upstream's `parse`/`print` (and, for `memref.cast`,
upstream's verifier). `neurojit.ir.make_context` registers this dialect as `memref`.
"""

from __future__ import annotations

from xdsl.dialects import memref
from xdsl.ir import Dialect, Operation

from neurojit.dialect.memref_alloca_scope import AllocaScopeOp, AllocaScopeReturnOp
from neurojit.dialect.memref_cast import CastOp, MemorySpaceCastOp
from neurojit.dialect.memref_copy import CopyOp
from neurojit.dialect.memref_global import GlobalOp
from neurojit.dialect.memref_metadata import ExtractAlignedPointerAsIndexOp, RankOp

# xDSL's op class -> ours. Order is irrelevant; the dialect keeps xDSL's op order.
UPSTREAM_SYNTAX: dict[type[Operation], type[Operation]] = {
    memref.GlobalOp: GlobalOp,
    memref.CastOp: CastOp,
    memref.MemorySpaceCastOp: MemorySpaceCastOp,
    memref.CopyOp: CopyOp,
    memref.RankOp: RankOp,
    memref.ExtractAlignedPointerAsIndexOp: ExtractAlignedPointerAsIndexOp,
    memref.AllocaScopeOp: AllocaScopeOp,
    memref.AllocaScopeReturnOp: AllocaScopeReturnOp,
}


def memref_dialect() -> Dialect:
    """xDSL's memref dialect with every op in `UPSTREAM_SYNTAX` replaced by ours."""
    base = memref.MemRef
    operations = [UPSTREAM_SYNTAX.get(op, op) for op in base.operations]
    return Dialect(base.name, operations, list(base.attributes), list(base._interfaces))
