"""StrategyCache: the repairs that worked, kept on disk so a fault never costs a query twice.

One JSON file (`$NEUROJIT_HOME/cache.json`, else `~/.neurojit/cache.json`) shared by every
process on the machine. Writes take a file lock, re-read the file, merge, and replace it
atomically (temporary file, fsync, rename), so concurrent writers lose nothing and a reader
never sees half a file. The file is untrusted input: a corrupt one (or one whose entries fail
their HMAC, see cache_integrity.py) is moved aside and a new one started; one that is not a
regular file is ignored with one warning; and the pass re-validates every entry before use.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from filelock import FileLock

from neurojit.errors import NeuroJITError
from neurojit.llm_pass.cache_integrity import IntegrityError, load_secret, tag, verify
from neurojit.llm_pass.store import EntryStore

FORMAT_VERSION = 1
# Oldest entries go beyond this many: the file is read on every lookup, so it stays small.
MAX_ENTRIES = 2000


@dataclass
class CacheEntry:
    """One accepted repair."""

    fingerprint: str
    kind: str
    function: str  # the function's name
    original: str  # the faulty function's text
    repaired: str  # the accepted function's text
    proposer: str  # "model" or "rules"
    model: str = ""
    attempts: int = 1
    seconds: float = 0.0
    timestamp: float = field(default_factory=time.time)
    # The calls it was validated on, cache_integrity.encode_calls form: pre-apply re-runs them.
    calls: list[Any] = field(default_factory=list)

    @classmethod
    def from_json(cls, data: Any) -> CacheEntry | None:
        """An entry from parsed JSON, or None when it is malformed."""
        if not isinstance(data, dict):
            return None
        types = {
            "fingerprint": str,
            "kind": str,
            "function": str,
            "original": str,
            "repaired": str,
            "proposer": str,
            "model": str,
            "attempts": int,
            "seconds": (int, float),
            "timestamp": (int, float),
            "calls": list,
        }
        names = {f.name for f in fields(cls)}
        values: dict[str, Any] = {}
        for name in names:
            if name not in data:
                if name in ("model", "attempts", "seconds", "timestamp", "calls"):
                    continue
                return None
            if not isinstance(data[name], types[name]) or isinstance(data[name], bool):
                return None
            values[name] = data[name]
        return cls(**values)


def default_cache_path() -> Path:
    home = os.environ.get("NEUROJIT_HOME")
    base = Path(home) if home else Path.home() / ".neurojit"
    return base / "cache.json"


_WARNED: set[str] = set()
MAX_CACHE_BYTES = 64 * 1024 * 1024


def _warn(message: str) -> None:
    # Once per message and process: the file is read at every lookup.
    if message not in _WARNED:
        _WARNED.add(message)
        print(f"warning: {message}", file=sys.stderr)


class StrategyCache(EntryStore):
    """The on-disk repair cache (the `file:` store). `path=None` means the default location."""

    def __init__(self, path: str | Path | None = None) -> None:
        super().__init__()
        self.path = Path(path) if path is not None else default_cache_path()
        self._lock = FileLock(str(self.path) + ".lock", timeout=30)
        self._unusable: str | None = None  # why the file cannot be used, once seen

    @property
    def url(self) -> str:  # type: ignore[override]
        return f"file:{self.path}"

    # -- reading ---------------------------------------------------------------------------
    def _read_unlocked(self) -> list[CacheEntry]:
        """All well-formed entries. A file that is not our JSON is moved aside (we hold the lock
        or are only reading; moving aside happens only under the lock)."""
        from neurojit.limits import read_source

        if not self.path.exists():
            return []
        try:
            raw = read_source(self.path, MAX_CACHE_BYTES).decode("utf-8")
        except (NeuroJITError, UnicodeDecodeError) as err:
            # Not a regular file (a directory, a FIFO), too large, or not UTF-8.
            why = err.message if isinstance(err, NeuroJITError) else "it is not UTF-8"
            _warn(f"cannot use strategy cache {self.path}: {why}; running without it")
            self._unusable = why  # and never written over: one warning, no second surprise
            return []
        try:
            data = json.loads(raw)
            if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
                raise ValueError("not a NeuroJIT strategy cache")
        except RecursionError:
            self._move_aside("nested too deeply")
            return []
        except ValueError as err:
            self._move_aside(str(err).splitlines()[0] if str(err) else "unreadable")
            return []
        try:
            key = load_secret()
        except IntegrityError as err:
            _warn(f"{err}; running without the strategy cache")
            return []
        for index, item in enumerate(data["entries"]):
            if not verify(key, item):
                # One entry edited by hand or written with another user's secret: the file
                # as a whole cannot be trusted.
                self._move_aside(f"entry {index + 1} fails its integrity check")
                return []
        entries = [CacheEntry.from_json(item) for item in data["entries"]]
        return [entry for entry in entries if entry is not None]

    def _move_aside(self, why: str) -> None:
        aside = self.path.with_name(f"{self.path.name}.corrupt-{int(time.time() * 1000)}")
        try:
            os.replace(self.path, aside)
        except OSError:
            return  # someone else already moved it
        self.reject(f"file moved aside: {why}")
        _warn(f"strategy cache {self.path} is corrupt ({why}); moved to {aside.name}")

    def entries(self) -> list[CacheEntry]:
        """Every entry, oldest first."""
        if not self.path.exists():
            return []
        try:
            with self._lock:
                return self._read_unlocked()
        except OSError as err:  # the lock cannot be taken (read-only dir, ...)
            _warn(f"cannot lock strategy cache {self.path}: {err.strerror}; running without it")
            return []

    def lookup(self, fingerprint: str) -> list[CacheEntry]:
        """Entries for a fingerprint, newest first (the caller validates each before use)."""
        found = [e for e in self.entries() if e.fingerprint == fingerprint]
        return sorted(found, key=lambda e: e.timestamp, reverse=True)

    def examples(self, kind: str, limit: int = 2, exclude: str | None = None) -> list[CacheEntry]:
        """Past accepted repairs of a fault kind, newest first: few-shot material for prompts.
        Sorted by fingerprint within equal timestamps so the prompt prefix is stable."""
        found = [e for e in self.entries() if e.kind == kind and e.fingerprint != exclude]
        found.sort(key=lambda e: (-e.timestamp, e.fingerprint))
        return found[:limit]

    # -- writing ---------------------------------------------------------------------------
    def store(self, entry: CacheEntry) -> None:
        """Add an entry (replacing one with the same fingerprint and repaired text). A cache
        that cannot be written (a directory in its place, no secret) is a warning."""
        try:
            self._store(entry)
        except (OSError, IntegrityError) as err:
            why = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
            _warn(f"cannot write strategy cache {self.path}: {why}")

    def _store(self, entry: CacheEntry) -> None:
        if self._unusable is not None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock:
            current = self._read_unlocked()
            if self._unusable is not None:
                return
            entries = [
                e
                for e in current
                if not (e.fingerprint == entry.fingerprint and e.repaired == entry.repaired)
            ]
            entries.append(entry)
            if len(entries) > MAX_ENTRIES:
                entries = sorted(entries, key=lambda e: e.timestamp)[-MAX_ENTRIES:]
            self._write_unlocked(entries)

    def remove(self, fingerprint: str, repaired: str | None = None) -> int:
        """Drop entries that failed re-validation; returns how many went."""
        if not self.path.exists():
            return 0
        try:
            return self._remove(fingerprint, repaired)
        except (OSError, IntegrityError) as err:
            _warn(f"cannot write strategy cache {self.path}: {err}")
            return 0

    def _remove(self, fingerprint: str, repaired: str | None) -> int:
        with self._lock:
            entries = self._read_unlocked()
            if self._unusable is not None:
                return 0
            kept = [
                e
                for e in entries
                if not (e.fingerprint == fingerprint and repaired in (None, e.repaired))
            ]
            if len(kept) != len(entries):
                self._write_unlocked(kept)
            return len(entries) - len(kept)

    def _write_unlocked(self, entries: list[CacheEntry]) -> None:
        key = load_secret()
        tagged = []
        for entry in entries:
            data = asdict(entry)
            data["tag"] = tag(key, data)
            tagged.append(data)
        payload = {"version": FORMAT_VERSION, "entries": tagged}
        fd, tmp = tempfile.mkstemp(prefix=self.path.name + ".", suffix=".tmp", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w") as out:
                json.dump(payload, out, indent=1)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        # The rename is durable only once the directory entry is.
        try:
            dir_fd = os.open(self.path.parent, os.O_RDONLY)
        except OSError:
            return
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def open_cache(option: str | None) -> EntryStore | None:
    """The store a `cache=` option names (store.open_store): None/"" → `$NEUROJIT_CACHE`, else
    the default file; a path or `file:`/`sqlite:`/`redis:` URL; "none" → disabled."""
    from neurojit.llm_pass.store import open_store

    return open_store(option)
