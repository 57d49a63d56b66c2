"""LLVM 19's printer output that MLIR 22's parser no longer reads, rewritten before parsing."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from neurojit.compiler import native
from neurojit.compiler.llvm19_syntax import modernise


def test_vector_of_pointers_spellings() -> None:
    assert modernise("!llvm.vec<8 x ptr>") == "vector<8x!llvm.ptr>"
    assert modernise("!llvm.vec<? x 4 x ptr>") == "vector<[4]x!llvm.ptr>"
    assert modernise("!llvm.vec<2 x ptr<1>>") == "vector<2x!llvm.ptr<1>>"
    # Anything else is left alone, byte for byte.
    text = "%0 = llvm.mlir.constant(1 : i32) : i32 // !llvm.vec not a type here\n"
    assert modernise(text) == text


@pytest.mark.skipif(
    not (shutil.which("mlir-opt-19") and native.available()),
    reason="needs mlir-opt-19 and the native front end",
)
def test_mlir_opt_19_scatter_output_parses() -> None:
    """vector.scatter lowered by mlir-opt-19 prints `!llvm.vec<8 x ptr>`; it must parse."""
    src = """
func.func @scatter8(%base: memref<?xf32>, %indices: vector<8xi32>,
                    %mask: vector<8xi1>, %value: vector<8xf32>) {
  %c0 = arith.constant 0: index
  vector.scatter %base[%c0][%indices], %mask, %value
    : memref<?xf32>, vector<8xi32>, vector<8xi1>, vector<8xf32>
  return
}
"""
    lowered = subprocess.run(
        ["mlir-opt-19", "-test-lower-to-llvm"],
        input=src,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "!llvm.vec<8 x ptr>" in lowered
    module = native.parse(lowered, "scatter.mlir")
    assert "vector<8x!llvm.ptr>" in str(module)
