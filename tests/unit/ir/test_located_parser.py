"""The located parser's fast paths: shared scalar types and unchecked location stamping.

Positions are computed here from the text itself (where each op's name starts), not read back
from the parser, so a stamping bug shows up as a mismatch.
"""

from __future__ import annotations

from xdsl.dialects.builtin import FileLineColLoc, IndexType, IntAttr, IntegerType, StringAttr

from neurojit.ir import op_position, parse_module

TEXT = """\
func.func @f(%a: i64, %b: index, %c: i7) -> i64 {
  %x = arith.addi %a, %a : i64
  %i = arith.index_cast %b : index to i64
    %y = arith.muli %x, %i : i64
  %z = arith.extsi %c : i7 to i64
  %r = arith.addi %y, %z : i64
  func.return %r : i64
}
"""


def _expected_positions(text: str) -> dict[str, tuple[int, int]]:
    """Result name -> (line, col) of the op that defines it, read off the text."""
    out = {}
    for n, line in enumerate(text.splitlines(), start=1):
        stripped = line.lstrip()
        if stripped.startswith("%"):
            out[stripped.split()[0]] = (n, len(line) - len(stripped) + 1)
    return out


def test_every_op_is_stamped_where_it_starts() -> None:
    module = parse_module(TEXT, "prog.mlir")
    expected = _expected_positions(TEXT)
    seen = 0
    for op in module.walk():
        if op.results and op.results[0].name_hint:
            name = "%" + op.results[0].name_hint
            line, col = expected[name]
            assert op_position(op) == ("prog.mlir", line, col)
            # Equal to (and hashes like) a location built by the checked constructor.
            ref = FileLineColLoc(StringAttr("prog.mlir"), IntAttr(line), IntAttr(col))
            assert op.location == ref and hash(op.location) == hash(ref)
            seen += 1
    assert seen == len(expected) == 5
    ret = next(op for op in module.walk() if op.name == "func.return")
    assert op_position(ret) == ("prog.mlir", 7, 3)


def test_scalar_types_are_shared_and_right() -> None:
    module = parse_module(TEXT, "prog.mlir")
    adds = [op for op in module.walk() if op.name == "arith.addi"]
    assert adds[0].results[0].type == IntegerType(64)
    assert adds[0].results[0].type is adds[1].results[0].type
    func = next(iter(module.body.block.ops))
    a, b, c = func.body.block.args
    assert a.type == IntegerType(64)
    assert b.type == IndexType()
    assert c.type == IntegerType(7)  # not in the table: parsed the ordinary way


def test_two_files_keep_their_own_names() -> None:
    one = parse_module(TEXT, "one.mlir")
    two = parse_module(TEXT, "two.mlir")
    first = lambda m: next(op for op in m.walk() if op.name == "arith.addi")  # noqa: E731
    assert op_position(first(one))[0] == "one.mlir"
    assert op_position(first(two))[0] == "two.mlir"
