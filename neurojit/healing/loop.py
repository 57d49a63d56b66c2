"""The self-healing loop: the one place where the native runtime and the repair pass meet.

A `SelfHealingModule` wraps a `CompiledModule`. Every call from Python goes through it:

1. at load, functions with a validated StrategyCache entry are swapped in before the first
   call (a program that faulted once does not fault again: zero faults, zero queries;
   `stored_repairs.py`);
2. a successful call is remembered, inputs and outputs, in a bounded ring per function: the
   validator's "same results on recorded inputs" check;
3. a call that faults (`JITFault`) has its `FaultReport` turned into `#neurojit.fault` on the
   function, `llm-repair` runs on it (cache first, then the proposers, each with the pass's
   attempt limit), the accepted version is compiled and hot-swapped into its slot, and the
   faulted call is re-run with the same inputs (arrays restored to their pre-call contents);
4. when no candidate validates, `Unrepaired` carries a one-line diagnosis (exit code 3 in the
   CLIs; `report.py`).

The runtime never imports this module, and the repair pass does not know it exists: data flows
one way, FaultReport → attribute → pass → function text → swap.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from neurojit.errors import NeuroJITError
from neurojit.healing.events import EventLog
from neurojit.healing.options import HealingOptions
from neurojit.healing.report import (
    Progress,
    RepairRecord,
    Unrepaired,
    fault_to_json,
    plain,
    record_of,
    say_accepted,
)
from neurojit.llm_pass.behaviour import EntryCall, array_outputs

if TYPE_CHECKING:
    from xdsl.dialects.builtin import ModuleOp
    from xdsl.dialects.func import FuncOp

    from neurojit.fault_report import FaultReport
    from neurojit.healing.live_runner import LiveRunner
    from neurojit.healing.stored_repairs import StoredRepairs
    from neurojit.llm_pass.cache import CacheEntry
    from neurojit.llm_pass.store import EntryStore
    from neurojit.runtime.module import CompiledModule


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

        # Candidates run on the program's own runtime (the loop is the one place with both).
        self.candidates = NativeCandidates()
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
        self._runner: LiveRunner | None = None
        self._pending: list[tuple[RepairRecord, float]] = []
        self._cache: EntryStore | None = None
        # Repairs arrive from the store's thread while calls run: healing, pre-apply and
        # propagation each hold this lock while they touch the IR and swap (a swap itself is
        # one atomic slot store, so calls in flight finish on the version they started on).
        self._heal_lock = threading.RLock()
        self.propagated: list[dict[str, Any]] = []
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
        self.events = EventLog(self._cache, self.say)
        self._stored: StoredRepairs | None = None
        if self._cache is not None:
            from neurojit.healing.stored_repairs import StoredRepairs

            self._stored = StoredRepairs(self, self._cache)
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
        if self._stored is not None and self._stored.store.live:
            # Subscribe before pre-apply: a repair published in between is not lost (one that
            # pre-apply already installed no longer matches the function's fingerprint).
            self._listening = self._stored.store.subscribe(self._stored.on_propagated)
            if self._listening:
                # Parse our IR now, off the critical path: a repair that arrives later is then
                # validated and swapped without first paying for the module's parse.
                threading.Thread(target=self._stored.parse_ahead, daemon=True).start()
        if self._stored is not None and self.options.preapply:
            with self._heal_lock:
                self._stored.preapply()

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
        self.events.record("fault", function=report.function, kind=report.kind)
        where = f" at {report.location}" if report.location else ""
        shown = ", ".join(repr(plain(v)) for v in (report.inputs or inputs))
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
            self.events.record("unrepaired", function=report.function, kind=report.kind)
            raise Unrepaired(report, record)
        say_accepted(self.say, record)
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
                self.events.reuse("cache", used[0])
        self.events.record(
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
            say_accepted(self.say, record)
        return print_module(module)

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
        from neurojit.llm_pass.llm_repair import repair_module

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
        repair_options = opts.repair_options(self.timeout)
        # One runner for the module's lifetime: a model loads once, a mock's file is read once.
        if self._runner is None:
            from neurojit.healing.live_runner import LiveRunner

            self._runner = LiveRunner(opts, self.say, opts.query_timeout)
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
                runtime=self.candidates,
            )
        finally:
            # Whatever happened, the attribute described this fault only.
            func.attributes.pop(FAULT_ATTR_NAME, None)
            self.queries += runner.queries - queries_before
        done = next((r for r in outcome.repairs if r.function == name), None)
        return record_of(
            name,
            report.kind,
            done,
            runner=opts.runner,
            model=runner.model_name if runner.built else (opts.model or ""),
            results=runner.results[results_before:],
            say=self.say,
        )

    def close(self) -> None:
        """Stop receiving propagated repairs; close the store if this module opened it."""
        if self._stored is not None and self._listening:
            self._stored.store.unsubscribe(self._stored.on_propagated)
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
