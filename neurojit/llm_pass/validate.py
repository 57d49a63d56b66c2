"""Is a candidate repair acceptable? Cheapest check first; the first failure is the reason.

1. extraction: a complete `func.func` is in the answer (fences and prose stripped);
2. it parses;
3. same name and signature as the faulty function, and not the faulty function itself;
4. policy: only the dialects the JIT lowers, no llvm dialect, calls only to functions the
   module declares, `memref.get_global` only of globals the module defines; then (after
   verification, on well-formed IR) the capability policy of `policy.py`: only the globals,
   writes, views and allocation sizes the original used, and never a free of memory the
   function did not allocate;
5. it verifies, in place in the module (so calls resolve against the real symbol table);
6. dominance: every use is dominated by its definition (xDSL 0.74's verify() misses this);
7. dynamic, when the native runtime is importable and there is something to run: compiled
   with checks, it must not fault on the triggering inputs and must reproduce the recorded
   outputs of calls that worked before, each within the watchdog's limit.

Every rejection is a `Rejection` with the stage and a one-line reason: the pass shows it to
the model on the next attempt and lists it in its failure diagnostic.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from xdsl.dialects.builtin import FloatAttr, IntegerAttr, ModuleOp
from xdsl.dialects.func import CallOp, FuncOp
from xdsl.ir import Operation

from neurojit.dominance import DominanceError, dominators  # noqa: F401 - dominators is public here
from neurojit.dominance import check_dominance as _check_dominance
from neurojit.errors import NeuroJITError
from neurojit.llm_pass.extract import ExtractError, extract_function
from neurojit.llm_pass.fingerprint import canonical_text, strip_run_attrs

if TYPE_CHECKING:
    from xdsl.context import Context

# The dialects the lowering takes to LLVM. `neurojit.check` is ours and lowers too; a repair
# may keep (or add) explicit checks.
ALLOWED_DIALECTS: frozenset[str] = frozenset({"func", "arith", "math", "scf", "cf", "memref"})
ALLOWED_EXTRA_OPS: frozenset[str] = frozenset({"neurojit.check"})

# (inputs, outputs) of a call to the original that worked: the repair must agree on them.
Recorded = Sequence[tuple[Sequence[Any], Any]]


class Rejection(Exception):
    """A candidate failed a check. `stage` names the check, `reason` says why in one line."""

    def __init__(self, stage: str, reason: str) -> None:
        super().__init__(f"{stage}: {reason}")
        self.stage = stage
        self.reason = reason


@dataclass
class Accepted:
    """A candidate that passed: the new function (detached, ready to install) and how deep
    the validation went ("dynamic" or "static only: why")."""

    func: FuncOp
    text: str
    depth: str
    # (inputs, outputs) of the calls the candidate ran in validation (the trigger, then the
    # recorded ones): the cache stores them so that pre-apply can run them again.
    calls: list[tuple[list[Any], Any]] = field(default_factory=list)


_CTX: Context | None = None


def _context() -> Context:
    global _CTX
    if _CTX is None:
        from neurojit.ir import make_context

        _CTX = make_context()
    return _CTX


def _one_line(message: str) -> str:
    lines = [line.strip() for line in str(message).strip().splitlines() if line.strip()]
    return lines[0] if lines else "unknown error"


# -- 1-2: extract and parse ----------------------------------------------------------------
def parse_candidate(answer: str, name: str, max_ops: int | None = None) -> tuple[FuncOp, str]:
    """The candidate function named `name` (or the answer's first), and its extracted text.
    The answer is bounded before anything parses it: bytes, then (with `max_ops`) ops."""
    from neurojit.ir import parse_module
    from neurojit.limits import answer_bytes_reason, op_count_reason

    too_big = answer_bytes_reason(answer)
    if too_big is not None:
        raise Rejection("limits", too_big)
    try:
        text = extract_function(answer, name)
    except ExtractError as err:
        raise Rejection("extract", str(err)) from None
    too_many = op_count_reason(text, max_ops) if max_ops is not None else None
    if too_many is not None:
        raise Rejection("limits", too_many)
    try:
        module = parse_module(text, "<candidate>", verify=False, ctx=_context())
    except NeuroJITError as err:
        raise Rejection("parse", f"does not parse: {err}") from None
    except Exception as err:  # noqa: BLE001 - xDSL raises assorted errors on odd input
        raise Rejection("parse", f"does not parse: {_one_line(str(err))}") from None
    funcs = [op for op in module.ops if isinstance(op, FuncOp)]
    if not funcs:
        raise Rejection("parse", "the answer contains no func.func")
    func = funcs[0]
    func.detach()
    return func, text


# -- 3: signature --------------------------------------------------------------------------
def check_signature(candidate: FuncOp, original: FuncOp) -> None:
    want, got = original.sym_name.data, candidate.sym_name.data
    if want != got:
        raise Rejection("signature", f"function is named @{got}, expected @{want}")
    if candidate.function_type != original.function_type:
        raise Rejection(
            "signature",
            f"signature {candidate.function_type} differs from the original "
            f"{original.function_type}",
        )
    if not candidate.body.blocks:
        raise Rejection("signature", "the function has no body")


def assemble(candidate: FuncOp, original: FuncOp) -> FuncOp:
    """The original's header (visibility, attributes minus fault) with the candidate's body."""
    new = original.clone_without_regions()  # keeps one empty body region
    for block in list(candidate.body.blocks):
        candidate.body.detach_block(block)
        new.body.add_block(block)
    strip_run_attrs(new)
    return new


# -- 4: verify in place --------------------------------------------------------------------
def verify_in(func: FuncOp) -> None:
    """Verify `func` op by op (it must already sit in its module, for symbol lookups)."""
    for op in func.walk():
        try:
            op.verify(verify_nested_ops=False)
        except Exception as err:  # noqa: BLE001 - VerifyException, ValueError, ...
            where = _where(op)
            raise Rejection("verify", f"'{op.name}' op {_one_line(str(err))}{where}") from None


def _where(op: Operation) -> str:
    from neurojit.ir import op_position

    pos = op_position(op)
    return f" (line {pos[1]})" if pos and pos[0] == "<candidate>" else ""


# -- 5: dominance --------------------------------------------------------------------------
def check_dominance(func: FuncOp) -> None:
    """Every operand must be defined by something that dominates its use."""
    try:
        _check_dominance(func)
    except DominanceError as err:
        raise Rejection("dominance", err.message) from None


# -- 6: policy -----------------------------------------------------------------------------
def declared_functions(module: ModuleOp) -> dict[str, FuncOp]:
    return {op.sym_name.data: op for op in module.ops if isinstance(op, FuncOp)}


def _globals(module: ModuleOp) -> set[str]:
    names: set[str] = set()
    for op in module.ops:
        if op.name == "memref.global":
            sym = op.properties.get("sym_name") or op.attributes.get("sym_name")
            if sym is not None:
                names.add(sym.data)  # type: ignore[attr-defined]
    return names


def check_policy(func: FuncOp, module: ModuleOp) -> None:
    declared = declared_functions(module)
    global_names: set[str] | None = None
    for op in func.walk():
        if op is func:
            continue
        dialect = op.name.split(".", 1)[0]
        if dialect == "llvm":
            raise Rejection("policy", f"uses the llvm dialect ('{op.name}'), which is not allowed")
        if op.name == "func.func":
            raise Rejection("policy", "defines a nested func.func")
        if dialect not in ALLOWED_DIALECTS and op.name not in ALLOWED_EXTRA_OPS:
            raise Rejection(
                "policy",
                f"uses '{op.name}'; only {', '.join(sorted(ALLOWED_DIALECTS))} ops are lowered",
            )
        if isinstance(op, CallOp):
            callee = op.callee.root_reference.data
            target = declared.get(callee)
            if target is None:
                raise Rejection("policy", f"calls @{callee}, which the module does not declare")
        if op.name == "memref.get_global":
            global_names = _globals(module) if global_names is None else global_names
            ref = op.properties.get("name") or op.attributes.get("name")
            name = getattr(getattr(ref, "root_reference", None), "data", None)
            if name is not None and name not in global_names:
                raise Rejection("policy", f"reads global @{name}, which the module does not define")


def check_capability_policy(new: FuncOp, original: FuncOp, trial: ModuleOp) -> None:
    """The capability policy (neurojit.llm_pass.policy): nothing the original could not do."""
    from neurojit.llm_pass.policy import PolicyViolation, check_capabilities

    try:
        check_capabilities(new, original, trial)
    except PolicyViolation as err:
        raise Rejection("policy", str(err)) from None


# -- 7: dynamic ----------------------------------------------------------------------------
def attr_value(attr: Any) -> Any:
    """A Python number from a typed fault input."""
    if isinstance(attr, IntegerAttr):
        return attr.value.data
    if isinstance(attr, FloatAttr):
        return attr.value.data
    raise TypeError(f"not a scalar input: {attr}")


def _as_tuple(value: Any) -> tuple[Any, ...]:
    return tuple(value) if isinstance(value, tuple | list) else (value,)


def _same(a: Any, b: Any) -> bool:
    try:
        import numpy as np

        if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
            return bool(np.array_equal(np.asarray(a), np.asarray(b), equal_nan=True))
    except ImportError:  # pragma: no cover - numpy is a dependency
        pass
    if isinstance(a, float) or isinstance(b, float):
        fa, fb = float(a), float(b)
        if math.isnan(fa) and math.isnan(fb):
            return True
        return math.isclose(fa, fb, rel_tol=1e-9, abs_tol=1e-12)
    return bool(a == b)


def _copy_args(args: Iterable[Any]) -> list[Any]:
    # A candidate may write into an array argument; later checks need the original data.
    return [a.copy() if hasattr(a, "copy") and not isinstance(a, int | float) else a for a in args]


_BASELINES: dict[str, str | None] = {}


def _baseline_error(module_text: str) -> str | None:
    """Why the runtime cannot compile `module_text` (None when it can); memoised."""
    key = hashlib.sha256(module_text.encode()).hexdigest()
    if key not in _BASELINES:
        from neurojit.runtime.module import compile_module

        try:
            compile_module(module_text, checks=True)
            _BASELINES[key] = None
        except Exception as err:  # noqa: BLE001 - any failure means "not this candidate's"
            why = err.message if isinstance(err, NeuroJITError) else _one_line(str(err))
            _BASELINES[key] = why
    return _BASELINES[key]


def dynamic_check(
    module_text: str,
    name: str,
    trigger: Sequence[Any] | None,
    recorded: Recorded,
    timeout: float,
    original_text: str | None = None,
    ran: list[tuple[list[Any], Any]] | None = None,
) -> str:
    """Run the candidate natively. Returns the validation depth; raises Rejection.
    `original_text` is the module before the repair: if it does not compile either, a
    compile failure is the runtime's limit, not the candidate's fault."""
    if not trigger and not recorded:
        return "static only: no inputs to run"
    try:
        from neurojit.runtime.faults import JITFault
        from neurojit.runtime.module import compile_module
    except ImportError as err:
        return f"static only: native runtime unavailable ({_one_line(str(err))})"
    try:
        compiled = compile_module(module_text, checks=True, timeout=timeout)
    except Exception as err:  # noqa: BLE001 - NeuroJITError, or a gap in the runtime
        why = err.message if isinstance(err, NeuroJITError) else _one_line(str(err))
        # Blame the candidate only if the runtime can compile the module it came from.
        baseline = _baseline_error(original_text) if original_text is not None else why
        if baseline is not None:
            return f"static only: the native runtime cannot compile this module ({baseline})"
        raise Rejection("compile", f"does not compile: {why}") from None
    if trigger:
        try:
            got = compiled.call(name, *_copy_args(trigger))
            if ran is not None:
                ran.append((list(trigger), got))
        except JITFault as fault:
            report = fault.report
            raise Rejection(
                "run",
                f"still faults on the triggering inputs: {report.kind}: {report.message}",
            ) from None
    for inputs, expected in recorded:
        try:
            got = compiled.call(name, *_copy_args(inputs))
        except JITFault as fault:
            raise Rejection(
                "run",
                f"faults on inputs {list(inputs)} that worked before: {fault.report.kind}",
            ) from None
        want_t, got_t = _as_tuple(expected), _as_tuple(got)
        if len(want_t) != len(got_t) or not all(
            _same(w, g) for w, g in zip(want_t, got_t, strict=False)
        ):
            raise Rejection(
                "run",
                f"on inputs {list(inputs)} returns {got}, but the original returned {expected}",
            )
        if ran is not None:
            ran.append((list(inputs), expected))
    return "dynamic"


# -- all of it -----------------------------------------------------------------------------
def validate_candidate(
    answer: str,
    original: FuncOp,
    module: ModuleOp,
    *,
    trigger: Sequence[Any] | None = None,
    recorded: Recorded = (),
    timeout: float = 2.0,
    dynamic: bool = True,
) -> Accepted:
    """Check a model's (or rule's, or cache's) answer as a replacement for `original` in
    `module`. Returns the assembled function, not yet installed; raises `Rejection`."""
    from neurojit.ir import print_module

    name = original.sym_name.data
    from neurojit.limits import op_budget

    candidate, text = parse_candidate(answer, name, op_budget(sum(1 for _ in original.walk())))
    check_signature(candidate, original)
    new = assemble(candidate, original)
    # Small models often hand the function back as it was; without inputs to run, nothing
    # else would notice.
    if canonical_text(new) == canonical_text(original):
        raise Rejection("unchanged", "the answer is the faulty function, unchanged")
    # Check it in a copy of the module, where it replaces the original, so calls (including
    # recursive ones) resolve exactly as they will after installation.
    trial = module.clone()
    slot = declared_functions(trial)[name]
    trial.body.block.insert_op_before(new, slot)
    slot.detach()
    slot.erase()
    try:
        # Policy first: a call to an undeclared function also fails verification, but
        # "calls @x, which the module does not declare" tells the model more.
        check_policy(new, trial)
        verify_in(new)
        check_capability_policy(new, original, trial)
        check_dominance(new)
        depth = "static only: dynamic checks off"
        ran: list[tuple[list[Any], Any]] = []
        if dynamic:
            depth = dynamic_check(
                print_module(trial), name, trigger, recorded, timeout, print_module(module), ran
            )
    finally:
        new.detach()
    return Accepted(func=new, text=text, depth=depth, calls=ran)
