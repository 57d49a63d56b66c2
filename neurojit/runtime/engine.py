"""The JIT engine: LLVM IR text → optimised object code → a named JITDylib in llvmlite's LLJIT.

Every compilation goes through an object file, never through `add_ir`: LLJIT's IR layer only
runs code generation, not the O2 pipeline, and an object can be cached on disk. The cache key
is the IR's hash plus everything that changes the machine code (triple, CPU, features, opt
level, LLVM version), so the same module compiles once per machine and later runs only link.

Traps this module exists to avoid (see ARCHITECTURE.md): a dylib name can be used once, so
names are made unique here; a ResourceTracker unloads its dylib when it is collected, so the
caller must hold every `Library` it gets (CompiledModule keeps all versions until teardown);
this llvmlite has LLVM assertions on, so pass managers are built fresh for every run.
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import os
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import llvmlite
import llvmlite.binding as llvm

from neurojit.errors import NeuroJITError

# Bump when the way objects are produced changes, so stale cache entries are never linked.
_CACHE_FORMAT = "2"


def default_cache_dir() -> Path:
    """$NEUROJIT_HOME/objcache, else ~/.neurojit/objcache."""
    home = os.environ.get("NEUROJIT_HOME")
    base = Path(home) if home else Path.home() / ".neurojit"
    return base / "objcache"


@dataclass
class Library:
    """One linked JITDylib. Holding it keeps the code loaded; dropping it may unload it."""

    name: str
    tracker: llvm.ResourceTracker
    addresses: dict[str, int]

    def __getitem__(self, symbol: str) -> int:
        return self.addresses[symbol]


@dataclass
class CompileStats:
    """What the last compilations cost; the benchmarks and tests read these."""

    cache_hits: int = 0
    cache_misses: int = 0
    last_compile_s: float = 0.0
    last_link_s: float = 0.0
    last_cache_hit: bool = False
    history: list[tuple[str, bool, float]] = field(default_factory=list)


def _write_atomically(path: Path, data: bytes) -> bool:
    """Write `path` whole or not at all (a temporary file renamed over it); False on an
    OSError: a read-only or full disk costs a recompile next time, nothing more."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except OSError:
        return False
    return True


class ObjectCache:
    """Object files on disk, keyed by a hash; written atomically so concurrent processes agree.

    Bounded: past `max_bytes` (env NEUROJIT_OBJCACHE_MAX_MB, default 512 MB) the least
    recently used entries go; a hit refreshes its file's mtime.
    """

    PRUNE_EVERY = 16  # puts between two size scans

    def __init__(self, directory: Path, max_bytes: int | None = None) -> None:
        self.directory = directory
        if max_bytes is None:
            max_bytes = int(float(os.environ.get("NEUROJIT_OBJCACHE_MAX_MB", "512")) * 2**20)
        self.max_bytes = max_bytes
        self._puts = 0

    def prune(self) -> int:
        """Delete least recently used files until the cache is under 80% of its bound."""
        entries = []
        total = 0
        for path in self.directory.rglob("*"):
            try:
                st = path.stat()
            except OSError:
                continue
            if path.is_file():
                entries.append((st.st_mtime, st.st_size, path))
                total += st.st_size
        removed = 0
        if total <= self.max_bytes:
            return 0
        for _, size, path in sorted(entries):
            if total <= self.max_bytes * 0.8:
                break
            try:
                path.unlink()
            except OSError:
                continue
            total -= size
            removed += 1
        return removed

    def _after_put(self) -> None:
        self._puts += 1
        if self._puts % self.PRUNE_EVERY == 0:
            self.prune()

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.o"

    def get(self, key: str) -> bytes | None:
        """The cached object, or None when absent or damaged.

        Each file starts with the SHA-256 of the object: a truncated or corrupted file must
        never reach the linker, since this LLVM build aborts the process on bad input.
        """
        try:
            blob = self._path(key).read_bytes()
        except OSError:
            return None
        digest, data = blob[:32], blob[32:]
        if len(blob) < 32 or hashlib.sha256(data).digest() != digest:
            return None
        try:
            os.utime(self._path(key))  # recently used: pruned last
        except OSError:
            pass
        return data

    def put(self, key: str, data: bytes) -> None:
        if _write_atomically(self._path(key), hashlib.sha256(data).digest() + data):
            self._after_put()

    def _meta_path(self, key: str) -> Path:
        return self.directory / "modules" / key[:2] / f"{key}.json"

    def get_meta(self, key: str) -> dict | None:
        """A JSON record stored by `put_meta`, or None (absent or unreadable)."""
        try:
            return json.loads(self._meta_path(key).read_text())
        except (OSError, ValueError):
            return None

    def put_meta(self, key: str, record: dict) -> None:
        _write_atomically(self._meta_path(key), json.dumps(record).encode())


_initialised = False
_init_lock = threading.Lock()


def _initialise_llvm() -> None:
    global _initialised
    with _init_lock:
        if not _initialised:
            llvm.initialize_native_target()
            llvm.initialize_native_asmprinter()
            llvm.initialize_native_asmparser()
            _initialised = True


