"""The self-healing loop: the one place where the native runtime and the repair pass meet.

A `SelfHealingModule` wraps a `CompiledModule`. Every call from Python goes through it:

1. at load, functions with a validated StrategyCache entry are swapped in before the first
   call (a program that faulted once does not fault again: zero faults, zero queries);
2. a successful call is remembered, inputs and outputs, in a bounded ring per function: the
   validator's "same results on recorded inputs" check;
3. a call that faults (`JITFault`) has its `FaultReport` turned into `#neurojit.fault` on the
   function, `llm-repair` runs on it (cache first, then the proposers, each with the pass's
   attempt limit), the accepted version is compiled and hot-swapped into its slot, and the
   faulted call is re-run with the same inputs (arrays restored to their pre-call contents);
4. when no candidate validates, `Unrepaired` carries a one-line diagnosis (exit code 3 in the
   CLIs).

The runtime never imports this module, and the repair pass does not know it exists: data flows
one way, FaultReport → attribute → pass → function text → swap.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from neurojit.errors import NeuroJITError
from neurojit.llm_pass.behaviour import EntryCall, array_outputs

if TYPE_CHECKING:
    from xdsl.dialects.builtin import ModuleOp
    from xdsl.dialects.func import FuncOp

    from neurojit.fault_report import FaultReport
    from neurojit.llm_pass.cache import CacheEntry
    from neurojit.llm_pass.store import EntryStore, Origin
    from neurojit.runtime.module import CompiledModule

RUNNER_CHOICES = ("llama", "llama-inproc", "openai", "gemini", "mock", "none")

# Exit code of a run that stopped on a fault nobody could repair.
EXIT_UNREPAIRED = 3


# Cache entries applied one after another to one function at load (a repair of a repair).
_MAX_CHAINED_REPAIRS = 4


@dataclass
class HealingOptions:
    """How to heal. Mirrors the `llm-repair` pass options, plus the loop's own bounds."""

    runner: str = "llama"  # "none": no healing at all, the program runs as written
    model: str | None = None
    url: str | None = None
    responses: str | None = None
    max_attempts: int = 3
    # Rules first: on the repair benchmark they are correct as often as any chain with the
    # model first, and answer in milliseconds (docs/benchmarks.md, "Repair benchmark").
    proposers: str = "rules,model"
    hints: str = "none"
    # A path or store URL (file:, sqlite:///path, redis://host:port/db); None: $NEUROJIT_CACHE,
    # else the default file; "none": no cache.
    cache: str | None = None
    ring_size: int = 32  # recorded successful calls kept per entry called from Python
    max_repairs_per_call: int = 3  # a repaired function that faults again is repaired again
    preapply: bool = True  # swap in cached repairs at load (off: they apply at the fault)
    query_timeout: float = 120.0  # seconds a model query may take before it is cancelled

    @property
    def enabled(self) -> bool:
        return self.runner != "none"

    @property
    def cache_enabled(self) -> bool:
        return self.enabled and (self.cache or "").strip().lower() != "none"


def add_healing_arguments(parser: argparse.ArgumentParser) -> None:
    """The self-healing flags shared by `neurojit-run` and the lander driver."""
    group = parser.add_argument_group("self-healing")
    group.add_argument(
        "--runner",
        choices=RUNNER_CHOICES,
        default="llama",
        help="repair model backend; 'none' turns healing off (a fault exits 3)",
    )
    group.add_argument("--model", help="model for the runner (GGUF path or registry name)")
    group.add_argument("--url", help="server URL for the openai/gemini runners")
    group.add_argument("--responses", help="response file for the mock runner")
    group.add_argument(
        "--max-attempts", type=int, default=3, help="model queries per fault (default 3)"
    )
    group.add_argument(
        "--proposers", default="rules,model", help="proposer order (default rules,model)"
    )
    group.add_argument("--hints", default="none", choices=("none", "rules"))
    group.add_argument(
        "--query-timeout",
        type=float,
        default=120.0,
        metavar="SECONDS",
        help="cancel a model query after this long (default 120)",
    )
    cache = group.add_mutually_exclusive_group()
    cache.add_argument(
        "--cache",
        metavar="URL",
        help="strategy store: a path, file:PATH, sqlite:///PATH or redis://HOST:PORT/DB "
        "(default $NEUROJIT_CACHE, else ~/.neurojit/cache.json)",
    )
    cache.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")


def options_from_args(args: argparse.Namespace) -> HealingOptions:
    if args.max_attempts < 1:
        from neurojit.errors import UsageError

        raise UsageError("--max-attempts must be at least 1")
    return HealingOptions(
        runner=args.runner,
        model=args.model,
        url=args.url,
        responses=args.responses,
        max_attempts=args.max_attempts,
        proposers=args.proposers,
        hints=args.hints,
        cache="none" if args.no_cache else args.cache,
        query_timeout=getattr(args, "query_timeout", 120.0),
    )


