"""`llm-repair`: replace the body of each faulty function with a validated repair.

A function is faulty when it carries `#neurojit.fault<...>` or when the verifier rejects it
(kind `verifier-error`). For each one the pass computes a fingerprint and asks the
StrategyCache; a cached repair that still validates is used as is. Otherwise the proposers
run in order (`proposers=rules,model`): the model gets up to `max-attempts` queries, each
told why the previous answer was rejected; the rules yield their template candidates. The
first candidate that validates replaces the body, the fault attribute gives way to
`#neurojit.strategy<...>`, and the repair is cached. When nothing validates, the pass reports
every attempt's rejection reason and leaves the function unchanged.

There is no upstream counterpart; the pass is a plain ModulePass so it composes with the
others (`-p 'llm-repair{runner=mock responses="r.txt"},convert-scf-to-cf'`).
`repair_module()` is the same thing for Python callers (the self-healing runtime), which can
also hand over recorded good calls for the dynamic check.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.dialects.func import FuncOp
from xdsl.passes import ModulePass

from neurojit.errors import NeuroJITError
from neurojit.fault_report import FaultReport
from neurojit.llm_pass.behaviour import EntryCall
from neurojit.llm_pass.cache import CacheEntry, StrategyCache, open_cache
from neurojit.llm_pass.cache_integrity import encode_calls, entry_calls
from neurojit.llm_pass.candidates import CandidateRuntime
from neurojit.llm_pass.chain import MAX_LINKS, Link, Site, site_of
from neurojit.llm_pass.faults import fault_of, verifier_error
from neurojit.llm_pass.fingerprint import fingerprint
from neurojit.llm_pass.options import RepairOptions, from_pass, pass_options
from neurojit.llm_pass.prompt import Example, build_prompt, function_text
from neurojit.llm_pass.validate import (
    Accepted,
    Progress,
    Recorded,
    Rejection,
    declared_functions,
    validate_candidate,
)

RETRY_TEMPERATURE = 0.7
MAX_RULE_CANDIDATES = 32


@dataclass
class AttemptRecord:
    """One candidate and what became of it (`reason` is None when it was accepted)."""

    source: str  # "cache", "model" or "rules"
    attempt: int  # 1-based within its source
    reason: str | None
    seconds: float
    tokens: int = 0
    label: str = ""  # the rule template, for rules
    scope: str = ""  # for the model: "operand", "op", "region" or "function" (its hole)


@dataclass
class FunctionRepair:
    """The outcome for one faulty function."""

    function: str
    kind: str
    fingerprint: str
    ok: bool = False
    source: str = ""
    model: str = ""
    attempt: int = 0
    depth: str = ""  # "dynamic" or "static only: why"
    text: str = ""  # the accepted function
    attempts: list[AttemptRecord] = field(default_factory=list)
    seconds: float = 0.0
    # What it was validated with: "replayed N recorded calls", "differential on N generated
    # inputs" or "static only (why)".
    evidence: str = ""
    # Each fault the accepted repair removed, in order; more than one for a chain.
    links: list[Link] = field(default_factory=list)
    # With no behaviour to compare, every proposer's first validated candidate competes:
    # (source, label, ops edited) of each, and which one won the smallest-edit selection.
    candidates: list[tuple[str, str, int]] = field(default_factory=list)
    selection: str = ""
    # Candidates kept as progress (a later fault on the same input), not yet accepted.
    progress: list[tuple[str, str, Progress]] = field(default_factory=list, repr=False)

    def failure_message(self) -> str:
        tried = "; ".join(
            f"{a.source}{f' #{a.attempt}' if a.attempt else ''}"
            f"{f' ({a.label})' if a.label else ''}"
            f"{f' [{a.scope} hole]' if a.scope not in ('', 'function') else ''}: {a.reason}"
            for a in self.attempts
        )
        return (
            f"llm-repair could not repair @{self.function} ({self.kind}) after "
            f"{len(self.attempts)} attempt(s): {tried or 'no proposer produced a candidate'}"
        )


@dataclass
class RepairOutcome:
    repairs: list[FunctionRepair] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.repairs)

    @property
    def failed(self) -> list[FunctionRepair]:
        return [r for r in self.repairs if not r.ok]


def _why(err: Exception) -> str:
    """One line about an exception: a NeuroJITError's message, else its type and text."""
    if isinstance(err, NeuroJITError):
        return err.message
    text = str(err).strip().splitlines()
    return f"{type(err).__name__}: {text[0]}" if text else type(err).__name__


