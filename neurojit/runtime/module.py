"""`compile_module`: MLIR text → a module of Python-callable native functions, hot-swappable.

    m = compile_module("prog.mlir")
    m.main(3, 4)                      # attribute-style call
    m.call("main", 3, 4)              # by name
    m.swap("main", "func.func @main(...) { ... }")   # a new version, same signature

Each compiled version lives in its own JITDylib (`prog@v1`, `prog@v2`, ...). Every function is
reached through its dispatch slot (slots.py), so a swap is visible to native callers compiled
earlier and to the Python entry on their next call. Old versions stay loaded until the module
is torn down: a call may still be running inside one.
"""

from __future__ import annotations

import ctypes
import gc
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from neurojit.errors import NeuroJITError
from neurojit.runtime import abi, runner_utils, slots
from neurojit.runtime.engine import JITEngine, Library, default_engine, libc_free

if TYPE_CHECKING:
    from xdsl.dialects.builtin import ModuleOp


@dataclass
class FunctionInfo:
    """What the runtime knows of one module function."""

    name: str
    type_text: str  # the MLIR function type, e.g. "(i64) -> (i64, f64)"
    public: bool
    signature: abi.Signature | None
    unsupported: str | None  # why Python cannot call it, when it cannot
    slot: int = 0  # address of `<name>.nj_slot`
    packed: int = 0  # address of `_nj_packed_<name>`, 0 without a Python entry
    version: int = 1


@dataclass
class _LinkInputs:
    """What linking a compiled object needs besides the object: computed by a compile, or
    read back from the module record a compile stored (`from_record`)."""

    functions: dict[str, FunctionInfo]
    exports: list[str]
    module_globals: list[tuple[str, bool]]
    runtime: bool  # the IR calls the guard's runtime (nj_fail, nj_malloc, ...)
    externals: list[str]  # functions it declares (runner utils to resolve)

    def to_json(self, object_key: str, frontend: tuple[str, str | None]) -> dict[str, Any]:
        return {
            "object": object_key,
            "exports": self.exports,
            "globals": self.module_globals,
            "runtime": self.runtime,
            "externals": self.externals,
            "frontend": list(frontend),
            "functions": [
                {
                    "name": f.name,
                    "type": f.type_text,
                    "public": f.public,
                    "signature": f.signature and abi.signature_to_json(f.signature),
                    "unsupported": f.unsupported,
                }
                for f in self.functions.values()
            ],
        }

    @classmethod
    def from_json(cls, record: dict[str, Any]) -> _LinkInputs:
        """Raises KeyError, TypeError, ValueError or IndexError on a record of another format."""
        functions = {
            f["name"]: FunctionInfo(
                f["name"],
                f["type"],
                f["public"],
                None if f["signature"] is None else abi.signature_from_json(f["signature"]),
                f["unsupported"],
            )
            for f in record["functions"]
        }
        return cls(
            functions,
            list(record["exports"]),
            [(g, bool(c)) for g, c in record["globals"]],
            bool(record["runtime"]),
            [str(x) for x in record.get("externals", [])],
        )


def _read_source(source: str | os.PathLike[str]) -> tuple[str, str]:
    """(text, filename): a PathLike or a one-line string ending in `.mlir` is a file."""
    if isinstance(source, os.PathLike):
        path = Path(source)
    elif "\n" not in source and source.strip().endswith(".mlir"):
        path = Path(source.strip())
    else:
        return source, "<string>"
    from neurojit.limits import read_source_text

    # Bounded like the CLIs' input: a regular file of at most MAX_SOURCE_BYTES, UTF-8.
    return read_source_text(path), str(source)


def _functions(module: ModuleOp) -> dict[str, FunctionInfo]:
    """FunctionInfo of each function defined in an xDSL module (neurojit.compiler does this)."""
    from neurojit.compiler.xdsl_frontend import function_infos

    return function_infos(module)


Lowerer = Callable[["ModuleOp"], str]


def lower_with_neurojit(module: ModuleOp) -> str:
    """The module's LLVM IR through our own lowering (neurojit.lowering), in place."""
    from neurojit.compiler.xdsl_frontend import lower

    return lower(module)


def lower_with_upstream(module: ModuleOp) -> str:
    """The oracle: upstream mlir-opt-19 | mlir-translate-19. Tests and benchmarks only."""
    from neurojit.ir import print_module
    from neurojit.runtime import upstream

    return upstream.upstream_llvm_ir(print_module(module))


