"""A module compiled before is rebuilt from its cache record: no parse, no lowering."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from neurojit.runtime.engine import JITEngine
from neurojit.runtime.module import compile_module

TEXT = """
memref.global "private" constant @w : memref<3xi64> = dense<[2, 3, 4]>
func.func @dot(%m: memref<3xi64>) -> i64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %w = memref.get_global @w : memref<3xi64>
  %z = arith.constant 0 : i64
  %r = scf.for %i = %c0 to %c3 step %c1 iter_args(%acc = %z) -> (i64) {
    %a = memref.load %m[%i] : memref<3xi64>
    %b = memref.load %w[%i] : memref<3xi64>
    %p = arith.muli %a, %b : i64
    %s = arith.addi %acc, %p : i64
    scf.yield %s : i64
  }
  return %r : i64
}
func.func @twice(%x: i64) -> (i64, f64) {
  %two = arith.constant 2 : i64
  %y = arith.muli %x, %two : i64
  %f = arith.sitofp %y : i64 to f64
  return %y, %f : i64, f64
}
"""


def test_second_compile_comes_from_the_record(tmp_path: Path) -> None:
    first = compile_module(TEXT, engine=JITEngine(cache_dir=tmp_path))
    assert not first.from_cache
    engine = JITEngine(cache_dir=tmp_path)
    second = compile_module(TEXT, engine=engine)
    assert second.from_cache
    assert engine.stats.cache_misses == 0
    v = np.array([1, 1, 1], dtype=np.int64)
    assert first.dot(v) == second.dot(v) == 9
    assert second.twice(21) == (42, 42.0)
    # Swaps still work: the globals are parsed from the recorded source when needed.
    second.swap(
        "twice",
        """
func.func @twice(%x: i64) -> (i64, f64) {
  %c0 = arith.constant 0 : index
  %w = memref.get_global @w : memref<3xi64>
  %k = memref.load %w[%c0] : memref<3xi64>
  %y = arith.muli %x, %k : i64
  %y2 = arith.addi %y, %k : i64
  %f = arith.sitofp %y2 : i64 to f64
  return %y2, %f : i64, f64
}
""",
    )
    assert second.twice(20) == (42, 42.0)


def test_options_and_text_are_part_of_the_key(tmp_path: Path) -> None:
    compile_module(TEXT, engine=JITEngine(cache_dir=tmp_path))
    assert not compile_module(TEXT, checks=False, engine=JITEngine(cache_dir=tmp_path)).from_cache
    assert not compile_module(TEXT, opt_level=1, engine=JITEngine(cache_dir=tmp_path)).from_cache
    assert not compile_module(TEXT + "\n", engine=JITEngine(cache_dir=tmp_path)).from_cache
    assert compile_module(TEXT, opt_level=1, engine=JITEngine(cache_dir=tmp_path)).from_cache


def test_damaged_record_falls_back_to_compiling(tmp_path: Path) -> None:
    compile_module(TEXT, engine=JITEngine(cache_dir=tmp_path))
    for record in (tmp_path / "modules").rglob("*.json"):
        record.write_text('{"object": 1}')
    again = compile_module(TEXT, engine=JITEngine(cache_dir=tmp_path))
    assert not again.from_cache
    assert again.twice(1) == (2, 2.0)
