"""A symbol defined twice is located at its second definition (found by the driver fuzzer:
an implicit module has no position, so the error had none)."""

from __future__ import annotations

import pytest

from neurojit.ir import SourceError, parse_module

TWICE = "func.func @main() {\n  return\n}\n\nfunc.func @main() {\n  return\n}\n"


def test_second_definition_is_the_location() -> None:
    with pytest.raises(SourceError) as info:
        parse_module(TWICE, "twice.mlir")
    err = info.value
    assert (err.filename, err.line, err.column) == ("twice.mlir", 5, 1)
    assert 'Redefinition of symbol "main"' in err.message


def test_explicit_module_keeps_its_own_position() -> None:
    text = "module {\n" + TWICE + "}\n"
    with pytest.raises(SourceError) as info:
        parse_module(text, "m.mlir")
    # The module op has a position here: the error stays there, as for any op's verifier.
    assert (info.value.line, info.value.column) == (1, 1)