def _module_name(filename: str, name: str | None) -> str:
    if name:
        return name
    if filename.startswith("<"):
        return "module"
    return Path(filename).stem or "module"


def compile_module(
    source: str | os.PathLike[str],
    name: str | None = None,
    checks: bool = True,
    opt_level: int = 2,
    timeout: float = 10.0,
    *,
    guard: bool = True,
    engine: JITEngine | None = None,
    lowerer: Lowerer | None = None,
    filename: str | None = None,
    frontend: str | None = None,
) -> CompiledModule:
    """Parse, verify, lower and JIT-compile MLIR text or a .mlir file.

    `filename` names MLIR text in diagnostics and fault locations (default `<string>`).
    `frontend` is `native` or `xdsl` (neurojit.compiler; default: native where installed);
    `.frontend` on the result says which one ran.

    A module compiled before on this machine (same text, file name, options and NeuroJIT
    sources) skips parsing and lowering too: its record in the engine's cache names the
    object and the function signatures, so only linking is left.

    `guard=False` calls the packed entries directly, without the crash guard (benchmarks);
    `lowerer` replaces our lowering (tests pass `lower_with_upstream` to isolate the runtime).
    """
    from neurojit import compiler

    text, read_name = _read_source(source)
    filename = filename or read_name
    modname = _module_name(filename, name)
    engine = engine or default_engine()
    chosen = "xdsl" if lowerer is not None else compiler.resolve_frontend(frontend)
    record_key = None
    if lowerer is None and engine.cache is not None:
        record_key = _record_key(engine, text, filename, checks, opt_level, chosen)
        cached = CompiledModule.from_record(
            engine, record_key, modname, opt_level, timeout, checks, guard
        )
        if cached is not None:
            cached.source = (text, filename)
            return cached

    lowered = compiler.compile_text(text, filename, checks=checks, frontend=chosen, lowerer=lowerer)
    compiled = CompiledModule.from_llvm_ir(
        lowered.llvm_ir,
        lowered.functions,
        modname,
        engine=engine,
        opt_level=opt_level,
        timeout=timeout,
        checks=checks,
        global_ops=lowered.swap_state,
        guard=guard,
        record_key=record_key,
        frontend=(lowered.frontend, lowered.note),
    )
    compiled.lowerer = lowerer
    compiled.frontend = lowered.frontend
    compiled.frontend_note = lowered.note
    compiled.source = (text, filename)
    return compiled


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause Python's cyclic GC while xDSL builds and rewrites a module's IR.

    The IR is one big web of cycles that stays alive until the LLVM IR text exists, so the
    collections that run meanwhile only promote it, generation by generation, into the old
    generation; there it waits for a full collection, which then also walks everything else
    in the process: ~100 ms in every other compile of a ~1,000-op module, measured. Paused,
    the IR stays young and the first collection after the pause frees it in one pass. Only
    re-enables what it disabled (a GC the caller turned off stays off).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


_fingerprint: str | None = None


def _frontend_fingerprint() -> str:
    """Hash of everything that turns MLIR text into LLVM IR: our sources and xDSL's version."""
    global _fingerprint
    if _fingerprint is None:
        import hashlib
        from importlib.util import find_spec

        root = Path(__file__).resolve().parent.parent
        h = hashlib.sha256()
        # xDSL's identity without importing it (0.26 s) or scanning dist-info (0.09 s): where
        # it is installed and when, which changes with every (re)install.
        spec = find_spec("xdsl")
        if spec is not None and spec.origin:
            st = os.stat(spec.origin)
            h.update(f"{spec.origin}:{st.st_mtime_ns}:{st.st_size}".encode())
        for sub in ("", "dialect", "passes", "runtime", "compiler"):
            for path in sorted((root / sub).glob("*.py")):
                h.update(path.name.encode())
                h.update(path.read_bytes())
        _fingerprint = h.hexdigest()
    return _fingerprint


def _record_key(
    engine: JITEngine, text: str, filename: str, checks: bool, opt: int, frontend: str = "xdsl"
) -> str:
    import hashlib

    from neurojit.compiler import frontend_identity

    h = hashlib.sha256()
    for part in (
        "module-record-2",
        _frontend_fingerprint(),
        frontend_identity(frontend),
        engine.cache_key("", opt),
        filename,
        str(checks),
        text,
    ):
        h.update(part.encode())
        h.update(b"\0")
    return h.hexdigest()