class JITEngine:
    """One LLJIT for the process; compiles LLVM IR into uniquely named, cached JITDylibs."""

    def __init__(
        self, opt_level: int = 2, cache_dir: Path | str | None = None, use_cache: bool = True
    ) -> None:
        _initialise_llvm()
        self.opt_level = opt_level
        self.cpu = llvm.get_host_cpu_name()
        self.features = llvm.get_host_cpu_features().flatten()
        self.triple = llvm.get_process_triple()
        self._target = llvm.Target.from_triple(self.triple)
        self._machines: dict[int, llvm.TargetMachine] = {}
        # Small code model + PIC, linked by JITLink: each object is allocated as one slab,
        # so its PC-relative references never overflow, and calls out to libc get stubs.
        self._jit = llvm.create_lljit_compiler(self._machine(opt_level), use_jit_link=True)
        self.cache: ObjectCache | None = None
        if use_cache:
            self.cache = ObjectCache(Path(cache_dir) if cache_dir else default_cache_dir())
        self.stats = CompileStats()
        self._lock = threading.RLock()
        self._names: set[str] = set()

    def _machine(self, opt_level: int) -> llvm.TargetMachine:
        machine = self._machines.get(opt_level)
        if machine is None:
            machine = self._target.create_target_machine(
                cpu=self.cpu,
                features=self.features,
                opt=min(max(opt_level, 0), 3),
                reloc="pic",
                codemodel="small",
            )
            self._machines[opt_level] = machine
        return machine

    def cache_key(self, llvm_ir: str, opt_level: int) -> str:
        h = hashlib.sha256()
        for part in (
            _CACHE_FORMAT,
            llvmlite.__version__,
            str(llvm.llvm_version_info),
            self.triple,
            self.cpu,
            self.features,
            str(opt_level),
        ):
            h.update(part.encode())
            h.update(b"\0")
        h.update(llvm_ir.encode())
        return h.hexdigest()

    def unique_name(self, base: str) -> str:
        """A dylib name never used before in this process: `base`, else `base#2`, ..."""
        with self._lock:
            name, n = base, 1
            while name in self._names:
                n += 1
                name = f"{base}#{n}"
            self._names.add(name)
            return name

    def compile_object(self, llvm_ir: str, opt_level: int | None = None) -> bytes:
        """Optimise and code-generate `llvm_ir`, or fetch the object from the cache."""
        level = self.opt_level if opt_level is None else opt_level
        key = self.cache_key(llvm_ir, level)
        start = time.perf_counter()
        obj = self.cache.get(key) if self.cache else None
        hit = obj is not None
        if obj is None:
            obj = self._codegen(llvm_ir, level)
            if self.cache:
                self.cache.put(key, obj)
        elapsed = time.perf_counter() - start
        with self._lock:
            self.stats.last_cache_hit = hit
            self.stats.last_compile_s = elapsed
            if hit:
                self.stats.cache_hits += 1
            else:
                self.stats.cache_misses += 1
            self.stats.history.append((key, hit, elapsed))
            del self.stats.history[:-64]
        return obj

    def _codegen(self, llvm_ir: str, opt_level: int) -> bytes:
        machine = self._machine(opt_level)
        # llvmlite's global LLVMContext is not thread-safe: one compile at a time.
        with self._lock:
            try:
                module = llvm.parse_assembly(llvm_ir)
                module.triple = self.triple
                module.data_layout = str(machine.target_data)
                module.verify()
            except RuntimeError as err:
                raise NeuroJITError(f"invalid LLVM IR: {str(err).strip()}") from None
            if opt_level > 0:
                # A fresh PassBuilder each time: reusing a pass manager aborts this LLVM build.
                tuning = llvm.create_pipeline_tuning_options(speed_level=opt_level)
                builder = llvm.create_pass_builder(machine, tuning)
                builder.getModulePassManager().run(module, builder)
            return machine.emit_object(module)

    def link(
        self,
        base_name: str,
        objects: list[bytes],
        exports: list[str],
        imports: dict[str, int] | None = None,
    ) -> Library:
        """Link objects into a new JITDylib named uniquely after `base_name`.

        Symbols are resolved against `imports` (absolute addresses, e.g. another version's
        dispatch slots) and then the process (libc, libm, the guard runtime's exports).
        """
        name = self.unique_name(base_name)
        builder = llvm.JITLibraryBuilder()
        for obj in objects:
            builder.add_object_img(obj)
        builder.add_current_process()
        for symbol, address in (imports or {}).items():
            builder.import_symbol(symbol, address)
        for symbol in exports:
            builder.export_symbol(symbol)
        start = time.perf_counter()
        with self._lock:
            try:
                tracker = builder.link(self._jit, name)
            except RuntimeError as err:
                raise NeuroJITError(f"JIT link of {name} failed: {str(err).strip()}") from None
            self.stats.last_link_s = time.perf_counter() - start
        return Library(name, tracker, {s: tracker[s] for s in exports})

    def add_ir(
        self,
        base_name: str,
        llvm_ir: str,
        exports: list[str],
        imports: dict[str, int] | None = None,
        opt_level: int | None = None,
    ) -> Library:
        """Compile (or fetch from cache) and link one module version."""
        return self.link(base_name, [self.compile_object(llvm_ir, opt_level)], exports, imports)


_default: JITEngine | None = None
_default_lock = threading.Lock()


def default_engine() -> JITEngine:
    """The process-wide engine (one LLJIT); opt level per compile is passed to `add_ir`."""
    global _default
    with _default_lock:
        if _default is None:
            _default = JITEngine()
        return _default


_libc = ctypes.CDLL(None)
libc_free = _libc.free
libc_free.argtypes = [ctypes.c_void_p]
libc_free.restype = None