# -- records ---------------------------------------------------------------------------------
@dataclass
class AttemptRecord:
    """One candidate: who proposed it and why it was rejected (reason "accepted" if not)."""

    proposer: str
    attempt: int
    reason: str
    accepted: bool = False
    tokens: int = 0
    seconds: float = 0.0
    tokens_per_second: float = 0.0
    rule: str = ""  # the rule template, for the rules proposer
    scope: str = ""  # model attempts: "op", "region" or "function" (the hole it wrote)


@dataclass
class RepairRecord:
    """One healed (or not) fault: the JSON report's `repairs` entry."""

    function: str
    fault_kind: str
    source: str  # "cache", "model", "rules" or "" when nothing was accepted
    runner: str
    model: str
    attempts: list[AttemptRecord] = field(default_factory=list)
    accepted: bool = False
    seconds: float = 0.0  # fault caught → accepted version swapped in
    swap_seconds: float = 0.0  # compile + slot store of the accepted version
    resume_seconds: float = 0.0  # fault caught → the re-run call returned
    repaired_text: str = ""
    rule: str = ""  # the template that made it, when source is "rules"
    validation: str = ""  # "dynamic", or "static only: why"
    diagnosis: str = ""
    # "replayed N recorded calls", "differential on N generated inputs" or "static only (why)"
    evidence: str = ""
    links: list[dict[str, Any]] = field(default_factory=list)  # each fault a chain removed
    selection: str = ""  # the smallest-edit selection, when there was nothing to replay

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["attempts"] = [asdict(a) for a in self.attempts]
        return data


class Unrepaired(NeuroJITError):
    """A fault no proposer could repair (or healing is off). The CLIs exit 3 with `str()`."""

    def __init__(self, report: FaultReport, record: RepairRecord | None, note: str = "") -> None:
        where = f" at {report.location}" if report.location else ""
        tail = f"; {note}" if note else ""
        if record is not None and record.attempts:
            tail = f"; no repair after {len(record.attempts)} candidate(s)"
        elif record is not None and record.diagnosis:
            tail = f"; {record.diagnosis}"
        super().__init__(f"{report.kind} in @{report.function}{where}: {report.message}{tail}")
        self.report = report
        self.record = record


def fault_to_json(report: FaultReport) -> dict[str, Any]:
    """The JSON report's `faults` entry (the runtime's own spelling of it)."""
    return report.to_json()


def _plain(value: Any) -> Any:
    """A JSON-able view of a call input or result."""
    if hasattr(value, "tolist"):
        return value.tolist()
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


class Progress:
    """Progress lines on stderr, each prefixed so they stand out from program output."""

    def __init__(self, stream: TextIO | None) -> None:
        self.stream = stream

    def __call__(self, message: str) -> None:
        if self.stream is not None:
            print(f"neurojit: {message}", file=self.stream, flush=True)


# -- the loop --------------------------------------------------------------------------------
def _is_array(value: Any) -> bool:
    # numpy scalars have .shape and .copy too, but cannot be written in place.
    return getattr(value, "ndim", 0) > 0 and hasattr(value, "__setitem__")


def _snapshot(args: Sequence[Any]) -> list[Any]:
    """Copies of array arguments: a faulting call may have written half its output."""
    return [a.copy() if _is_array(a) else a for a in args]


def _restore(args: Sequence[Any], saved: Sequence[Any]) -> None:
    for live, old in zip(args, saved, strict=True):
        if live is not old and _is_array(live):
            live[...] = old


