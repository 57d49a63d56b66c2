"""`sqlite:///path/cache.db`: the strategy store for many processes on one machine.

SQLite (the standard library's `sqlite3`) in WAL mode: readers never block the writer, each
write is one short transaction, and `busy_timeout` makes concurrent writers queue instead of
failing, so 8 processes storing at once lose nothing (tests/unit/llm_pass/test_store_sqlite.py).
Records are signed like a shared store's (store.signed_record), with the fleet key when the
process has one, else the per-user secret (one machine, one user: the file store's trust).
Events (faults as data) go to a table capped at store.MAX_EVENTS rows.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from neurojit.llm_pass.store import (
    MAX_EVENTS,
    EntryStore,
    bounded_event,
    entry_id,
    parse_event,
    read_record,
    signed_record,
    warn_once,
)

if TYPE_CHECKING:
    from neurojit.llm_pass.cache import CacheEntry

MAX_ENTRIES = 20_000  # the oldest go past this: a database is not re-read whole on a lookup
BUSY_MS = 30_000

SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
    id TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    kind TEXT NOT NULL,
    timestamp REAL NOT NULL,
    record TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS entries_fingerprint ON entries (fingerprint);
CREATE INDEX IF NOT EXISTS entries_kind ON entries (kind, timestamp);
CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    event TEXT NOT NULL
);
"""


def _key() -> tuple[bytes | None, str]:
    """(key, which): the fleet key, else the per-user secret; (None, why) if neither works."""
    from neurojit.llm_pass.cache_integrity import IntegrityError, fleet_key, load_secret

    try:
        key = fleet_key()
        if key is not None:
            return key, "fleet key"
        return load_secret(), "per-user secret"
    except IntegrityError as err:
        return None, str(err)


class SQLiteStore(EntryStore):
    """A strategy store in one SQLite database (WAL)."""

    shared = True

    def __init__(self, path: str | Path) -> None:
        super().__init__()
        self.path = Path(path)
        # sqlite:///abs/path names /abs/path: "sqlite://" + the absolute path.
        self.url = f"sqlite://{self.path}" if self.path.is_absolute() else f"sqlite:{self.path}"
        self._key, self._key_source = _key()
        self.read_only = self._key is None
        if self.read_only:
            warn_once(f"strategy store {self.url} is read-only: {self._key_source}")
        self._local = threading.local()  # sqlite3 connections are per thread
        self._broken: str | None = None

    # -- connection ----------------------------------------------------------------------------
    def _db(self) -> sqlite3.Connection | None:
        if self._broken is not None:
            return None
        db = getattr(self._local, "db", None)
        if db is not None:
            return db
        try:
            if not self.read_only:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, timeout=BUSY_MS / 1000, isolation_level=None)
            db.execute(f"PRAGMA busy_timeout = {BUSY_MS}")
            if db.execute("PRAGMA journal_mode = WAL").fetchone()[0].lower() != "wal":
                raise sqlite3.OperationalError("WAL mode refused")
            db.execute("PRAGMA synchronous = NORMAL")  # durable at checkpoints; WAL is atomic
            db.executescript(SCHEMA)
        except (sqlite3.Error, OSError) as err:
            self._broken = str(err)
            warn_once(f"cannot use strategy store {self.url}: {err}; running without it")
            return None
        self._local.db = db
        return db

    def _query(self, sql: str, args: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        db = self._db()
        if db is None:
            return []
        try:
            return db.execute(sql, args).fetchall()
        except sqlite3.DatabaseError as err:  # a file that is not a database, corruption
            warn_once(f"cannot read strategy store {self.url}: {err}")
            return []

    def _write(self, statements: list[tuple[str, tuple[Any, ...]]]) -> bool:
        if self.read_only:
            warn_once(f"strategy store {self.url} is read-only here: nothing is written")
            return False
        db = self._db()
        if db is None:
            return False
        try:
            db.execute("BEGIN IMMEDIATE")
            try:
                for sql, args in statements:
                    db.execute(sql, args)
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
        except sqlite3.Error as err:
            warn_once(f"cannot write strategy store {self.url}: {err}")
            return False
        return True

    # -- entries -------------------------------------------------------------------------------
    def _verified(self, rows: list[tuple[Any, ...]]) -> list[CacheEntry]:
        found: list[CacheEntry] = []
        for (record,) in rows:
            result = read_record(record, self._key)
            if isinstance(result, str):
                self.reject(result)
                continue
            found.append(result[0])
        return found

    def entries(self) -> list[CacheEntry]:
        return self._verified(self._query("SELECT record FROM entries ORDER BY timestamp"))

    def lookup(self, fingerprint: str) -> list[CacheEntry]:
        rows = self._query(
            "SELECT record FROM entries WHERE fingerprint = ? ORDER BY timestamp DESC",
            (fingerprint,),
        )
        return self._verified(rows)

    def examples(self, kind: str, limit: int = 2, exclude: str | None = None) -> list[CacheEntry]:
        rows = self._query(
            "SELECT record FROM entries WHERE kind = ? AND fingerprint != ? "
            "ORDER BY timestamp DESC, fingerprint LIMIT ?",
            (kind, exclude or "", max(0, limit) * 4),
        )
        return self._verified(rows)[:limit]

    def store(self, entry: CacheEntry) -> None:
        if self._key is None:
            self._write([])  # says read-only once
            return
        record = signed_record(entry, self._key)
        self._write(
            [
                (
                    "INSERT OR REPLACE INTO entries (id, fingerprint, kind, timestamp, record) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (entry_id(entry), entry.fingerprint, entry.kind, entry.timestamp, record),
                ),
                (
                    "DELETE FROM entries WHERE id IN (SELECT id FROM entries ORDER BY timestamp "
                    "DESC LIMIT -1 OFFSET ?)",
                    (MAX_ENTRIES,),
                ),
            ]
        )

    def remove(self, fingerprint: str, repaired: str | None = None) -> int:
        if repaired is None:
            doomed = [
                r[0]
                for r in self._query("SELECT id FROM entries WHERE fingerprint = ?", (fingerprint,))
            ]
        else:
            from neurojit.llm_pass.cache import CacheEntry

            probe = CacheEntry(fingerprint, "", "", "", repaired, "")
            doomed = [entry_id(probe)]
        if not doomed:
            return 0
        marks = ",".join("?" * len(doomed))
        before = self._query(f"SELECT COUNT(*) FROM entries WHERE id IN ({marks})", tuple(doomed))
        ok = self._write([(f"DELETE FROM entries WHERE id IN ({marks})", tuple(doomed))])
        return int(before[0][0]) if ok and before else 0

    def count(self) -> int:
        rows = self._query("SELECT COUNT(*) FROM entries")
        return int(rows[0][0]) if rows else 0

    # -- events --------------------------------------------------------------------------------
    @property
    def keeps_events(self) -> bool:
        return True

    def record_event(self, event: dict[str, Any]) -> None:
        text = bounded_event({"time": time.time(), **event})
        if text is None or self.read_only:
            return
        self._write(
            [
                ("INSERT INTO events (event) VALUES (?)", (text,)),
                (
                    "DELETE FROM events WHERE seq <= (SELECT MAX(seq) FROM events) - ?",
                    (MAX_EVENTS,),
                ),
            ]
        )

    def events(self) -> list[dict[str, Any]]:
        rows = self._query("SELECT event FROM events ORDER BY seq")
        return [e for (raw,) in rows if (e := parse_event(raw)) is not None]

    def close(self) -> None:
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None
