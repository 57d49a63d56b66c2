"""The site descriptors a lowered check reports through: one private constant global
`@nj_site_<n>` per check, holding the encoded `runtime.sites.Site` (kind, message, location).
"""

from __future__ import annotations

from xdsl.dialects import builtin, llvm
from xdsl.dialects.builtin import StringAttr
from xdsl.ir import Operation

from neurojit.runtime.sites import Site


class SiteTable:
    """Site descriptor globals of one module: `@nj_site_<n>`, one per check (used by
    convert-neurojit-to-llvm and neurojit-check-heap)."""

    def __init__(self, module: builtin.ModuleOp) -> None:
        self.module = module
        self.taken = {
            o.sym_name.data
            for o in module.ops
            if isinstance(getattr(o, "sym_name", None), StringAttr)
        }
        self.next = 0
        self.used = False
        self.last: Operation | None = None

    def add(self, site: Site) -> str:
        while f"nj_site_{self.next}" in self.taken:
            self.next += 1
        name = f"nj_site_{self.next}"
        self.taken.add(name)
        data = site.encode() + b"\0"
        glob = llvm.GlobalOp(
            llvm.LLVMArrayType(len(data), builtin.i8),
            name,
            "private",
            constant=True,
            value=StringAttr(data.decode()),
        )
        top = self.module.body.block
        # In creation order, ahead of the functions that use them.
        if self.last is None:
            top.insert_op_before(glob, top.first_op) if top.first_op else top.add_op(glob)
        else:
            top.insert_op_after(glob, self.last)
        self.last = glob
        self.used = True
        return name