class SelfHealingModule:
    """A compiled module whose faulting functions get repaired and swapped while it runs."""

    def __init__(
        self,
        source: str | os.PathLike[str],
        *,
        options: HealingOptions | None = None,
        checks: bool = True,
        timeout: float = 10.0,
        progress: TextIO | None = sys.stderr,
        on_repair: Callable[[RepairRecord], None] | None = None,
        cache: str | EntryStore | None = None,
    ) -> None:
        """`source` is MLIR text or a path (then faults report `file:line:col` in it).

        `cache` overrides `options.cache`: a store URL (or path), or an open `EntryStore`.
        A live store (redis:) delivers other processes' repairs while this module runs: each
        is re-validated like a pre-applied entry and hot-swapped (`propagated` in the report).
        """
        from neurojit.runtime.candidates import NativeCandidates
        from neurojit.runtime.module import compile_module

        # Candidates run on the program's own runtime (this is the one module that has both).
        self._candidates = NativeCandidates()
        if isinstance(source, os.PathLike):
            from neurojit.limits import read_source_text

            # Bounded like the CLIs' input: a regular file of bounded size, UTF-8.
            text, self.filename = read_source_text(source), str(source)
        else:
            text, self.filename = source, "<input>"
        self.options = options or HealingOptions()
        self.timeout = timeout
        self.say = Progress(progress)
        self.on_repair = on_repair
        self._text = text
        self._module: ModuleOp | None = None  # our copy of the IR, parsed when first needed
        # Good calls per entry called from Python (behaviour.EntryCall): a repair of any
        # function an entry reaches replays them and compares the entry's results and arrays.
        self.rings: dict[str, deque[Any]] = {}
        self.faults: list[dict[str, Any]] = []
        self.repairs: list[RepairRecord] = []
        self.preapplied: list[dict[str, Any]] = []
        self.queries = 0  # model queries actually sent, over every repair
        self._runner: _LiveRunner | None = None
        self._pending: list[tuple[RepairRecord, float]] = []
        self._cache: EntryStore | None = None
        # Repairs arrive from the store's thread while calls run: healing, pre-apply and
        # propagation each hold this lock while they touch the IR and swap (a swap itself is
        # one atomic slot store, so calls in flight finish on the version they started on).
        self._heal_lock = threading.RLock()
        self.propagated: list[dict[str, Any]] = []
        self._canonical: dict[int, tuple[Any, str]] = {}  # id(func) → (func, canonical text)
        self._hits: list[CacheEntry] = []  # the store's entries for the fault being repaired
        self._listening = False
        self._owns_cache = False
        if isinstance(cache, str):
            from dataclasses import replace

            self.options = replace(self.options, cache=cache)
        if self.options.cache_enabled:
            if cache is not None and not isinstance(cache, str):
                self._cache = cache  # the caller's: it closes it
            else:
                self._owns_cache = True
                from neurojit.llm_pass.cache import open_cache

                self._cache = open_cache(self.options.cache)
        try:
            self.compiled: CompiledModule = compile_module(source, checks=checks, timeout=timeout)
        except NeuroJITError as err:
            repaired = self._repair_unverified(err) if self.options.enabled else None
            if repaired is None:
                raise
            self._text = repaired
            self.compiled = compile_module(
                repaired, checks=checks, timeout=timeout, filename=self.filename
            )
        if self._cache is not None and self._cache.live:
            # Subscribe before pre-apply: a repair published in between is not lost (one that
            # pre-apply already installed no longer matches the function's fingerprint).
            self._listening = self._cache.subscribe(self._on_propagated)
            if self._listening:
                # Parse our IR now, off the critical path: a repair that arrives later is then
                # validated and swapped without first paying for the module's parse.
                threading.Thread(target=self._parse_ahead, daemon=True).start()
        if self._cache is not None and self.options.preapply:
            with self._heal_lock:
                self._preapply_cache()

    @property
    def module(self) -> ModuleOp:
        """The IR as it runs now (repairs included). Parsed lazily: a run with nothing to heal
        keeps the runtime's fast path (a module compiled before never touches xDSL)."""
        if self._module is None:
            from neurojit.ir import parse_module

            self._module = parse_module(self._text, self.filename)
        return self._module

    @classmethod
    def load(cls, path: str | os.PathLike[str], **kwargs: Any) -> SelfHealingModule:
        return cls(Path(path), **kwargs)

    # -- calls ---------------------------------------------------------------------------------
    def __getattr__(self, name: str) -> Callable[..., Any]:
        if name.startswith("_"):
            raise AttributeError(name)
        return lambda *args: self.call(name, *args)

    def call(self, name: str, *args: Any) -> Any:
        """Call `name`; on a fault, heal and re-run. Raises `Unrepaired` when healing fails."""
        from neurojit.fault_report import JITFault

        saved = _snapshot(args)
        healed = 0
        while True:
            try:
                result = self.compiled.call(name, *args)
            except JITFault as fault:
                caught = time.perf_counter()
                if healed == self.options.max_repairs_per_call:
                    self._pending.clear()
                    self.faults.append(fault_to_json(fault.report))
                    raise Unrepaired(
                        fault.report,
                        None,
                        f"@{name} still faults after {healed} repair(s) in this call",
                    ) from None
                try:
                    with self._heal_lock:
                        record = self._heal(fault.report, name, saved)
                except Unrepaired:
                    self._pending.clear()
                    raise
                healed += 1
                _restore(args, saved)  # same inputs as the call that faulted
                self._pending.append((record, caught))
                continue
            self._record(name, saved, result, args)
            while self._pending:
                record, caught = self._pending.pop(0)
                record.resume_seconds = time.perf_counter() - caught
                self.say(
                    f"resumed: re-ran @{name} with the same inputs "
                    f"({record.resume_seconds * 1e3:.1f} ms after the fault was caught)"
                )
                if self.on_repair is not None:
                    self.on_repair(record)
            return result

    def _record(self, name: str, inputs: list[Any], result: Any, args: Sequence[Any] = ()) -> None:
        ring = self.rings.get(name)
        if ring is None:
            ring = self.rings[name] = deque(maxlen=self.options.ring_size)
        # Outputs may alias caller arrays: keep a copy of what was returned, and of the
        # arrays the call wrote.
        kept = result.copy() if _is_array(result) else result
        ring.append(EntryCall(name, inputs, kept, array_outputs(args) if args else None))

    # -- healing -------------------------------------------------------------------------------
    def _heal(self, report: FaultReport, called: str, inputs: list[Any]) -> RepairRecord:
        self.faults.append(fault_to_json(report))
        self._event("fault", function=report.function, kind=report.kind)
        where = f" at {report.location}" if report.location else ""
        shown = ", ".join(repr(_plain(v)) for v in (report.inputs or inputs))
        if report.function != called:
            # The fault is in a callee: what we know are the inputs of the Python-level call.
            shown = f"@{called}({shown}) called from Python" if shown else ""
        self.say(f"fault in @{report.function}{where}: {report.kind}: {report.message}")
        if shown:
            self.say(f"  inputs: {shown}" if report.function != called else f"  inputs: ({shown})")
        if not self.options.enabled:
            raise Unrepaired(report, None, "healing is off (--runner none)")
        start = time.perf_counter()
        func = self._function(report.function)
        if func is None:
            record = self._record_failure(report, "the faulting function is not in the module")
            raise Unrepaired(report, record)
        from neurojit.llm_pass.behaviour import calls_reaching

        # Behaviour is recorded where it is observable: at the entries called from Python.
        # Every entry that can reach the faulting function has its good calls replayed.
        recorded = calls_reaching(report.function, self.module, self.rings)
        # The triggering inputs are the call's when the faulting function is the one called
        # from Python; for a callee, the entry's faulting call is replayed at the entry.
        trigger: list[Any] | EntryCall = (
            list(report.inputs or inputs)
            if report.function == called
            else EntryCall(called, list(inputs), trigger=True)
        )
        record = self._repair(func, report, recorded, trigger)
        if not record.accepted:
            record.seconds = time.perf_counter() - start
            self.repairs.append(record)
            self._event("unrepaired", function=report.function, kind=report.kind)
            raise Unrepaired(report, record)
        self._say_accepted(record)
        swap_start = time.perf_counter()
        self.compiled.swap(report.function, record.repaired_text)
        record.swap_seconds = time.perf_counter() - swap_start
        record.seconds = time.perf_counter() - start
        self.say(
            f"compiled and swapped @{report.function} in {record.swap_seconds * 1e3:.1f} ms "
            f"(fault to swap {record.seconds:.2f} s)"
        )
        self.repairs.append(record)
        if record.source == "cache":
            used = [e for e in self._hits if e.repaired == record.repaired_text] or self._hits
            if used:
                self._event_reuse("cache", used[0])
        self._event(
            "repair",
            function=report.function,
            kind=report.kind,
            proposer=record.source,
            model=record.model,
            seconds=round(record.seconds, 6),
        )
        return record

    def _repair_unverified(self, error: NeuroJITError) -> str | None:
        """Repair, before anything runs, the functions of a module that parses but fails to
        verify (kind `verifier-error`); return the repaired module's text.

        None when `error` is not a verifier error: a parse error stays the user's to fix. When a
        function cannot be repaired, the original error is raised again (bad input, exit 1).
        """
        from xdsl.dialects.func import FuncOp

        from neurojit.ir import parse_module, print_module
        from neurojit.llm_pass.faults import verifier_error
        from neurojit.llm_pass.fingerprint import fingerprint

        try:
            module = parse_module(self._text, self.filename, verify=False)
        except NeuroJITError:
            return None
        rejected = [
            (op, info)
            for op in module.body.block.ops
            if isinstance(op, FuncOp) and not op.is_declaration
            if (info := verifier_error(op)) is not None
        ]
        if not rejected:
            return None
        self._module = module
        for func, info in rejected:
            name = func.sym_name.data
            report = info
            where = f" at {info.location}" if info.location else ""
            self.say(f"verifier error in @{name}{where}: {info.message}")
            start = time.perf_counter()
            key = fingerprint(func, info.kind)
            record = self._repair(func, report, [], [])
            record.seconds = time.perf_counter() - start
            if record.accepted and record.source == "cache":
                # Fixed before anything ran and without a query: a pre-applied repair, as a
                # cached runtime repair is on a second run, not a fault of this run.
                self._note_preapplied(name, info.kind, key, "cache", record.model, record.seconds)
                continue
            self.faults.append(fault_to_json(report))
            self.repairs.append(record)
            if not record.accepted:
                raise error
            self._say_accepted(record)
        return print_module(module)

    def _say_accepted(self, record: RepairRecord) -> None:
        self.say(f"accepted ({record.source}, attempt {_accepted_attempt(record)}):")
        for line in record.repaired_text.rstrip().splitlines():
            self.say(f"  | {line}")
        for i, link in enumerate(record.links, 1):
            rule = f" [{link['rule']}]" if link["rule"] else ""
            self.say(
                f"  chain link {i}/{len(record.links)}: {link['fault_kind']} "
                f"({link['message']}) removed by {link['source']}{rule}"
            )
        if record.selection:
            self.say(f"  selection: {record.selection}")
        if record.evidence.startswith("static only"):
            self.say(
                f"warning: @{record.function} repaired on {record.evidence}: "
                "its behaviour was not checked"
            )
        elif record.evidence:
            self.say(f"  validated: {record.evidence}")

    def _note_preapplied(
        self, name: str, kind: str, key: str, source: str, model: str, seconds: float
    ) -> None:
        """A cached repair installed before the first call: the report's `preapplied`."""
        self.preapplied.append(
            {
                "function": name,
                "fault_kind": kind,
                "fingerprint": key,
                "source": source,
                "model": model,
                "seconds": seconds,
            }
        )

    def _record_failure(self, report: FaultReport, why: str) -> RepairRecord:
        record = RepairRecord(
            function=report.function,
            fault_kind=report.kind,
            source="",
            runner=self.options.runner,
            model=self.options.model or "",
            diagnosis=why,
        )
        self.repairs.append(record)
        return record

    def _function(self, name: str) -> FuncOp | None:
        for op in self._functions():
            if op.sym_name.data == name:
                return op
        return None

    def _functions(self) -> list[FuncOp]:
        from xdsl.dialects.func import FuncOp

        return [
            op
            for op in self.module.body.block.ops
            if isinstance(op, FuncOp) and not op.is_declaration
        ]

    def _install(self, name: str, func_text: str, func: FuncOp | None = None) -> None:
        """Swap the new version into the running module and into our copy of the IR."""
        self.compiled.swap(name, func_text)
        if func is None:
            from neurojit.ir import parse_module

            parsed = parse_module(func_text, f"<repair of @{name}>", verify=False)
            func = next(iter(parsed.body.block.ops))  # type: ignore[assignment]
        assert func is not None
        if func.parent is not None:
            func.detach()
        old = self._function(name)
        assert old is not None
        self.module.body.block.insert_op_before(func, old)
        old.detach()
        old.erase()

    def _preapply_cache(self) -> None:
        """Swap in every function the cache holds a repair for, before the first call.

        An entry applies when its fingerprint (function text + fault kind) matches a function
        of this module; it is re-validated first, since the cache file is untrusted input.
        """
        assert self._cache is not None
        by_name: dict[str, list[Any]] = {}
        for entry in self._cache.entries():
            # A cheap textual pre-filter, so an unrelated cache costs no parse.
            if f"@{entry.function}" in self._text:
                by_name.setdefault(entry.function, []).append(entry)
        if not by_name:
            return
        # A function repaired twice (a second fault after the first repair) has a chain of
        # entries, each for the text the one before produced: apply them in turn.
        for _ in range(_MAX_CHAINED_REPAIRS):
            applied = [self._preapply_entry(func, by_name) for func in self._functions()]
            if not any(applied):
                break

    def _revalidate(self, entry: CacheEntry, func: FuncOp) -> Any:
        """A stored repair checked like a new one: policy and static checks, then the calls the
        entry was validated on, re-run natively under the guard. The store is untrusted even
        with a valid tag; pre-apply and live propagation both come through here."""
        from neurojit.llm_pass.cache_integrity import entry_calls
        from neurojit.llm_pass.validate import validate_candidate

        return validate_candidate(
            entry.repaired,
            func,
            self.module,
            recorded=entry_calls(entry),
            timeout=min(self.timeout, 2.0),
            runtime=self._candidates,
        )

    def _preapply_entry(self, func: FuncOp, by_name: dict[str, list[Any]]) -> bool:
        """Install the newest validating cache entry for `func`'s current text, if any."""
        from neurojit.llm_pass.fingerprint import fingerprint
        from neurojit.llm_pass.validate import Rejection

        name = func.sym_name.data
        for entry in sorted(by_name.get(name, ()), key=lambda e: -e.timestamp):
            if fingerprint(func, entry.kind) != entry.fingerprint:
                continue
            start = time.perf_counter()
            try:
                accepted = self._revalidate(entry, func)
            except Rejection as rejection:
                self.say(f"cache entry for @{name} rejected: {rejection}")
                if self._cache is not None:
                    self._cache.reject(f"stored repair failed validation: {rejection}")
                continue
            self._install(name, entry.repaired, accepted.func)
            seconds = time.perf_counter() - start
            self._note_preapplied(
                name, entry.kind, entry.fingerprint, entry.proposer, entry.model, seconds
            )
            self._event_reuse("preapplied", entry)
            self.say(
                f"cache hit at load: @{name} replaced by its validated {entry.kind} repair "
                f"(first found by {entry.proposer}) in {seconds * 1e3:.1f} ms"
            )
            return True
        return False

    def _repair(
        self,
        func: FuncOp,
        report: FaultReport,
        recorded: list[Any],
        trigger: Any,
    ) -> RepairRecord:
        """Put the fault on the function and run llm-repair on our IR, cache first."""
        from neurojit.dialect import FAULT_ATTR_NAME
        from neurojit.llm_pass.fingerprint import fingerprint
        from neurojit.llm_pass.llm_repair import RepairOptions, repair_module

        name = func.sym_name.data
        typed = _typed_inputs(func, trigger) if isinstance(trigger, list) else []
        func.attributes[FAULT_ATTR_NAME] = report.to_attr(typed)
        if self._cache is None:
            self.say("no strategy cache (--no-cache)")
        else:
            self._hits = self._cache.lookup(fingerprint(func, report.kind))
            hits = len(self._hits)
            self.say(
                f"cache {'hit' if hits else 'miss'} for @{name} ({report.kind})"
                + (f": {hits} entr{'y' if hits == 1 else 'ies'} to re-validate" if hits else "")
            )
        opts = self.options
        repair_options = RepairOptions(
            runner=opts.runner,
            model=opts.model,
            url=opts.url,
            responses=opts.responses,
            max_attempts=opts.max_attempts,
            proposers=opts.proposers,
            hints=opts.hints,
            timeout=min(self.timeout, 5.0),
        )
        # One runner for the module's lifetime: a model loads once, a mock's file is read once.
        if self._runner is None:
            self._runner = _LiveRunner(repair_options, self.say, opts.query_timeout)
        runner = self._runner
        queries_before = runner.queries
        results_before = len(runner.results)
        try:
            outcome = repair_module(
                self.module,
                runner=runner,
                options=repair_options,
                recorded={name: recorded},
                cache=self._cache,
                operands={name: list(report.operands or [])},
                # Arrays cannot ride in #neurojit.fault: hand the validator the call itself.
                triggers={name: trigger} if trigger else None,
                runtime=self._candidates,
            )
        finally:
            # Whatever happened, the attribute described this fault only.
            func.attributes.pop(FAULT_ATTR_NAME, None)
            self.queries += runner.queries - queries_before
        done = next((r for r in outcome.repairs if r.function == name), None)
        record = RepairRecord(
            function=name,
            fault_kind=report.kind,
            source="",
            runner=opts.runner,
            model=runner.model_name if runner.built else (opts.model or ""),
        )
        if done is None:
            record.diagnosis = "llm-repair found nothing to repair"
            return record
        # The runner's own timing of this repair's queries (the pass's attempt time also
        # includes validation): model attempt k that reached the model is query k.
        answered = iter(runner.results[results_before:])
        for a in done.attempts:
            source = a.source if a.source in ("cache", "rules", "chain") else "model"
            tokens_per_second = 0.0
            reached_model = not (a.reason or "").startswith(("runner failed", "runner unavailable"))
            if source == "model" and reached_model:
                result = next(answered, None)
                tokens_per_second = result.tokens_per_second if result is not None else 0.0
            attempt = AttemptRecord(
                proposer=source,
                attempt=a.attempt,
                reason=a.reason or "accepted",
                accepted=a.reason is None,
                tokens=a.tokens,
                seconds=a.seconds,
                tokens_per_second=tokens_per_second,
                rule=a.label,
                scope=a.scope,
            )
            record.attempts.append(attempt)
            rate = f" ({a.tokens} tokens)" if a.tokens else ""
            label = f" [{a.label}]" if a.label else ""
            label += f" [{a.scope} hole]" if a.scope not in ("", "function") else ""
            verdict = "accepted" if a.reason is None else f"rejected: {a.reason}"
            self.say(f"{source} attempt {a.attempt}{label}{rate}: {verdict}")
        if not done.ok:
            record.diagnosis = done.failure_message()
            self.say(record.diagnosis)
            return record
        if not any(a.proposer == "model" for a in record.attempts):
            record.runner, record.model = "", ""  # no model was asked: don't claim one
        record.accepted = True
        record.source = done.source if done.source in ("cache", "rules") else "model"
        if record.source == "rules":
            record.rule, record.model = done.model, ""
        else:
            record.model = done.model or record.model
        record.repaired_text = done.text
        record.validation = done.depth
        record.evidence = done.evidence
        record.links = [link.to_json() for link in done.links] if len(done.links) > 1 else []
        record.selection = done.selection
        return record

    # -- live propagation ------------------------------------------------------------------------
    def _parse_ahead(self) -> None:
        with self._heal_lock:
            try:
                for func in self._functions():
                    self._fingerprint(func, "")
            except NeuroJITError:
                pass  # parsed (and reported) again when needed

    def _fingerprint(self, func: FuncOp, kind: str) -> str:
        """`fingerprint(func, kind)`, its canonical text remembered per function version (a
        propagated repair is checked against every incoming entry: printing is the cost)."""
        from neurojit.llm_pass.fingerprint import canonical_text, fingerprint_of

        known = self._canonical.get(id(func))
        if known is None or known[0] is not func:
            known = self._canonical[id(func)] = (func, canonical_text(func))
        return fingerprint_of(known[1], kind)

    def _on_propagated(self, entry: CacheEntry, origin: Origin, published: float) -> None:
        """A repair another process stored (the store's thread calls this). Applied only when
        a function of ours has its fingerprint, and only after the checks of pre-apply: the
        policy, the static checks and the entry's stored calls re-run under the guard."""
        from neurojit.llm_pass.validate import Rejection

        if f"@{entry.function}" not in self._text:
            return  # cheap: no parse for an unrelated program's repair
        with self._heal_lock:
            func = self._function(entry.function)
            if func is None or self._fingerprint(func, entry.kind) != entry.fingerprint:
                return  # not ours, or already repaired here
            start = time.perf_counter()
            try:
                accepted = self._revalidate(entry, func)
                self._install(entry.function, entry.repaired, accepted.func)
            except (Rejection, NeuroJITError) as err:
                # Signed by a key holder and still wrong: never installed, counted.
                if self._cache is not None:
                    self._cache.reject(f"propagated repair failed validation: {err}")
                self.say(
                    f"propagated repair of @{entry.function} from {origin.host} pid "
                    f"{origin.pid} rejected: {err}"
                )
                return
            seconds = time.perf_counter() - start
            latency = max(0.0, time.time() - published)
            self.propagated.append(
                {
                    "function": entry.function,
                    "fault_kind": entry.kind,
                    "fingerprint": entry.fingerprint,
                    "source": "propagated",
                    "proposer": entry.proposer,
                    "model": entry.model,
                    "origin": {"host": origin.host, "pid": origin.pid},
                    "seconds": seconds,  # re-validation + compile + swap here
                    "latency_seconds": latency,  # published there → swapped here
                    "evidence": accepted.evidence,
                }
            )
            self._event_reuse("propagated", entry)
        self.say(
            f"propagated: @{entry.function} replaced by the {entry.kind} repair that "
            f"{origin.host} pid {origin.pid} found ({entry.proposer}); validated and swapped "
            f"in {seconds * 1e3:.1f} ms, {latency * 1e3:.1f} ms after it was published"
        )

    # -- faults as data ---------------------------------------------------------------------------
    def _event(self, event: str, **fields: Any) -> None:
        """Append one event to the store's capped stream (back ends that keep events)."""
        if self._cache is None or not self._cache.keeps_events:
            return
        from neurojit.llm_pass.store import Origin

        here = Origin.here()
        try:
            self._cache.record_event({"event": event, "host": here.host, "pid": here.pid, **fields})
        except Exception as err:  # noqa: BLE001 - statistics must never stop a program
            self.say(f"could not record a {event} event: {err}")

    def _event_reuse(self, how: str, entry: CacheEntry) -> None:
        """A stored repair used instead of paying for it again: the time it first cost."""
        self._event(
            "reuse",
            how=how,
            function=entry.function,
            kind=entry.kind,
            proposer=entry.proposer,
            saved_seconds=round(entry.seconds, 6),
        )

    def close(self) -> None:
        """Stop receiving propagated repairs; close the store if this module opened it."""
        if self._cache is not None and self._listening:
            self._cache.unsubscribe(self._on_propagated)
            self._listening = False
        if self._cache is not None and self._owns_cache:
            self._cache.close()  # a redis store's subscriber thread and connections

    def __enter__(self) -> SelfHealingModule:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- report --------------------------------------------------------------------------------
    def report(self) -> dict[str, Any]:
        """`faults`, `repairs`, `preapplied`, `propagated` and `store` for the JSON report."""
        with self._heal_lock:
            data: dict[str, Any] = {
                "faults": list(self.faults),
                "repairs": [r.to_json() for r in self.repairs],
                "preapplied": list(self.preapplied),
                "queries": self.queries,
                "propagated": list(self.propagated),
            }
        if self._cache is not None:
            data["store"] = self._cache.describe()
        return data


