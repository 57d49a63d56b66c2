"""`scf.execute_region` printed and parsed like upstream MLIR.

xDSL 0.74 drops the region's terminator when the op has no results (upstream has no implicit
terminator here, so mlir-opt rejects the printed region as empty) and throws away the
attribute dictionary it parses. This subclass of xDSL's op fixes both; `scf_dialect` swaps
it into xDSL's scf dialect, and `isinstance(op, scf.ExecuteRegionOp)` stays true for the
lowering.
"""

from __future__ import annotations

from xdsl.dialects import scf
from xdsl.ir import Dialect
from xdsl.parser import Parser
from xdsl.printer import Printer

from neurojit.dialect.arrow_types import parse_optional_arrow_types, print_optional_arrow_types


class ExecuteRegionOp(scf.ExecuteRegionOp):
    """`scf.execute_region (-> types)? { ... } attr-dict`, every terminator printed."""

    @classmethod
    def parse(cls, parser: Parser) -> ExecuteRegionOp:
        result_types = parse_optional_arrow_types(parser)
        region = parser.parse_region()
        attributes = parser.parse_optional_attr_dict()
        return cls.create(result_types=result_types, regions=[region], attributes=attributes)

    def print(self, printer: Printer) -> None:
        print_optional_arrow_types(printer, self.result_types)
        printer.print_string(" ")
        printer.print_region(self.region, print_entry_block_args=False)
        printer.print_op_attributes(self.attributes)


def scf_dialect() -> Dialect:
    """xDSL's scf dialect with execute_region, if and for swapped for upstream-syntax ones."""
    from neurojit.dialect.scf_result_types import ForOp, IfOp

    ours = {scf.ExecuteRegionOp: ExecuteRegionOp, scf.IfOp: IfOp, scf.ForOp: ForOp}
    base = scf.Scf
    operations = [ours.get(op, op) for op in base.operations]
    return Dialect(base.name, operations, list(base.attributes), list(base._interfaces))