def faulty_functions(module: ModuleOp) -> list[tuple[FuncOp, FaultReport]]:
    """Functions carrying `#neurojit.fault`, and functions the verifier rejects."""
    found: list[tuple[FuncOp, FaultReport]] = []
    for op in module.ops:
        if not isinstance(op, FuncOp) or not op.body.blocks:
            continue
        info = fault_of(op) or verifier_error(op)
        if info is not None:
            found.append((op, info))
    return found


class _Session:
    """State shared by the repairs of one module: the runner (built on first use) and cache."""

    def __init__(
        self,
        options: RepairOptions,
        runner: Any | None,
        cache: StrategyCache | None,
        runtime: CandidateRuntime | None = None,
    ) -> None:
        self.options = options
        self._runner = runner
        self.cache = cache
        self.runtime = runtime  # runs candidates; None: the native one, by name

    @property
    def runner(self) -> Any:
        if self._runner is None:
            from neurojit.llm_pass.runners.base import runner_for

            self._runner = runner_for(self.options)
        return self._runner


@dataclass
class _Target:
    """What a proposer is asked to fix: one fault of one function, the calls its answer
    must reproduce, the fault's site, and the record its attempts go to."""

    repair: FunctionRepair
    func: FuncOp
    module: ModuleOp
    fault: FaultReport
    recorded: Recorded
    site: Site | None = None


def _validate(
    text: str, session: _Session, t: _Target, recorded: Recorded | None = None
) -> Accepted:
    """`text` validated as `t.func`'s replacement, on `recorded` (default `t.recorded`)."""
    func, module, fault, site = t.func, t.module, t.fault, t.site
    recorded = t.recorded if recorded is None else recorded
    accepted = validate_candidate(
        text,
        func,
        module,
        trigger=fault.via or fault.inputs or None,
        recorded=recorded,
        timeout=session.options.timeout,
        site=site,
        runtime=session.runtime,
    )
    if not _observed(recorded):
        # No behaviour to compare: the candidate must keep every op off the error's path.
        from neurojit.llm_pass.edits import check_kept

        why = check_kept(func, accepted.func, fault.location)
        if why is not None:
            raise Rejection("keep", why)
    return accepted


def _grammar_for(func: FuncOp, module: ModuleOp, runner: Any) -> str | None:
    """The specialised GBNF for runners that sample under one; None if it can't be built."""
    if getattr(runner, "name", "") == "mock":
        return None  # replayed answers ignore it; don't pay for building it
    try:
        from neurojit.llm_pass.grammar import shape_of, specialize_gbnf

        return specialize_gbnf(shape_of(func, module))
    except Exception as err:  # noqa: BLE001 - sampling without a grammar still works
        print(f"warning: llm-repair: no grammar for @{func.sym_name.data}: {err}", file=sys.stderr)
        return None


def _try_cache(session: _Session, t: _Target) -> Accepted | None:
    repair = t.repair
    if session.cache is None:
        return None
    for n, entry in enumerate(session.cache.lookup(repair.fingerprint), 1):
        start = time.perf_counter()
        try:
            # The calls the entry was validated on must still hold, with this run's.
            calls = [*t.recorded, *entry_calls(entry)]
            accepted = _validate(entry.repaired, session, t, calls)
        except Rejection as err:
            # The store is untrusted: an entry that does not validate is never used. A private
            # file drops it; a shared store keeps it for the processes it does hold for (this
            # run's recorded calls are not theirs): `neurojit cache prune` is the fleet's say.
            repair.attempts.append(AttemptRecord("cache", n, str(err), time.perf_counter() - start))
            if session.cache.shared:
                what = "skipped cached repair (kept in the shared store)"
            else:
                session.cache.remove(entry.fingerprint, entry.repaired)
                what = "dropped cached repair"
            print(
                f"warning: llm-repair: {what} of @{repair.function} ({entry.fingerprint}): {err}",
                file=sys.stderr,
            )
            continue
        repair.attempts.append(AttemptRecord("cache", n, None, time.perf_counter() - start))
        repair.source, repair.model, repair.attempt = "cache", entry.model, 0
        return accepted
    return None


