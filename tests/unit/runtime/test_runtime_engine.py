"""JITEngine: unique dylibs, exported symbols, the on-disk object cache."""

from __future__ import annotations

import ctypes
import gc
from pathlib import Path

import pytest

from neurojit.errors import NeuroJITError
from neurojit.runtime.engine import JITEngine

ADD_IR = """
define i64 @add(i64 %a, i64 %b) {
  %c = add i64 %a, %b
  ret i64 %c
}
@counter = global i64 41
define i64 @bump() {
  %v = load i64, ptr @counter
  %w = add i64 %v, 1
  store i64 %w, ptr @counter
  ret i64 %w
}
"""

BINARY = ctypes.CFUNCTYPE(ctypes.c_int64, ctypes.c_int64, ctypes.c_int64)
NULLARY = ctypes.CFUNCTYPE(ctypes.c_int64)


def test_link_exports_symbols_and_names_are_unique(engine: JITEngine) -> None:
    a = engine.add_ir("m@v1", ADD_IR, ["add", "bump"])
    b = engine.add_ir("m@v1", ADD_IR, ["add", "bump"])
    assert a.name == "m@v1" and b.name != a.name
    assert BINARY(a["add"])(40, 2) == 42
    # Two dylibs, two copies of the global: state is per version.
    assert NULLARY(a["bump"])() == 42
    assert NULLARY(a["bump"])() == 43
    assert NULLARY(b["bump"])() == 42


def test_library_survives_gc_while_held(engine: JITEngine) -> None:
    lib = engine.add_ir("gc", ADD_IR, ["add"])
    fn = BINARY(lib["add"])
    for _ in range(3):
        gc.collect()
        engine.add_ir("filler", ADD_IR, ["add"])  # would reuse freed memory if unloaded
    assert fn(1, 2) == 3


def test_object_cache_hit_on_second_engine(tmp_path: Path) -> None:
    first = JITEngine(cache_dir=tmp_path)
    lib1 = first.add_ir("c", ADD_IR, ["add"])
    assert first.stats.cache_misses == 1 and first.stats.cache_hits == 0
    assert list(tmp_path.rglob("*.o")), "the object was not written to the cache"
    second = JITEngine(cache_dir=tmp_path)
    lib2 = second.add_ir("c", ADD_IR, ["add"])
    assert second.stats.cache_hits == 1 and second.stats.cache_misses == 0
    assert BINARY(lib2["add"])(5, 6) == 11
    assert BINARY(lib1["add"])(5, 6) == 11


def test_cache_key_depends_on_ir_and_opt_level(engine: JITEngine) -> None:
    k = engine.cache_key(ADD_IR, 2)
    assert k != engine.cache_key(ADD_IR + "\n", 2)
    assert k != engine.cache_key(ADD_IR, 0)
    engine.add_ir("o0", ADD_IR, ["add"], opt_level=0)
    engine.add_ir("o2", ADD_IR, ["add"], opt_level=2)
    assert engine.stats.cache_misses == 2


def test_corrupt_cache_entry_is_not_fatal(tmp_path: Path) -> None:
    first = JITEngine(cache_dir=tmp_path)
    first.add_ir("x", ADD_IR, ["add"])
    for obj in tmp_path.rglob("*.o"):
        obj.write_bytes(b"not an object file")
    second = JITEngine(cache_dir=tmp_path)
    lib = second.add_ir("x", ADD_IR, ["add"])
    assert BINARY(lib["add"])(2, 2) == 4


def test_invalid_ir_is_a_neurojit_error(engine: JITEngine) -> None:
    with pytest.raises(NeuroJITError, match="invalid LLVM IR"):
        engine.add_ir("bad", "define i64 @f( {", ["f"])


def test_missing_export_is_a_neurojit_error(engine: JITEngine) -> None:
    with pytest.raises(NeuroJITError, match="nosuch"):
        engine.add_ir("missing", ADD_IR, ["nosuch"])


def test_cache_is_bounded_and_keeps_recent_entries(tmp_path: Path) -> None:
    from neurojit.runtime.engine import ObjectCache

    cache = ObjectCache(tmp_path, max_bytes=10_000)
    for i in range(12):
        cache.put(f"{i:02d}" + "0" * 62, bytes(1000))
    assert cache.get("00" + "0" * 62) is not None  # used again: now the most recent
    removed = cache.prune()
    assert removed > 0
    size = sum(p.stat().st_size for p in tmp_path.rglob("*") if p.is_file())
    assert size <= 10_000
    assert cache.get("00" + "0" * 62) is not None
    assert cache.get("01" + "0" * 62) is None  # the oldest unused entry went first
