"""Strategy stores: where accepted repairs are kept, named by a URL.

- `file:PATH` (or a bare path): today's JSON file, `cache.StrategyCache`, the default
  (`$NEUROJIT_HOME/cache.json`, else `~/.neurojit/cache.json`), same format as ever;
- `sqlite:///PATH`: one SQLite database in WAL mode, for many processes on one machine
  (`store_sqlite.py`);
- `redis://HOST:PORT/DB`: a fleet, with live propagation of new repairs over pub/sub and a
  capped stream of fault and repair events (`store_redis.py`; the `redis` package is imported
  only here).

Every store has the same interface (`EntryStore`): `entries`, `lookup`, `examples`, `store`,
`remove`, `prune`, plus `record_event`/`events` (faults as data) and `subscribe` (live
propagation) where the back end has them. The URL comes from `--cache`, the pass's `cache=`,
`SelfHealingModule(cache=...)`, else `$NEUROJIT_CACHE`, else the default file.

Shared stores (sqlite:, redis:) sign each record with the fleet key (cache_integrity.fleet_key;
sqlite falls back to the per-user secret, being one machine's). Without a key a shared store is
read-only to the process, and nothing it reads verifies. Records that fail (unsigned, tampered,
malformed) are rejected and counted in `rejected`; the healing loop reports the counts. A
record that verifies is still only a candidate: pre-apply and propagation re-run its stored
calls and the capability policy before anything is installed.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from neurojit.errors import NeuroJITError, UsageError

if TYPE_CHECKING:
    from neurojit.llm_pass.cache import CacheEntry

CACHE_ENV = "NEUROJIT_CACHE"
SCHEMES = ("file", "sqlite", "redis")
# A record larger than this is not ours (an entry is two function texts and 8 small calls).
MAX_RECORD_BYTES = 1024 * 1024
MAX_EVENTS = 10_000  # the fault/repair event stream is capped at about this many events
MAX_EVENT_BYTES = 4096


@dataclass(frozen=True)
class Origin:
    """Which process stored a record: the report's `origin` of a propagated repair."""

    host: str
    pid: int

    @classmethod
    def here(cls) -> Origin:
        return cls(socket.gethostname(), os.getpid())


# A callback of `subscribe`: an entry that verified, who stored it, and when it was published.
Listener = Callable[["CacheEntry", Origin, float], None]


def entry_id(entry: CacheEntry) -> str:
    """A record's key: one per (fingerprint, repaired text), as the file replaces them."""
    digest = hashlib.sha256(f"{entry.fingerprint}\0{entry.repaired}".encode()).hexdigest()
    return digest[:32]


def signed_record(entry: CacheEntry, key: bytes, origin: Origin | None = None) -> str:
    """The JSON text of a shared store's record: the entry, its origin, an HMAC over both."""
    from neurojit.llm_pass.cache_integrity import tag

    origin = origin or Origin.here()
    data = asdict(entry)
    data["origin"] = {"host": origin.host, "pid": origin.pid}
    data["tag"] = tag(key, data)
    return json.dumps(data, separators=(",", ":"))


def read_record(raw: Any, key: bytes | None) -> tuple[CacheEntry, Origin] | str:
    """A record from a shared store, verified; else why it is rejected (one line)."""
    from neurojit.llm_pass.cache import CacheEntry
    from neurojit.llm_pass.cache_integrity import verify

    if isinstance(raw, bytes):
        if len(raw) > MAX_RECORD_BYTES:
            return "record too large"
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError:
            return "record is not UTF-8"
    if not isinstance(raw, str) or len(raw) > MAX_RECORD_BYTES:
        return "record too large"
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        return "record is not JSON"
    if not isinstance(data, dict):
        return "record is not an object"
    if not isinstance(data.get("tag"), str):
        return "unsigned record"
    if key is None:
        return "cannot verify: this process has no fleet key"
    if not verify(key, data):
        return "record fails its signature (tampered, or signed with another key)"
    entry = CacheEntry.from_json(data)
    if entry is None:
        return "malformed entry"
    origin = data.get("origin")
    if not (
        isinstance(origin, dict)
        and isinstance(origin.get("host"), str)
        and isinstance(origin.get("pid"), int)
    ):
        return "record names no origin"
    return entry, Origin(origin["host"][:255], origin["pid"])


def bounded_event(event: dict[str, Any]) -> str | None:
    """An event as JSON, or None when it is too large to append."""
    text = json.dumps(event, separators=(",", ":"), default=str)
    return text if len(text) <= MAX_EVENT_BYTES else None


def parse_event(raw: Any) -> dict[str, Any] | None:
    """An event read back from a store (untrusted: bounded, must be a flat object)."""
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8", "replace")
    if not isinstance(raw, str) or len(raw) > MAX_EVENT_BYTES:
        return None
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


_WARNED: set[str] = set()


def warn_once(message: str) -> None:
    if message not in _WARNED:
        _WARNED.add(message)
        print(f"warning: {message}", file=sys.stderr, flush=True)