def _schedule(holes: Sequence[Any], options: RepairOptions) -> list[tuple[Any, float, int]]:
    """(hole, temperature, example offset) of each model attempt."""
    n, first = options.max_attempts, holes[0]
    base, hot = options.temperature, max(options.temperature, RETRY_TEMPERATURE)
    if options.retry == "greedy" or not options.localize:
        return [(first, base, 0)] * n
    if options.retry == "sample":
        return [(first, base if i == 0 else hot, 0) for i in range(n)]
    if options.retry == "examples":
        return [(first, base, i) for i in range(n)]
    if n <= len(holes):
        return [(h, base, 0) for h in holes[:n]]
    extra = n - len(holes)
    return [(first, base, 0)] + [(first, hot, 0)] * extra + [(h, base, 0) for h in holes[1:]]


def _hole_examples(
    session: _Session, fault: FaultReport, fp: str, offset: int, level: str
) -> list[Any]:
    from neurojit.llm_pass.hole_prompt import HOLE_EXAMPLES, cache_example, examples_for

    options = session.options
    if options.examples <= 0:
        return []
    cached = []
    if session.cache is not None:
        for e in session.cache.examples(fault.kind, options.examples, fp):
            example = cache_example(fault.kind, e.original, e.repaired)
            if example is not None:
                cached.append(example)
    count = min(options.examples, HOLE_EXAMPLES)
    return examples_for(fault.kind, cached, count, offset, level)