def direct_invoker(function: FunctionInfo, module: CompiledModule) -> dict[str, Any]:
    """Call the packed entry with a plain ctypes call (no crash guard): `make_caller` kwargs."""
    return {"entry": ctypes.CFUNCTYPE(None, ctypes.c_void_p)(function.packed)}


InvokerFactory = Callable[[FunctionInfo, "CompiledModule"], dict[str, Any]]


def guarded_invoker(function: FunctionInfo, module: CompiledModule) -> dict[str, Any]:
    """Call the packed entry through the crash guard; a fault raises JITFault.

    The generated caller calls the guard's one-pointer cell trampoline itself (no Python frame
    in between, the watchdog deadline travels in the cell); only a fault takes the slow path
    through `on_fault`.
    """
    from neurojit.fault_report import JITFault
    from neurojit.runtime.guard import Guard

    guard = Guard.get()
    name = function.name
    timeout = module.timeout

    def on_fault(code: int, args: tuple) -> None:
        # Current code addresses of the module's functions let a signal name its callee.
        addresses = {f: module.current_address(f) for f, i in module.functions.items() if i.slot}
        info = guard.last_fault(code)
        try:
            report = info.report(name, list(args), timeout, functions=addresses)
        except TypeError:  # a guard without the `functions` parameter
            report = info.report(name, list(args), timeout)
        raise JITFault(report)

    if hasattr(guard, "cell_trampoline") and hasattr(guard, "make_cell"):
        return {
            "cell_trampoline": guard.cell_trampoline,
            "make_cell": lambda fn, slots_addr: guard.make_cell(fn, slots_addr, timeout),
            "on_fault": on_fault,
        }

    def set_timeout() -> None:
        guard.set_timeout(timeout)

    return {"trampoline": guard.trampoline, "prepare": set_timeout, "on_fault": on_fault}


def _uses_runtime(llvm_ir: str) -> bool:
    """Does checked code call into the guard (nj_fail, the checked heap's nj_malloc, ...)?"""
    return any(name in llvm_ir for name in _RUNTIME_ENTRIES)


_RUNTIME_ENTRIES = ("nj_fail", "nj_malloc", "nj_aligned_alloc", "nj_dealloc")


def _guard_symbols() -> dict[str, int]:
    """Runtime entries JIT code may call (`nj_fail` from lowered checks)."""
    from neurojit.runtime.guard import Guard

    return dict(Guard.get().symbols)


