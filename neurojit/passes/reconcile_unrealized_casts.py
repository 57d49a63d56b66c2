"""`reconcile-unrealized-casts`: fold `builtin.unrealized_conversion_cast` chains.

The casts our passes leave (identities, and A->B->A pairs from running passes one by one)
are folded in two linear sweeps. Anything longer goes to xDSL's own
`reconcile_unrealized_casts`, which follows whole cast chains. A cast that is still live
then is a NeuroJITError naming it (upstream: "failed to legalize"), not xDSL's warning.
Inside `neurojit-lower-to-llvm` our lowerings create no casts, so this only cleans up casts
written by users or other passes.
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import builtin
from xdsl.passes import ModulePass
from xdsl.transforms.reconcile_unrealized_casts import reconcile_unrealized_casts

from neurojit.passes.llvm_common.errors import unsupported


def _fold(cast: builtin.UnrealizedConversionCastOp) -> bool:
    """Fold `cast` away if it is an identity or the inverse of the cast feeding it."""
    inputs = list(cast.inputs)
    if [v.type for v in inputs] == [r.type for r in cast.results]:
        for res, v in zip(cast.results, inputs, strict=True):
            res.replace_all_uses_with(v)
        cast.detach()
        cast.erase()
        return True
    producer = inputs[0].owner if inputs else None
    if (
        isinstance(producer, builtin.UnrealizedConversionCastOp)
        and list(producer.results) == inputs
        and [v.type for v in producer.inputs] == [r.type for r in cast.results]
    ):
        for res, v in zip(cast.results, producer.inputs, strict=True):
            res.replace_all_uses_with(v)
        cast.detach()
        cast.erase()
        return True
    if all(not r.uses for r in cast.results):
        cast.detach()
        cast.erase()
        return True
    return False


@dataclass(frozen=True)
class ReconcileUnrealizedCastsPass(ModulePass):
    """Remove cast pairs A->B->A and identity casts; a live cast left over is an error."""

    name = "reconcile-unrealized-casts"

    def apply(self, ctx: Context, op: builtin.ModuleOp) -> None:
        casts = [o for o in op.walk() if isinstance(o, builtin.UnrealizedConversionCastOp)]
        if not casts:
            return
        # Users come after producers in a walk, so folding in order collapses chains; a second
        # sweep in reverse removes producers whose last user was just folded.
        for cast in casts:
            _fold(cast)
        for cast in reversed(casts):
            if cast.parent is not None:
                _fold(cast)
        if any(cast.parent is not None for cast in casts):
            reconcile_unrealized_casts(op, warn_on_failure=False)
        for cast in casts:
            if cast.parent is not None:
                raise unsupported(cast, "an unrealized conversion cast remains live")
