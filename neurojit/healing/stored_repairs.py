"""Repairs from the strategy store, installed without a fault of ours: pre-applied at load,
and propagated live from other processes (a `live` store such as redis). The store is
untrusted even with a valid tag, so each entry is re-validated like a new candidate (policy,
static checks, its stored calls re-run under the guard) before it is swapped in."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from neurojit.errors import NeuroJITError

if TYPE_CHECKING:
    from xdsl.dialects.func import FuncOp

    from neurojit.healing.loop import SelfHealingModule
    from neurojit.llm_pass.cache import CacheEntry
    from neurojit.llm_pass.store import EntryStore, Origin

# Cache entries applied one after another to one function at load (a repair of a repair).
MAX_CHAINED_REPAIRS = 4


class StoredRepairs:
    """Installs `store`'s entries into `host`, which holds the IR, the lock and the reports.
    Pre-apply runs under the host's lock; propagation takes it (the store's thread)."""

    def __init__(self, host: SelfHealingModule, store: EntryStore) -> None:
        self.host = host
        self.store = store
        self._canonical: dict[int, tuple[Any, str]] = {}  # id(func) → (func, canonical text)

    def preapply(self) -> None:
        """Swap in every function the cache holds a repair for, before the first call.

        An entry applies when its fingerprint (function text + fault kind) matches a function
        of this module; it is re-validated first, since the cache file is untrusted input.
        """
        by_name: dict[str, list[Any]] = {}
        for entry in self.store.entries():
            # A cheap textual pre-filter, so an unrelated cache costs no parse.
            if f"@{entry.function}" in self.host._text:
                by_name.setdefault(entry.function, []).append(entry)
        if not by_name:
            return
        # A function repaired twice (a second fault after the first repair) has a chain of
        # entries, each for the text the one before produced: apply them in turn.
        for _ in range(MAX_CHAINED_REPAIRS):
            applied = [self._preapply_entry(func, by_name) for func in self.host._functions()]
            if not any(applied):
                break

    def revalidate(self, entry: CacheEntry, func: FuncOp) -> Any:
        """A stored repair checked like a new one: policy and static checks, then the calls the
        entry was validated on, re-run natively under the guard. The store is untrusted even
        with a valid tag; pre-apply and live propagation both come through here."""
        from neurojit.llm_pass.cache_integrity import entry_calls
        from neurojit.llm_pass.validate import validate_candidate

        return validate_candidate(
            entry.repaired,
            func,
            self.host.module,
            recorded=entry_calls(entry),
            timeout=min(self.host.timeout, 2.0),
            runtime=self.host.candidates,
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
                accepted = self.revalidate(entry, func)
            except Rejection as rejection:
                self.host.say(f"cache entry for @{name} rejected: {rejection}")
                self.store.reject(f"stored repair failed validation: {rejection}")
                continue
            self.host._install(name, entry.repaired, accepted.func)
            seconds = time.perf_counter() - start
            self.host._note_preapplied(
                name, entry.kind, entry.fingerprint, entry.proposer, entry.model, seconds
            )
            self.host.events.reuse("preapplied", entry)
            self.host.say(
                f"cache hit at load: @{name} replaced by its validated {entry.kind} repair "
                f"(first found by {entry.proposer}) in {seconds * 1e3:.1f} ms"
            )
            return True
        return False

    def parse_ahead(self) -> None:
        """Print every function's canonical text now, off the critical path: a repair that
        arrives later is then validated and swapped without first paying for it."""
        with self.host._heal_lock:
            try:
                for func in self.host._functions():
                    self.fingerprint(func, "")
            except NeuroJITError:
                pass  # parsed (and reported) again when needed

    def fingerprint(self, func: FuncOp, kind: str) -> str:
        """`fingerprint(func, kind)`, its canonical text remembered per function version (a
        propagated repair is checked against every incoming entry: printing is the cost)."""
        from neurojit.llm_pass.fingerprint import canonical_text, fingerprint_of

        known = self._canonical.get(id(func))
        if known is None or known[0] is not func:
            known = self._canonical[id(func)] = (func, canonical_text(func))
        return fingerprint_of(known[1], kind)

    def on_propagated(self, entry: CacheEntry, origin: Origin, published: float) -> None:
        """A repair another process stored (the store's thread calls this). Applied only when
        a function of ours has its fingerprint, and only after the checks of pre-apply: the
        policy, the static checks and the entry's stored calls re-run under the guard."""
        from neurojit.llm_pass.validate import Rejection

        if f"@{entry.function}" not in self.host._text:
            return  # cheap: no parse for an unrelated program's repair
        with self.host._heal_lock:
            func = self.host._function(entry.function)
            if func is None or self.fingerprint(func, entry.kind) != entry.fingerprint:
                return  # not ours, or already repaired here
            start = time.perf_counter()
            try:
                accepted = self.revalidate(entry, func)
                self.host._install(entry.function, entry.repaired, accepted.func)
            except (Rejection, NeuroJITError) as err:
                # Signed by a key holder and still wrong: never installed, counted.
                self.store.reject(f"propagated repair failed validation: {err}")
                self.host.say(
                    f"propagated repair of @{entry.function} from {origin.host} pid "
                    f"{origin.pid} rejected: {err}"
                )
                return
            seconds = time.perf_counter() - start
            latency = max(0.0, time.time() - published)
            self.host.propagated.append(
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
            self.host.events.reuse("propagated", entry)
        self.host.say(
            f"propagated: @{entry.function} replaced by the {entry.kind} repair that "
            f"{origin.host} pid {origin.pid} found ({entry.proposer}); validated and swapped "
            f"in {seconds * 1e3:.1f} ms, {latency * 1e3:.1f} ms after it was published"
        )
