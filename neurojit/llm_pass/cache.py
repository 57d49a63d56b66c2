"""StrategyCache: the repairs that worked, kept on disk so a fault never costs a query twice.

One JSON file (`$NEUROJIT_HOME/cache.json`, else `~/.neurojit/cache.json`) shared by every
process on the machine. Writes take a file lock, re-read the file, merge, and replace it
atomically (temporary file, fsync, rename), so concurrent writers lose nothing and a reader
never sees half a file. The file is untrusted input: a corrupt one is moved aside and a new
one started, and the pass re-validates every entry before using it.
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
        }
        names = {f.name for f in fields(cls)}
        values: dict[str, Any] = {}
        for name in names:
            if name not in data:
                if name in ("model", "attempts", "seconds", "timestamp"):
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


def _warn(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr)


class StrategyCache:
    """The on-disk repair cache. `path=None` means the default location."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else default_cache_path()
        self._lock = FileLock(str(self.path) + ".lock", timeout=30)

    # -- reading ---------------------------------------------------------------------------
    def _read_unlocked(self) -> list[CacheEntry]:
        """All well-formed entries. A file that is not our JSON is moved aside (we hold the lock
        or are only reading; moving aside happens only under the lock)."""
        try:
            raw = self.path.read_text()
        except FileNotFoundError:
            return []
        except OSError as err:
            _warn(f"cannot read strategy cache {self.path}: {err.strerror}; ignoring it")
            return []
        try:
            data = json.loads(raw)
            if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
                raise ValueError("not a NeuroJIT strategy cache")
        except ValueError as err:
            self._move_aside(str(err).splitlines()[0] if str(err) else "unreadable")
            return []
        entries = [CacheEntry.from_json(item) for item in data["entries"]]
        return [entry for entry in entries if entry is not None]

    def _move_aside(self, why: str) -> None:
        aside = self.path.with_name(f"{self.path.name}.corrupt-{int(time.time() * 1000)}")
        try:
            os.replace(self.path, aside)
        except OSError:
            return  # someone else already moved it
        _warn(f"strategy cache {self.path} is corrupt ({why}); moved to {aside.name}")

    def entries(self) -> list[CacheEntry]:
        """Every entry, oldest first."""
        if not self.path.exists():
            return []
        with self._lock:
            return self._read_unlocked()

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
        """Add an entry (replacing one with the same fingerprint and repaired text)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock:
            entries = [
                e
                for e in self._read_unlocked()
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
        with self._lock:
            entries = self._read_unlocked()
            kept = [
                e
                for e in entries
                if not (e.fingerprint == fingerprint and repaired in (None, e.repaired))
            ]
            if len(kept) != len(entries):
                self._write_unlocked(kept)
            return len(entries) - len(kept)

    def _write_unlocked(self, entries: list[CacheEntry]) -> None:
        payload = {"version": FORMAT_VERSION, "entries": [asdict(e) for e in entries]}
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


def open_cache(option: str | None) -> StrategyCache | None:
    """The cache a `cache=` pass option names: None/"" → default, "none" → disabled."""
    if option is not None and option.strip().lower() == "none":
        return None
    return StrategyCache(option or None)