def _accepted_attempt(record: RepairRecord) -> str:
    for a in record.attempts:
        if a.accepted:
            return str(a.attempt)
    return "?"


def _typed_inputs(func: FuncOp, values: Sequence[Any] | None) -> list[Any]:
    """The call's inputs as typed attributes for `#neurojit.fault`, one per argument; empty
    when they don't fit (an array argument, or the inputs of a different function)."""
    from xdsl.dialects.builtin import AnyFloat, FloatAttr, IndexType, IntegerAttr, IntegerType

    arg_types = list(func.function_type.inputs.data)
    if not values or len(values) != len(arg_types):
        return []
    typed: list[Any] = []
    for value, arg_type in zip(values, arg_types, strict=True):
        if isinstance(arg_type, IntegerType | IndexType) and isinstance(value, int | bool):
            typed.append(IntegerAttr(int(value), arg_type))
        elif isinstance(arg_type, AnyFloat) and isinstance(value, int | float):
            typed.append(FloatAttr(float(value), arg_type))
        elif isinstance(arg_type, IntegerType | IndexType) and hasattr(value, "item"):
            typed.append(IntegerAttr(int(value.item()), arg_type))
        elif isinstance(arg_type, AnyFloat) and hasattr(value, "item"):
            typed.append(FloatAttr(float(value.item()), arg_type))
        else:
            return []
    return typed


