"""The lowering pipeline, defined once for every front end, the oracle and the tests.

`LOWERING` is upstream's order of the conversion passes that take func/arith/math/scf/cf/
memref to the llvm dialect: scf first (it creates arith/cf ops), func before cf (it gives
block arguments their LLVM types), casts last. Each front end runs it its own way:

- `xdsl`: our passes of the same names (neurojit/passes), with `convert-neurojit-to-llvm`
  (checks → `nj_fail` branches) right after `convert-scf-to-cf`;
- `native`: upstream MLIR 22's own passes in-process, after `PREPARE` (semantics-preserving
  upstream rewrites our passes do not need) and with `EXTRA` conversions for the dialects only
  upstream lowers (vector, affine, index, math ops without an LLVM intrinsic → libm);
- the oracle: `mlir-opt-19` with `PREPARE` + `LOWERING` (`upstream_flags()`).
"""

from __future__ import annotations

# Upstream's conversion passes, in order.
LOWERING: tuple[str, ...] = (
    "convert-scf-to-cf",
    "convert-math-to-llvm",
    "convert-arith-to-llvm",
    "finalize-memref-to-llvm",
    "convert-func-to-llvm",
    "convert-cf-to-llvm",
    "reconcile-unrealized-casts",
)

# Upstream rewrites that make `LOWERING` complete on upstream MLIR: MLIR's
# finalize-memref-to-llvm does not lower memref.subview on its own (expand-strided-metadata
# rewrites it to memref.reinterpret_cast, creating affine.apply for dynamic offsets, hence
# lower-affine); convert-arith-to-llvm leaves arith.floordivsi/ceildivsi alone (arith-expand).
PREPARE: tuple[str, ...] = ("expand-strided-metadata", "lower-affine", "arith-expand")

# Where our own check lowering sits in the xDSL pipeline: it needs a CFG and emits arith casts.
XDSL_CHECKS_AFTER = "convert-scf-to-cf"
XDSL_CHECKS_PASS = "convert-neurojit-to-llvm"


def xdsl_pipeline() -> tuple[str, ...]:
    """The pass names of our xDSL pipeline `neurojit-lower-to-llvm`."""
    out: list[str] = []
    for name in LOWERING:
        out.append(name)
        if name == XDSL_CHECKS_AFTER:
            out.append(XDSL_CHECKS_PASS)
    return tuple(out)


# What the native front end runs beyond PREPARE + LOWERING, placed where upstream's own
# pipelines (e.g. test-lower-to-llvm) put them.
NATIVE_BEFORE_SCF: tuple[str, ...] = ("convert-vector-to-scf",)
NATIVE_AFTER_SCF: tuple[str, ...] = ("convert-vector-to-llvm", "convert-index-to-llvm")
NATIVE_AFTER_MATH: tuple[str, ...] = ("convert-math-to-libm",)


# A pass that only converts one dialect's ops is skipped when the text cannot contain any:
# convert-vector-to-scf alone costs ~5 ms on a 1,000-op module without a single vector op.
_NEEDS: dict[str, tuple[str, ...]] = {
    "convert-vector-to-scf": ("vector",),
    "convert-vector-to-llvm": ("vector",),
    "convert-index-to-llvm": ("index.",),
    "convert-math-to-libm": ("math.",),
}


def native_passes(text: str | None = None) -> tuple[str, ...]:
    """The native front end's pass list (upstream pass names, in order); given the module
    `text`, without the passes for dialects it does not mention."""
    out: list[str] = [*PREPARE, *NATIVE_BEFORE_SCF]
    for name in LOWERING:
        out.append(name)
        if name == "convert-scf-to-cf":
            out.extend(NATIVE_AFTER_SCF)
        if name == "convert-math-to-llvm":
            out.extend(NATIVE_AFTER_MATH)
    if text is not None:
        out = [p for p in out if p not in _NEEDS or any(w in text for w in _NEEDS[p])]
    return tuple(out)


def native_pipeline(text: str | None = None) -> str:
    """`native_passes(text)` as an upstream textual pipeline anchored on builtin.module."""
    return f"builtin.module({','.join(native_passes(text))})"


def upstream_flags(prepare: bool = True) -> list[str]:
    """mlir-opt-19 command-line flags for the oracle: PREPARE (optional) then LOWERING."""
    return [f"--{p}" for p in (*(PREPARE if prepare else ()), *LOWERING)]