def _try_model(session: _Session, t: _Target) -> Accepted | None:
    repair, func, module, fault = t.repair, t.func, t.module, t.fault
    from neurojit.llm_pass.hole import Hole, SpliceError, ladder, splice

    options = session.options
    if options.max_attempts == 0:
        return None
    try:
        runner = session.runner
    except Exception as err:  # noqa: BLE001 - a missing model or backend must not kill the pass
        repair.attempts.append(AttemptRecord("model", 1, f"runner unavailable: {_why(err)}", 0.0))
        return None
    examples: list[Example] = []
    if session.cache is not None and options.examples > 0:
        examples = [
            Example(e.original, e.repaired)
            for e in session.cache.examples(fault.kind, options.examples, repair.fingerprint)
        ]
    hints: list[str] = []
    if options.hints == "rules":
        from neurojit.llm_pass.rules import describe

        hints = describe(fault.kind)
    funcs = declared_functions(module)
    if options.localize:
        try:
            holes = ladder(func, fault, module)
        except Exception as err:  # noqa: BLE001 - no hole: the whole function, as before
            print(
                f"warning: llm-repair: no hole in @{repair.function}: {_why(err)}", file=sys.stderr
            )
            holes = [Hole("function", repair.function)]
    else:
        holes = [Hole("function", repair.function)]
    grammar: str | None = None
    grammar_built = False
    scoped = getattr(runner, "name", "") in ("llama", "llama-inproc")
    rejections: list[str] = []
    # The whole function as a hole too (line by line, bounded, never the original), for
    # runners that sample under the line grammars, and the mock that stands in for them;
    # a remote model is asked for the whole func.func, under the context-free grammar.
    lines = scoped or getattr(runner, "name", "") == "mock"
    for attempt, (hole, temperature, offset) in enumerate(_schedule(holes, options), 1):
        if hole.level == "function" and (hole.spec is None or not lines):
            if not grammar_built:
                grammar, grammar_built = _grammar_for(func, module, runner), True
            prompt = build_prompt(func, fault, funcs, examples, rejections, hints)
            query_grammar = grammar
        else:
            from neurojit.llm_pass.hole_prompt import build_hole_prompt

            shots = _hole_examples(session, fault, repair.fingerprint, offset, hole.level)
            prompt = build_hole_prompt(func, fault, hole, funcs, shots, rejections, hints)
            query_grammar = hole.spec.grammar_string() if scoped and hole.spec else None
        if options.prompt_log:
            _log_prompt(options.prompt_log, prompt)
        start = time.perf_counter()
        try:
            result = runner.query(
                prompt,
                query_grammar,
                max_tokens=options.max_tokens,
                temperature=temperature,
                seed=options.seed + attempt - 1,
            )
        except Exception as err:  # noqa: BLE001 - HTTP errors, llama.cpp errors, ...
            repair.attempts.append(
                AttemptRecord(
                    "model",
                    attempt,
                    f"runner failed: {_why(err)}",
                    time.perf_counter() - start,
                    scope=hole.level,
                )
            )
            return None
        if options.prompt_log:  # the answers beside the prompts, in the same order
            _log_prompt(options.prompt_log + ".answers", result.text)
        try:
            text = result.text
            if hole.spec is not None and "func.func" not in text:
                try:
                    text = splice(func, hole, text)
                except SpliceError as err:
                    raise Rejection("hole", str(err)) from None
            accepted = _validate(text, session, t)
        except Rejection as err:
            if isinstance(err, Progress):
                repair.progress.append(("model", f"attempt {attempt}", err))
            rejections.append(str(err))
            repair.attempts.append(
                AttemptRecord(
                    "model",
                    attempt,
                    str(err),
                    time.perf_counter() - start,
                    result.tokens,
                    scope=hole.level,
                )
            )
            continue
        repair.attempts.append(
            AttemptRecord(
                "model",
                attempt,
                None,
                time.perf_counter() - start,
                result.tokens,
                scope=hole.level,
            )
        )
        repair.source = getattr(runner, "name", options.runner)
        repair.model, repair.attempt = str(getattr(runner, "model", "")), attempt
        return accepted
    return None


def _try_rules(session: _Session, t: _Target) -> Accepted | None:
    repair, func, module, fault = t.repair, t.func, t.module, t.fault
    from neurojit.llm_pass.rules import propose

    start = time.perf_counter()
    for n, (label, text) in enumerate(propose(func, fault, module), 1):
        if n > MAX_RULE_CANDIDATES:
            break
        try:
            accepted = _validate(text, session, t)
        except Rejection as err:
            if isinstance(err, Progress):
                repair.progress.append(("rules", label, err))
            repair.attempts.append(
                AttemptRecord("rules", n, str(err), time.perf_counter() - start, label=label)
            )
            start = time.perf_counter()
            continue
        repair.attempts.append(
            AttemptRecord("rules", n, None, time.perf_counter() - start, label=label)
        )
        repair.source, repair.model, repair.attempt = "rules", label, n
        return accepted
    if not any(a.source == "rules" for a in repair.attempts):
        repair.attempts.append(
            AttemptRecord("rules", 0, f"no rule template fits a {fault.kind} here", 0.0)
        )
    return None


def _move_body(func: FuncOp, new: FuncOp) -> None:
    """Replace `func`'s body by `new`'s blocks (taken out of `new`)."""
    for block in list(func.body.blocks):
        func.body.detach_block(block)
        block.erase(safe_erase=False)
    for block in list(new.body.blocks):
        new.body.detach_block(block)
        func.body.add_block(block)


def _install(func: FuncOp, accepted: Accepted, repair: FunctionRepair) -> None:
    """Move the accepted body into `func` and swap the fault for a strategy record."""
    from neurojit.dialect import FAULT_ATTR_NAME, STRATEGY_ATTR_NAME, StrategyAttr

    _move_body(func, accepted.func)
    func.attributes.pop(FAULT_ATTR_NAME, None)
    func.attributes[STRATEGY_ATTR_NAME] = StrategyAttr(
        repair.source, repair.model, repair.attempt, repair.fingerprint
    )