class EntryStore:
    """What every strategy store offers. Subclasses provide `entries`, `store`, `remove`."""

    url: str = ""
    read_only: bool = False
    live: bool = False  # True where `subscribe` delivers other processes' repairs
    # True where other processes (or machines) read the same entries: one process's failed
    # validation is its own view (its recorded calls), so it never deletes a shared entry.
    shared: bool = False

    def __init__(self) -> None:
        # Why records were rejected, with counts (unsigned, tampered, malformed, ...).
        self.rejected: Counter[str] = Counter()
        self._rejected_lock = threading.Lock()

    def reject(self, why: str, count: int = 1) -> None:
        with self._rejected_lock:
            self.rejected[why] += count

    def entries(self) -> list[CacheEntry]:
        raise NotImplementedError

    def store(self, entry: CacheEntry) -> None:
        raise NotImplementedError

    def remove(self, fingerprint: str, repaired: str | None = None) -> int:
        raise NotImplementedError

    def lookup(self, fingerprint: str) -> list[CacheEntry]:
        """Entries for a fingerprint, newest first (the caller validates each before use)."""
        found = [e for e in self.entries() if e.fingerprint == fingerprint]
        return sorted(found, key=lambda e: e.timestamp, reverse=True)

    def examples(self, kind: str, limit: int = 2, exclude: str | None = None) -> list[CacheEntry]:
        """Past accepted repairs of a fault kind, newest first (few-shot prompt material)."""
        found = [e for e in self.entries() if e.kind == kind and e.fingerprint != exclude]
        found.sort(key=lambda e: (-e.timestamp, e.fingerprint))
        return found[:limit]

    def prune(self, *, keep: int | None = None, older_than: float | None = None) -> int:
        """Drop entries older than `older_than` seconds, then all but the newest `keep`."""
        entries = sorted(self.entries(), key=lambda e: e.timestamp)
        now = time.time()
        doomed = [e for e in entries if older_than is not None and now - e.timestamp > older_than]
        rest = [e for e in entries if e not in doomed]
        if keep is not None and len(rest) > keep:
            doomed += rest[: len(rest) - keep]
        return sum(self.remove(e.fingerprint, e.repaired) for e in doomed)

    # -- faults as data, live propagation: back ends that can, override ----------------------
    def record_event(self, event: dict[str, Any]) -> None:
        """Append a fault/repair event (bounded); a no-op where the back end keeps none."""

    def events(self) -> list[dict[str, Any]]:
        return []

    @property
    def keeps_events(self) -> bool:
        return False

    def subscribe(self, listener: Listener) -> bool:
        """Call `listener` (from a background thread) for each repair another process
        stores; False when this back end cannot."""
        return False

    def unsubscribe(self, listener: Listener) -> None:
        pass

    def close(self) -> None:
        pass

    def describe(self) -> dict[str, Any]:
        """The report's `store` object."""
        return {
            "url": self.url,
            "read_only": self.read_only,
            "live": self.live,
            "rejected": sum(self.rejected.values()),
            "rejections": dict(self.rejected),
        }


def parse_url(url: str) -> tuple[str, str]:
    """(scheme, rest) of a store URL; a bare path is a file."""
    text = url.strip()
    if not text:
        raise UsageError("empty strategy store URL")
    scheme, sep, rest = text.partition(":")
    if sep and scheme.lower() in SCHEMES:
        return scheme.lower(), rest
    if sep and len(scheme) > 1 and "/" not in scheme and rest.startswith("//"):
        raise UsageError(
            f"unknown strategy store '{scheme}:' in '{url}' (expected file:, sqlite: or redis:)"
        )
    return "file", text


def sqlite_path(rest: str) -> str:
    """`sqlite:///abs/path` → /abs/path; `sqlite:rel/path` → rel/path (SQLAlchemy-style)."""
    if rest.startswith("///"):
        return rest[2:]
    if rest.startswith("//"):
        raise UsageError("sqlite: URLs name a file: sqlite:///absolute/path or sqlite:relative")
    return os.path.expanduser(rest)


def default_url() -> str | None:
    """`$NEUROJIT_CACHE`, else None (the default file)."""
    return os.environ.get(CACHE_ENV) or None


def open_store(url: str | None) -> EntryStore | None:
    """The store a URL names: None/"" → `$NEUROJIT_CACHE` or the default file; "none" → None.

    A store that cannot be reached is not an error here: redis starts in local memory and
    catches up when the server answers (one warning)."""
    from pathlib import Path

    from neurojit.llm_pass.cache import StrategyCache

    if url is not None and url.strip().lower() == "none":
        return None
    url = url or default_url()
    if url is None:
        return StrategyCache(None)
    if url.strip().lower() == "none":
        return None
    scheme, rest = parse_url(url)
    if scheme == "file":
        rest = rest[2:] if rest.startswith("//") else rest  # file:///abs and file:rel alike
        return StrategyCache(Path(os.path.expanduser(rest)) if rest else None)
    if scheme == "sqlite":
        from neurojit.llm_pass.store_sqlite import SQLiteStore

        return SQLiteStore(sqlite_path(rest))
    from neurojit.llm_pass.store_redis import RedisStore

    return RedisStore(url)


def copy_entries(source: Iterable[CacheEntry], target: EntryStore) -> int:
    """Store each entry in `target` (import/export between back ends); returns how many."""
    if target.read_only:
        raise NeuroJITError(f"strategy store {target.url} is read-only here (no fleet key)")
    count = 0
    for entry in source:
        target.store(entry)
        count += 1
    return count