class _LiveRunner:
    """Wraps the configured ModelRunner to show each query as it finishes (tokens/s), and
    builds it only when the model proposer actually asks, so rules-only runs never load a
    model."""

    def __init__(self, options: Any, say: Progress, timeout: float = 120.0) -> None:
        self.name = options.runner
        self._timeout = timeout
        self._options = options
        self._say = say
        self._inner: Any = None
        self.queries = 0
        self.results: list[Any] = []  # every RunnerResult, in query order

    @property
    def built(self) -> bool:
        return self._inner is not None

    def _runner(self) -> Any:
        if self._inner is None:
            from neurojit.llm_pass.runners.base import build_runner

            o = self._options
            self._inner = build_runner(o.runner, model=o.model, url=o.url, responses=o.responses)
        return self._inner

    @property
    def model(self) -> str:
        return str(getattr(self._runner(), "model", ""))

    @property
    def model_name(self) -> str:
        return Path(self.model).name if self.model else ""

    def load(self) -> None:
        start = time.perf_counter()
        try:
            self._runner().load()
        except NeuroJITError:
            raise
        except Exception as err:  # noqa: BLE001 - e.g. a GGUF llama.cpp cannot read
            raise NeuroJITError(f"{self.name} runner failed to load: {err}") from None
        runner = self._runner()
        where = f", worker pid {runner.pid}" if getattr(runner, "pid", None) else ""
        cpu = f", CPU backend {runner.cpu_variant}" if getattr(runner, "cpu_variant", "") else ""
        self._say(
            f"model {self.model_name} ready in {time.perf_counter() - start:.2f} s{where}{cpu}"
        )

    def query(self, prompt: str, grammar: str | None = None, **kwargs: Any) -> Any:
        runner = self._runner()
        disabled = getattr(runner, "disabled", "")
        if disabled:
            raise NeuroJITError(disabled)  # said once, when it happened
        # A worker that died is restarted by the next query: show its load like the first.
        alive = getattr(runner, "alive", None)
        attempt = self.queries + 1
        # A query gets a wall-clock budget: a model that rambles (or a backend that stalls)
        # must not keep the program from its rules fallback.
        cancel = kwargs.pop("cancel", None) or threading.Event()
        timer = threading.Timer(self._timeout, cancel.set)
        timer.daemon = True
        try:
            if self.name != "mock" and (attempt == 1 if alive is None else not alive):
                self.load()
            self.queries = attempt  # counted once it reaches a loaded model
            self._say(f"model attempt {attempt}: querying {self.name} ({self.model_name})")
            timer.start()
            result = runner.query(prompt, grammar, cancel=cancel, **kwargs)
        except NeuroJITError as err:
            self._say(f"model attempt {attempt}: {err.message}")
            if getattr(runner, "disabled", ""):
                self._say(runner.disabled)
            raise
        except Exception as err:  # noqa: BLE001 - a backend failure must not end the flight
            raise NeuroJITError(f"{self.name} runner failed: {type(err).__name__}: {err}") from None
        finally:
            timer.cancel()
        if cancel.is_set():
            self._say(f"model attempt {self.queries}: cancelled after {self._timeout:.0f} s")
        self.results.append(result)
        self._say(
            f"model attempt {self.queries}: {result.tokens} tokens in {result.seconds:.2f} s "
            f"({result.tokens_per_second:.1f} tok/s)"
        )
        return result