def _log_prompt(path: str, prompt: str) -> None:
    """Append one prompt to the prompt log (`prompt-log=PATH`), separated like responses."""
    try:
        with open(path, "a", encoding="utf-8") as log:
            log.write(prompt.rstrip("\n") + "\n// -----\n")
    except OSError as err:
        print(f"warning: llm-repair: cannot write prompt log '{path}': {err}", file=sys.stderr)


def _label(source: str, repair: FunctionRepair) -> str:
    return repair.model if source == "rules" else f"attempt {repair.attempt}"


def _propose(session: _Session, t: _Target) -> Accepted | None:
    """Run the proposers in order. With recorded calls the first validated candidate wins.
    Without (nothing to compare the behaviour with), every proposer's first validated
    candidate competes and the smallest edit wins, ties to the earlier proposer."""
    from neurojit.llm_pass.edits import edit_size

    repair, func = t.repair, t.func
    steps = {"model": _try_model, "rules": _try_rules}
    collect = not _observed(t.recorded)
    found: list[tuple[str, str, int, Accepted, tuple[str, str, int]]] = []
    records: list[AttemptRecord] = []
    for proposer in session.options.proposers:
        if found and proposer == "model":
            # A model query costs seconds; it is never sent just to second-guess a candidate
            # that already validated (`rules,model`). Rules after the model are cheap, so in
            # `model,rules` they always get to compete with the model's answer.
            continue
        accepted = steps[proposer](session, t)
        if accepted is None:
            continue
        meta = (repair.source, repair.model, repair.attempt)
        size = edit_size(func, accepted.func)
        found.append((proposer, _label(proposer, repair), size, accepted, meta))
        records.append(repair.attempts[-1])  # the proposer's accepted attempt
        if not collect:
            break
    if not found:
        return None
    best = min(found, key=lambda f: f[2])  # min() keeps the first of equal sizes
    repair.source, repair.model, repair.attempt = best[4]
    if collect:
        repair.candidates = [(p, label, size) for p, label, size, _, _ in found]
        repair.selection = _selection(found, best)
        # One accepted attempt per repair: the others validated but lost the selection.
        for entry, record in zip(found, records, strict=True):
            if entry is not best:
                record.reason = (
                    f"selection: validated, but {best[0]} [{best[1]}] is a smaller edit "
                    f"({best[2]} ops edited, this one {entry[2]})"
                )
    return best[3]


def _observed(recorded: Recorded) -> bool:
    """Whether any call was observed in a run (not sampled by the pass): sampled inputs
    check behaviour like the differential does, so the candidates still compete."""
    from neurojit.llm_pass.differential import SampledCall

    return any(not isinstance(call, SampledCall) for call in recorded)


def _selection(found: Sequence[tuple[str, str, int, Any, Any]], best: Any) -> str:
    """One line on the smallest-edit selection: who competed, whether they agreed."""
    from neurojit.llm_pass.fingerprint import canonical_text

    def who(f: Any) -> str:
        return f"{f[0]} [{f[1]}] ({f[2]} op{'' if f[2] == 1 else 's'} edited)"

    if len(found) == 1:
        return f"only {who(found[0])} validated"
    texts = {canonical_text(f[3].func) for f in found}
    if len(texts) == 1:
        return f"{' and '.join(f[0] for f in found)} agree: {who(best)}"
    others = ", ".join(who(f) for f in found if f is not best)
    return f"disagree; smallest edit wins: {who(best)} over {others}"