class CompiledModule:
    """Native functions of one MLIR module; attribute access gives a Python callable."""

    def __init__(
        self,
        name: str,
        engine: JITEngine,
        functions: dict[str, FunctionInfo],
        library: Library,
        opt_level: int,
        timeout: float,
        checks: bool,
        global_ops: list[Any] | None,
        guard: bool = True,
    ) -> None:
        self.name = name
        self.engine = engine
        self.functions = functions
        self.opt_level = opt_level
        self.timeout = timeout
        self.checks = checks
        self.libraries: list[Library] = [library]  # every version, kept until teardown
        self._global_ops = global_ops  # None: parse `source` again when a swap needs them
        self.source: tuple[str, str] | None = None  # (MLIR text, file name)
        self.from_cache = False  # rebuilt from a cache record, without parsing
        self._callers: dict[str, Callable[..., Any]] = {}
        # Start address → is-constant of every module global (all versions): a returned
        # memref whose allocated pointer is one of these is a view, never freed.
        self.global_addresses: dict[int, bool] = {}
        # Name → address of the first version's globals; later versions link against them.
        self.global_symbols: dict[str, int] = {}
        self._swap_lock = threading.Lock()
        self.guarded = guard
        self.invoker_factory: InvokerFactory = guarded_invoker if guard else direct_invoker
        self.lowerer: Lowerer | None = None  # replaces the xdsl lowering (tests: the oracle)
        self.frontend = "xdsl"  # the compiler front end (neurojit.compiler) that made it
        self.frontend_note: str | None = None  # why it is not the one asked for

    @classmethod
    def from_llvm_ir(
        cls,
        llvm_ir: str,
        functions: dict[str, FunctionInfo],
        name: str,
        engine: JITEngine | None = None,
        opt_level: int = 2,
        timeout: float = 10.0,
        checks: bool = True,
        global_ops: list[Any] | None = None,
        guard: bool = True,
        record_key: str | None = None,
        frontend: tuple[str, str | None] = ("xdsl", None),
    ) -> CompiledModule:
        """Add slots and packed entries to lowered LLVM IR and link it as `<name>@v1`.

        With `record_key`, a record is stored so that `from_record` can rebuild the module
        from the cached object without parsing or lowering.
        """
        engine = engine or default_engine()
        defined = [f for f in slots.defined_functions(llvm_ir) if f in functions]
        missing = set(functions) - set(defined)
        if missing:
            raise NeuroJITError(f"lowered IR lacks functions: {', '.join(sorted(missing))}")
        parts = [slots.add_dispatch_slots(llvm_ir, defined, defined)]
        exports = [abi.slot_name(f) for f in defined]
        for f in defined:
            info = functions[f]
            if info.public and info.signature is not None:
                parts.append(abi.packed_wrapper_ir(info.signature))
                exports.append(abi.packed_name(f))
        module_globals = slots.global_definitions(llvm_ir)
        addr_ir, addr_syms = slots.address_exports(module_globals)
        parts.append(addr_ir)
        exports += addr_syms
        final_ir = "\n".join(parts)
        linked = _LinkInputs(
            functions,
            exports,
            module_globals,
            _uses_runtime(llvm_ir),
            sorted(runner_utils.declared_functions(llvm_ir)),
        )
        obj = engine.compile_object(final_ir, opt_level)
        compiled = cls._link(
            engine, name, obj, linked, opt_level, timeout, checks, global_ops, guard
        )
        if record_key is not None and engine.cache is not None:
            object_key = engine.cache_key(final_ir, opt_level)
            engine.cache.put_meta(record_key, linked.to_json(object_key, frontend))
        return compiled

    @classmethod
    def from_record(
        cls,
        engine: JITEngine,
        key: str,
        name: str,
        opt_level: int,
        timeout: float,
        checks: bool,
        guard: bool,
    ) -> CompiledModule | None:
        """The module a previous `compile_module` recorded under `key`, or None."""
        assert engine.cache is not None
        record = engine.cache.get_meta(key)
        if record is None:
            return None
        try:
            obj = engine.cache.get(record["object"])
            if obj is None:
                return None
            linked = _LinkInputs.from_json(record)
            frontend, note = record.get("frontend", ["xdsl", None])
        except (KeyError, TypeError, ValueError, IndexError):
            return None  # a record from another format: compile afresh
        compiled = cls._link(engine, name, obj, linked, opt_level, timeout, checks, None, guard)
        compiled.from_cache = True
        compiled.frontend, compiled.frontend_note = str(frontend), note
        return compiled

    @classmethod
    def _link(
        cls,
        engine: JITEngine,
        name: str,
        obj: bytes,
        linked: _LinkInputs,
        opt_level: int,
        timeout: float,
        checks: bool,
        global_ops: list[Any] | None,
        guard: bool,
    ) -> CompiledModule:
        exports, functions = linked.exports, linked.functions
        imports = _guard_symbols() if guard or linked.runtime else {}
        # Runner utils (printI64, printMemrefF32, ...) the module declares: --shared-libs'
        # definitions first, else the runtime's own (runner_utils.py).
        imports.update(runner_utils.resolve(linked.externals, engine))
        library = engine.link(f"{name}@v1", [obj], exports, imports)
        exported = set(exports)
        for f, info in functions.items():
            if abi.slot_name(f) in exported:
                info.slot = library[abi.slot_name(f)]
            if abi.packed_name(f) in exported:
                info.packed = library[abi.packed_name(f)]
        compiled = cls(
            name, engine, functions, library, opt_level, timeout, checks, global_ops, guard
        )
        addr_syms = [s for s in exports if s.endswith(".nj_addr")]
        compiled._note_globals(library, linked.module_globals, addr_syms)
        return compiled

    def _note_globals(
        self, library: Library, module_globals: list[tuple[str, bool]], symbols: list[str]
    ) -> None:
        for (gname, constant), sym in zip(module_globals, symbols, strict=True):
            address = slots.load_slot(library[sym])
            self.global_addresses[address] = constant
            self.global_symbols.setdefault(gname, address)

    # ---- calling ------------------------------------------------------------------------

    def _caller(self, fname: str) -> Callable[..., Any]:
        caller = self._callers.get(fname)
        if caller is not None:
            return caller
        info = self.functions.get(fname)
        if info is None:
            raise AttributeError(f"module {self.name} has no function @{fname}")
        if not info.public:
            raise NeuroJITError(f"@{fname} is private and cannot be called from Python")
        if info.signature is None:
            raise NeuroJITError(f"@{fname} cannot be called from Python: {info.unsupported}")
        how = self.invoker_factory(info, self)
        caller = abi.make_caller(info.signature, info.packed, self, libc_free, **how)
        self._callers[fname] = caller
        return caller

    def __getattr__(self, fname: str) -> Callable[..., Any]:
        if fname.startswith("__") or "functions" not in self.__dict__:
            raise AttributeError(fname)
        return self._caller(fname)

    def call(self, fname: str, *args: Any) -> Any:
        return self._caller(fname)(*args)

    def signature(self, fname: str) -> abi.Signature | None:
        return self.functions[fname].signature

    def __dir__(self) -> list[str]:
        return sorted(set(super().__dir__()) | set(self.functions))

    def __repr__(self) -> str:
        return f"<CompiledModule {self.name}: {', '.join('@' + f for f in self.functions)}>"

    # ---- hot swap ---------------------------------------------------------------------

    def slot_address(self, fname: str) -> int:
        return self.functions[fname].slot

    def current_address(self, fname: str) -> int:
        return slots.load_slot(self.functions[fname].slot)

    def swap(self, fname: str, mlir_func_text: str) -> int:
        """Compile a new version of @fname and publish it; returns its version number.

        `mlir_func_text` is one `func.func @fname` (or a module holding it). It may call the
        module's other functions and use its globals; it must keep the signature.
        """
        info = self.functions.get(fname)
        if info is None:
            raise NeuroJITError(f"swap: module {self.name} has no function @{fname}")
        from neurojit import compiler

        with self._swap_lock:
            lowered, self._global_ops = compiler.compile_swap(
                fname,
                mlir_func_text,
                self.functions,
                frontend=self.frontend,
                swap_state=self._global_ops,
                source=self.source,
                checks=self.checks,
                lowerer=self.lowerer,
            )
            llvm_ir = lowered.llvm_ir
            new = lowered.functions.get(fname)
            if new is None:
                raise NeuroJITError(f"swap: the new text defines no function @{fname}")
            if new.type_text != info.type_text:
                raise NeuroJITError(
                    f"swap of @{fname} refused: signature changed from {info.type_text} "
                    f"to {new.type_text}"
                )
            others = [f for f in self.functions]
            ir = slots.add_dispatch_slots(llvm_ir, others, define_slots=[], make_external=[fname])
            imports = {abi.slot_name(f): self.functions[f].slot for f in others}
            if self.guarded or _uses_runtime(llvm_ir):
                imports.update(_guard_symbols())
            imports.update(
                runner_utils.resolve(runner_utils.declared_functions(llvm_ir), self.engine)
            )
            version = len(self.libraries) + 1
            # Only the module's memref.globals are shared; other globals of the new version
            # (check-site descriptors, ...) are its own even when their names repeat.
            memref_globals = compiler.global_names(self._global_ops)
            shared = {
                g
                for g, _ in slots.global_definitions(llvm_ir)
                if g in memref_globals and g in self.global_symbols
            }
            if shared:
                ir = slots.externalise_globals(ir, shared)
                imports.update({g: self.global_symbols[g] for g in shared})
            module_globals = [(g, c) for g, c in slots.global_definitions(ir) if g not in shared]
            addr_ir, addr_syms = slots.address_exports(module_globals)
            library = self.engine.add_ir(
                f"{self.name}@v{version}",
                ir + addr_ir,
                [fname, *addr_syms],
                imports,
                opt_level=self.opt_level,
            )
            self.libraries.append(library)
            self._note_globals(library, module_globals, addr_syms)
            slots.store_slot(info.slot, library[fname])
            info.version += 1
            return info.version

    def __del__(self) -> None:
        # Callers first (they hold slot arrays into our code), then the dylibs newest first.
        self._callers = {}
        libs = self.__dict__.get("libraries", [])
        while libs:
            libs.pop()
