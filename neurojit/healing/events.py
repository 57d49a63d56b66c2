"""Faults as data: the events the loop appends to the strategy store's capped stream
(`fault`, `repair`, `unrepaired`, `reuse`), which `neurojit cache stats` reads."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from neurojit.healing.report import Progress
    from neurojit.llm_pass.cache import CacheEntry
    from neurojit.llm_pass.store import EntryStore


class EventLog:
    """Events of this process (each with its `host` and `pid`), into `store` when it keeps
    events; nothing otherwise. A store that fails to take one costs a progress line, never
    the program."""

    def __init__(self, store: EntryStore | None, say: Progress) -> None:
        self._store = store
        self._say = say

    def record(self, event: str, **fields: Any) -> None:
        """Append one event to the store's capped stream (back ends that keep events)."""
        if self._store is None or not self._store.keeps_events:
            return
        from neurojit.llm_pass.store import Origin

        here = Origin.here()
        try:
            self._store.record_event({"event": event, "host": here.host, "pid": here.pid, **fields})
        except Exception as err:  # noqa: BLE001 - statistics must never stop a program
            self._say(f"could not record a {event} event: {err}")

    def reuse(self, how: str, entry: CacheEntry) -> None:
        """A stored repair used instead of paying for it again: the time it first cost."""
        self.record(
            "reuse",
            how=how,
            function=entry.function,
            kind=entry.kind,
            proposer=entry.proposer,
            saved_seconds=round(entry.seconds, 6),
        )