def repair_function(
    func: FuncOp,
    fault: FaultReport,
    module: ModuleOp,
    session: _Session,
    recorded: Recorded = (),
) -> FunctionRepair:
    name = func.sym_name.data
    start = time.perf_counter()
    repair = FunctionRepair(name, fault.kind, fingerprint(func, fault.kind))
    original_text = function_text(func)
    saved = func.clone()  # restored when a chain of repairs does not complete
    current = fault
    accepted = _try_cache(
        session, _Target(repair, func, module, fault, recorded, site_of(func, fault))
    )
    links: list[Link] = []
    for _ in range(MAX_LINKS if accepted is None else 0):
        repair.progress.clear()
        accepted = _propose(
            session, _Target(repair, func, module, current, recorded, site_of(func, current))
        )
        if accepted is not None or not repair.progress:
            break
        # Nothing removes this fault cleanly, but a candidate removed it and met another
        # fault on the same input: keep it as a link and repair that fault next.
        source, label, progress = repair.progress[0]
        links.append(Link(current.kind, current.message, current.location, source, label))
        _move_body(func, progress.func)
        # The fault met further on, reached by the same call as the first one.
        current = replace(
            progress.fault, inputs=fault.inputs, input_text=fault.input_text, via=fault.via
        )
    repair.progress.clear()
    repair.seconds = time.perf_counter() - start
    if accepted is None:
        if links:
            _move_body(func, saved)
            repair.attempts.append(
                AttemptRecord(
                    "chain",
                    len(links),
                    f"a chain of {len(links)} link(s) did not complete: "
                    + "; ".join(link.describe() for link in links),
                    0.0,
                )
            )
        return repair
    label = repair.model if repair.source == "rules" else ""
    links.append(Link(current.kind, current.message, current.location, repair.source, label))
    repair.links = links
    repair.ok, repair.depth, repair.text = True, accepted.depth, function_text(accepted.func)
    repair.evidence = accepted.evidence
    _install(func, accepted, repair)
    if session.cache is not None and repair.source != "cache":
        # A chain is cached whole: the original's fingerprint maps to the last link.
        session.cache.store(
            CacheEntry(
                fingerprint=repair.fingerprint,
                kind=fault.kind,
                function=name,
                original=original_text,
                repaired=repair.text,
                proposer="rules" if repair.source == "rules" else "model",
                model=repair.model,
                attempts=len(repair.attempts),
                seconds=repair.seconds,
                calls=encode_calls(accepted.calls),
            )
        )
    return repair


def repair_module(
    module: ModuleOp,
    runner: Any | None = None,
    options: RepairOptions | None = None,
    recorded: Mapping[str, Recorded] | None = None,
    cache: StrategyCache | None | bool = True,
    operands: Mapping[str, Sequence[Any]] | None = None,
    triggers: Mapping[str, Sequence[Any] | EntryCall] | None = None,
    runtime: CandidateRuntime | None = None,
) -> RepairOutcome:
    """Repair every faulty function of `module` in place.

    `runner` overrides `options.runner` (any ModelRunner). `recorded` maps a function name to
    (inputs, outputs) of calls that worked before; the repair must reproduce them.
    `cache=True` opens the cache `options.cache` names, `None`/False disables it, or pass a
    StrategyCache. `operands` maps a function name to the faulting op's operand values (a
    FaultReport's `operands`), which the prompt shows. `triggers` maps a function name to the
    Python arguments of the call that faulted, arrays included: the validator runs them when
    `#neurojit.fault` cannot spell them (an attribute holds scalars only); or, for a fault in
    a callee, to the `EntryCall` that faulted (the validator replays it at the entry).
    `recorded` may hold `EntryCall`s too: good calls of an entry that reaches the function,
    compared at the entry (results and array outputs). `runtime` runs candidates (default:
    the native runtime, `candidates.default_runtime`). Failures are reported in the outcome,
    not raised.
    """
    options = options or RepairOptions()
    store = open_cache(options.cache) if cache is True else (cache or None)
    session = _Session(options, runner, store, runtime)
    outcome = RepairOutcome()
    for func, fault in faulty_functions(module):
        calls = (recorded or {}).get(func.sym_name.data, ())
        values = (operands or {}).get(func.sym_name.data)
        if values:
            fault.operands = tuple(values)
        trigger = (triggers or {}).get(func.sym_name.data)
        if isinstance(trigger, EntryCall):
            fault.via = trigger  # a callee's fault: replay the entry's faulting call
        elif trigger and not fault.inputs:
            fault.inputs = tuple(trigger)
        # The pass (nothing recorded, ever) must refuse when no input can be run; elsewhere
        # the validator's differential check compares with the original on its own inputs.
        if not calls and fault.kind != "verifier-error" and options.require_behaviour_check:
            sampled = _sampled_calls(func, module, fault, session)
            if isinstance(sampled, str):
                outcome.repairs.append(_refused(func, fault, sampled))
                continue
            calls = sampled
        outcome.repairs.append(repair_function(func, fault, module, session, calls))
    return outcome


