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
   with checks, it must not fault on the triggering inputs at the fault's site (a fault
   further on is `Progress`: a link of a repair chain), and must reproduce the recorded
   calls that worked before, each within the watchdog's limit: calls of the function itself,
   or of an entry that reaches it (its results and the arrays it wrote);
8. differential: the same results as the original on generated inputs wherever the
   original runs, after the recorded calls too (they are only the inputs seen so far).

(The pass adds `keep` when nothing was recorded: ops off the error's path stay; see edits.py.)

Every rejection is a `Rejection` with the stage and a one-line reason: the pass shows it to
the model on the next attempt and lists it in its failure diagnostic.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from xdsl.dialects.builtin import ModuleOp
from xdsl.dialects.func import CallOp, FuncOp
from xdsl.ir import Operation

from neurojit.dominance import DominanceError, dominators  # noqa: F401 - dominators is public here
from neurojit.dominance import check_dominance as _check_dominance
from neurojit.errors import NeuroJITError
from neurojit.fault_report import FaultReport, JITFault
from neurojit.llm_pass.behaviour import EntryCall, copy_args, difference, same_value
from neurojit.llm_pass.candidates import (
    CandidateRuntime,
    default_runtime,
    memo_key,
    unavailable_reason,
)
from neurojit.llm_pass.chain import Site, classify
from neurojit.llm_pass.differential import SampledCall
from neurojit.llm_pass.extract import ExtractError, extract_function
from neurojit.llm_pass.fingerprint import canonical_text, strip_run_attrs

if TYPE_CHECKING:
    from xdsl.context import Context

# The dialects the lowering takes to LLVM. `neurojit.check` is ours and lowers too; a repair
# may keep (or add) explicit checks.
ALLOWED_DIALECTS: frozenset[str] = frozenset({"func", "arith", "math", "scf", "cf", "memref"})
ALLOWED_EXTRA_OPS: frozenset[str] = frozenset({"neurojit.check"})

# Calls to the original that worked: the repair must agree on them. A pair is (inputs,
# outputs) of a call of the repaired function itself; an EntryCall is a call of an entry
# that reaches it (results and array outputs compared at the entry).
Recorded = Sequence[tuple[Sequence[Any], Any] | EntryCall]


class Rejection(Exception):
    """A candidate failed a check. `stage` names the check, `reason` says why in one line."""

    def __init__(self, stage: str, reason: str) -> None:
        super().__init__(f"{stage}: {reason}")
        self.stage = stage
        self.reason = reason


class Progress(Rejection):
    """The candidate removed the fault at its site but met `fault` later on the same input.

    `func` is the candidate as compiled (its ops carry the locations the new fault names).
    Raised only after the recorded calls passed; the pass may keep the candidate as a link
    of a chain (`neurojit.llm_pass.chain`) and repair `fault` in turn.
    """

    def __init__(self, func: FuncOp, fault: FaultReport, site: Site) -> None:
        super().__init__(
            "progress", f"the fault is gone, but the input then meets {site.describe()}"
        )
        self.func = func
        self.fault = fault
        self.site = site


@dataclass
class Accepted:
    """A candidate that passed: the new function (detached, ready to install), how deep
    the validation went ("dynamic" or "static only: why") and its evidence (`replayed N
    recorded calls`, `differential on N generated inputs` or `static only (why)`)."""

    func: FuncOp
    text: str
    depth: str
    evidence: str = ""
    # (inputs, outputs) of the calls of the repaired function itself that the candidate ran
    # in validation (the trigger, then the recorded ones): the cache stores them so that
    # pre-apply can run them again.
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
_BASELINES: dict[str, str | None] = {}


def _baseline_error(module_text: str, runtime: CandidateRuntime) -> str | None:
    """Why the runtime cannot compile `module_text` (None when it can); memoised."""
    key = memo_key(runtime, module_text)
    if key not in _BASELINES:
        try:
            runtime.compile(module_text, 10.0)
            _BASELINES[key] = None
        except Exception as err:  # noqa: BLE001 - any failure means "not this candidate's"
            why = err.message if isinstance(err, NeuroJITError) else _one_line(str(err))
            _BASELINES[key] = why
    return _BASELINES[key]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def run_behaviour(
    module_text: str,
    name: str,
    trigger: Sequence[Any] | EntryCall | None,
    recorded: Recorded,
    timeout: float,
    original_text: str | None = None,
    *,
    site: Site | None = None,
    original: FuncOp | None = None,
    ran: list[tuple[list[Any], Any]] | None = None,
    runtime: CandidateRuntime | None = None,
) -> tuple[str, str]:
    """Run the candidate natively: (depth, evidence); raises Rejection (or Progress).

    The triggering call must not fault at the original's `site` (a fault further on, in
    this function, is `Progress`; in another function it is that function's to repair).
    Recorded calls must give their results again, entry-level ones their array outputs too.
    `original` (the function before the repair) is compared with the candidate on
    generated inputs wherever it runs, recorded calls or not (the pass's own sampled calls
    are that comparison already). `runtime` runs it (default: the native
    one, `candidates.default_runtime`).
    """
    if not trigger and not recorded and original is None:
        return "static only: no inputs to run", "static only"
    runtime = runtime or default_runtime()
    if runtime is None:
        why = unavailable_reason()
        return f"static only: {why}", f"static only ({why})"
    try:
        compiled = runtime.compile(module_text, timeout)
    except Exception as err:  # noqa: BLE001 - NeuroJITError, or a gap in the runtime
        why = err.message if isinstance(err, NeuroJITError) else _one_line(str(err))
        # Blame the candidate only if the runtime can compile the module it came from.
        baseline = _baseline_error(original_text, runtime) if original_text is not None else why
        if baseline is not None:
            why = f"the native runtime cannot compile this module ({baseline})"
            return f"static only: {why}", f"static only ({why})"
        raise Rejection("compile", f"does not compile: {why}") from None
    progress: Progress | None = None
    if trigger:
        entry, args = (
            (trigger.entry, trigger.inputs) if isinstance(trigger, EntryCall) else (name, trigger)
        )
        try:
            got = compiled.call(entry, *copy_args(args))
            if ran is not None and entry == name:
                ran.append((list(args), got))
        except JITFault as fault:
            report = fault.report
            seen = classify(report, name, module_text, site)
            if seen.same:
                raise Rejection(
                    "run",
                    f"still faults on the triggering inputs: {report.kind}: {report.message}",
                ) from None
            if seen.func is not None and seen.fault is not None:
                progress = Progress(seen.func, seen.fault, seen.site)
            # else: the fault moved to another function, which the loop repairs next.
    replayed = sampled = 0
    for call in recorded:
        if isinstance(call, EntryCall):
            live = copy_args(call.inputs)
            try:
                got = compiled.call(call.entry, *live)
            except JITFault as fault:
                raise Rejection(
                    "run",
                    f"faults on {call.describe()}, a call that worked before: {fault.report.kind}",
                ) from None
            why = difference(call, got, live)
            if why is not None:
                raise Rejection("run", why)
            replayed += 1
            if ran is not None and call.entry == name:
                ran.append((list(call.inputs), call.result))
            continue
        inputs, expected = call
        try:
            got = compiled.call(name, *copy_args(inputs))
        except JITFault as fault:
            raise Rejection(
                "run",
                f"faults on inputs {list(inputs)} that worked before: {fault.report.kind}",
            ) from None
        if not same_value(expected, got):
            raise Rejection(
                "run",
                f"on inputs {list(inputs)} returns {got}, but the original returned {expected}",
            )
        replayed += 1
        sampled += isinstance(call, SampledCall)
        if ran is not None:
            ran.append((list(inputs), expected))
    evidence = f"replayed {_plural(replayed, 'recorded call')}" if replayed else ""
    if replayed and sampled == replayed:
        evidence = f"differential on {_plural(sampled, 'sampled input')}"
    if original is not None and original_text is not None and not sampled:
        # Also after recorded calls: they are the inputs the program happened to make so
        # far, and a wrong repair can agree with all of them (the lander's, measured:
        # 19 recorded calls passed a time-to-touchdown replaced by the altitude, both
        # clamped to the same table slot; the next, lower calls crashed the lander).
        from neurojit.llm_pass.differential import compare, original_calls

        calls = original_calls(original_text, original, runtime)
        if calls:
            why = compare(compiled, calls)
            if why is not None:
                raise Rejection("differential", why)
            generated = f"differential on {_plural(len(calls), 'generated input')}"
            evidence = f"{evidence} and {generated}" if evidence else generated
    if progress is not None:
        raise progress
    if not evidence:
        why = "no recorded calls, and no generated input the original runs"
        if trigger:
            why += "; the faulting call no longer faults"
        return f"static only: {why}", f"static only ({why})"
    return "dynamic", evidence


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
    site: Site | None = None,
    differential: bool = True,
    runtime: CandidateRuntime | None = None,
) -> Accepted:
    """Check a model's (or rule's, or cache's) answer as a replacement for `original` in
    `module`. Returns the assembled function, not yet installed; raises `Rejection`
    (`Progress` when the triggering call now faults further on, at a site other than
    `site`). `trigger` may be an `EntryCall` (the faulting call of an entry that reaches
    `original`). `differential`: with no recorded calls, compare with the original on
    generated inputs where it runs. `runtime` runs it (default: the native one)."""
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
        evidence = "static only (dynamic checks off)"
        ran: list[tuple[list[Any], Any]] = []
        if dynamic:
            depth, evidence = run_behaviour(
                print_module(trial),
                name,
                trigger,
                recorded,
                timeout,
                print_module(module),
                site=site,
                original=original if differential else None,
                ran=ran,
                runtime=runtime,
            )
    finally:
        new.detach()
    return Accepted(func=new, text=text, depth=depth, evidence=evidence, calls=ran)