def _report(repair: FunctionRepair) -> None:
    """What an accepted repair was validated with, each link of a chain, the selection; and
    one warning line when nothing ran (static only)."""
    if repair.evidence.startswith("static only"):
        print(
            f"warning: llm-repair: @{repair.function} repaired by {repair.source} on "
            f"{repair.evidence}: its behaviour was not checked",
            file=sys.stderr,
        )
    else:
        print(
            f"note: llm-repair: @{repair.function} repaired by {repair.source}, validated: "
            f"{repair.evidence}",
            file=sys.stderr,
        )
    if len(repair.links) > 1:
        for i, link in enumerate(repair.links, 1):
            print(
                f"note: llm-repair: @{repair.function} chain link {i}/{len(repair.links)}: "
                f"{link.describe()}",
                file=sys.stderr,
            )
    if repair.selection:
        print(f"note: llm-repair: @{repair.function}: {repair.selection}", file=sys.stderr)


def _sampled_calls(
    func: FuncOp, module: ModuleOp, fault: FaultReport, session: _Session
) -> Recorded | str:
    """Calls of the original on sampled inputs (empty when it faults on all of them); a
    reason string only when the repair must be refused for want of them."""
    from neurojit.llm_pass.differential import sample_calls

    options = session.options
    found = sample_calls(
        func,
        module,
        fault.inputs or None,
        timeout=min(options.timeout, 1.0),
        runtime=session.runtime,
    )
    if isinstance(found, str):
        if options.require_behaviour_check:
            return (
                f"refused: no recorded calls, and no inputs could be run to check that a "
                f"repair keeps @{func.sym_name.data}'s behaviour: {found}"
            )
        return []
    return found


def _refused(func: FuncOp, fault: FaultReport, why: str) -> FunctionRepair:
    repair = FunctionRepair(func.sym_name.data, fault.kind, fingerprint(func, fault.kind))
    repair.attempts.append(AttemptRecord("sample", 0, why, 0.0))
    return repair


def _func_location(module: ModuleOp, name: str) -> tuple[str, int, int] | None:
    from neurojit.ir import op_position

    for op in module.ops:
        if isinstance(op, FuncOp) and op.sym_name.data == name:
            return op_position(op)
    return None


@dataclass(frozen=True)
@pass_options
class LLMRepairPass(ModulePass):
    """Repair faulty functions with a model and/or rules; see the module docstring.

    The options are `RepairOptions`' (`neurojit/llm_pass/options.py`), declared there once:
    `runner=mock responses="r.txt"`, `max-attempts=3`, `proposers=rules,model`, ...
    """

    name = "llm-repair"
    # The driver may hand this pass a module that does not verify: that is a repair input.
    accepts_unverified_input: ClassVar[bool] = True

    def options(self) -> RepairOptions:
        return from_pass(self, require_behaviour_check=True)

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        from neurojit.ir import SourceError

        outcome = repair_module(op, options=self.options())
        for repair in outcome.repairs:
            unavailable = [a for a in repair.attempts if (a.reason or "").startswith("runner ")]
            if repair.ok and unavailable:
                print(
                    f"warning: llm-repair: @{repair.function}: model {unavailable[0].reason}; "
                    f"repaired by {repair.source}",
                    file=sys.stderr,
                )
            if repair.ok:
                _report(repair)
        failed = outcome.failed
        if not failed:
            return
        first = failed[0]
        message = " | ".join(r.failure_message() for r in failed)
        pos = _func_location(op, first.function)
        if pos is None:
            raise NeuroJITError(message)
        raise SourceError(message, pos[0], pos[1], pos[2])
