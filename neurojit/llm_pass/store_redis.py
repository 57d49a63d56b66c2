"""`redis://host:port/db`: the strategy store of a fleet, with live propagation.

Layout (every key under the prefix `neurojit:`):
- `entries`: hash, entry id (store.entry_id) → signed record (store.signed_record);
- `fp:<fingerprint>`: set of entry ids, so a lookup reads only its fingerprint's records;
- `index`: sorted set, entry id → timestamp, for pruning (oldest beyond MAX_ENTRIES go);
- `repairs`: pub/sub channel; storing an entry publishes `{"id", "record", "token",
  "published"}` and every subscribed process verifies the record and hands it to its
  listeners (SelfHealingModule re-validates and hot-swaps it);
- `events`: a stream capped at about store.MAX_EVENTS entries (XADD MAXLEN ~): faults and
  repairs of every process, for `neurojit cache stats`.

Pub/sub rather than a stream for propagation: a repair is useful only to processes running
now (a later one pre-applies it from `entries` at load), and pub/sub delivers in one round
trip with no per-consumer state to trim.

The server is a dependency that can go away. Every operation has a 1 s socket timeout and no
retries; when the server does not answer, the store warns once, keeps working from a local
memory of the entries it has seen, queues its own writes, and tries again at most every
RETRY_SECONDS. When the server answers again the queue is written (and published), the
subscriber re-subscribes and catches up on entries stored meanwhile.
"""

from __future__ import annotations

import json
import secrets
import sys
import threading
import time
from collections import deque
from typing import TYPE_CHECKING, Any

from neurojit.errors import NeuroJITError
from neurojit.llm_pass.store import (
    MAX_EVENTS,
    MAX_RECORD_BYTES,
    EntryStore,
    Listener,
    Origin,
    bounded_event,
    entry_id,
    parse_event,
    read_record,
    signed_record,
    warn_once,
)

if TYPE_CHECKING:
    from neurojit.llm_pass.cache import CacheEntry

PREFIX = "neurojit:"
MAX_ENTRIES = 20_000
RETRY_SECONDS = 0.5
SOCKET_TIMEOUT = 1.0
MAX_PENDING = 2000  # writes queued while the server is away
POLL_SECONDS = 0.05  # the subscriber's wait for a message; bounds how fast it can stop


class _Offline(Exception):
    """The server did not answer (now, or recently: waiting for the next retry)."""


def _redis_module() -> Any:
    try:
        import redis
    except ImportError:
        raise NeuroJITError(
            "the redis:// strategy store needs the redis package (pip install 'neurojit[redis]')"
        ) from None
    return redis


class RedisStore(EntryStore):
    """A strategy store on a Redis server: shared, signed, live."""

    live = True
    shared = True

    def __init__(self, url: str) -> None:
        super().__init__()
        redis = _redis_module()
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        from neurojit.llm_pass.cache_integrity import IntegrityError, fleet_key

        self.url = url
        try:
            self.client = redis.Redis.from_url(
                url,
                socket_timeout=SOCKET_TIMEOUT,
                socket_connect_timeout=SOCKET_TIMEOUT,
                retry=Retry(NoBackoff(), 0),
            )
        except ValueError as err:
            raise NeuroJITError(f"bad strategy store URL '{url}': {err}") from None
        self._errors = (redis.ConnectionError, redis.TimeoutError, OSError)
        try:
            self._key = fleet_key()
            why = "no fleet key ($NEUROJIT_FLEET_KEY or $NEUROJIT_HOME/fleet.key)"
        except IntegrityError as err:
            self._key, why = None, str(err)
        self.read_only = self._key is None
        if self.read_only:
            warn_once(f"strategy store {url} is read-only to this process: {why}")
        self.token = secrets.token_hex(8)  # our publications carry it: we skip our own
        self._lock = threading.RLock()
        self._flush_lock = threading.Lock()  # one thread writes the queue after an outage
        # What we have seen of the store: served while the server is away.
        self._memory: dict[str, CacheEntry] = {}
        self._pending: deque[tuple[str, CacheEntry, str]] = deque(maxlen=MAX_PENDING)
        self._pending_events: deque[str] = deque(maxlen=MAX_PENDING)
        self._down = False
        self._next_try = 0.0
        self.outages = 0  # times the server went away
        self.caught_up = 0  # entries written or received after it came back
        self._listeners: list[Listener] = []
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()

    # -- the connection ------------------------------------------------------------------------
    def _call(self, fn: Any) -> Any:
        """Run `fn()` against the server; _Offline when it does not answer. After an outage
        the queued writes go first, so what `fn` reads includes them."""
        with self._lock:
            probing = self._down
            if probing and time.monotonic() < self._next_try:
                raise _Offline
        try:
            if probing:
                self.client.ping()
                self._came_back()
            return fn()
        except self._errors as err:
            self._went_down(err)
            raise _Offline from None

    def _went_down(self, err: BaseException) -> None:
        with self._lock:
            self._next_try = time.monotonic() + RETRY_SECONDS
            if self._down:
                return
            self._down = True
            self.outages += 1
        warn_once(
            f"strategy store {self.url} is unreachable ({type(err).__name__}); running on "
            "local memory, catching up when it returns"
        )

    def _came_back(self) -> None:
        """The server answers again: write what was queued, then leave the offline state
        (in that order, so "not offline" means "nothing of ours is only in memory")."""
        with self._flush_lock:
            with self._lock:
                if not self._down:
                    return
                pending, self._pending = list(self._pending), deque(maxlen=MAX_PENDING)
                events, self._pending_events = list(self._pending_events), deque(maxlen=MAX_PENDING)
            written = 0
            for n, (eid, entry, record) in enumerate(pending):
                try:
                    self._write(eid, entry, record)
                except self._errors as err:
                    with self._lock:
                        self._pending.extendleft(reversed(pending[n:]))
                        self._pending_events.extendleft(reversed(events))
                    self._went_down(err)
                    return
                written += 1
            for text in events:
                try:
                    self._xadd(text)
                except self._errors:
                    break  # statistics: lost rather than hold the store offline
            with self._lock:
                self._down = False
                self.caught_up += written
        print(
            f"neurojit: strategy store {self.url} is back: wrote {written} repair(s) "
            "stored while it was away",
            file=sys.stderr,
            flush=True,
        )

    @property
    def offline(self) -> bool:
        return self._down

    # -- reading -------------------------------------------------------------------------------
    def _verify(self, eid: str, raw: Any) -> CacheEntry | None:
        result = read_record(raw, self._key)
        if isinstance(result, str):
            self.reject(result)
            return None
        entry = result[0]
        with self._lock:
            self._memory[eid] = entry
        return entry

    def _raw_entries(self) -> dict[str, Any]:
        return dict(self._call(lambda: self.client.hgetall(PREFIX + "entries")))

    def entries(self) -> list[CacheEntry]:
        try:
            raw = self._raw_entries()
        except _Offline:
            with self._lock:
                found = list(self._memory.values())
            return sorted(found, key=lambda e: e.timestamp)
        found = [e for k, v in raw.items() if (e := self._verify(_text(k), v)) is not None]
        return sorted(found, key=lambda e: e.timestamp)

    def lookup(self, fingerprint: str) -> list[CacheEntry]:
        def fetch() -> list[tuple[str, Any]]:
            ids = sorted(_text(i) for i in self.client.smembers(PREFIX + "fp:" + fingerprint))
            if not ids:
                return []
            return list(zip(ids, self.client.hmget(PREFIX + "entries", ids), strict=True))

        try:
            pairs = self._call(fetch)
        except _Offline:
            with self._lock:
                found = [e for e in self._memory.values() if e.fingerprint == fingerprint]
        else:
            found = [e for i, raw in pairs if raw is not None and (e := self._verify(i, raw))]
        return sorted(found, key=lambda e: e.timestamp, reverse=True)

    # -- writing -------------------------------------------------------------------------------
    def _write(self, eid: str, entry: CacheEntry, record: str) -> None:
        """One entry, atomically (MULTI), then published. Raises the client's errors."""
        pipe = self.client.pipeline(transaction=True)
        pipe.hset(PREFIX + "entries", eid, record)
        pipe.sadd(PREFIX + "fp:" + entry.fingerprint, eid)
        pipe.zadd(PREFIX + "index", {eid: entry.timestamp})
        pipe.zcard(PREFIX + "index")
        count = pipe.execute()[-1]
        message = json.dumps(
            {"id": eid, "record": record, "token": self.token, "published": time.time()}
        )
        self.client.publish(PREFIX + "repairs", message)
        if count > MAX_ENTRIES:
            self._trim(count - MAX_ENTRIES)

    def _trim(self, excess: int) -> None:
        for member, _ in self.client.zpopmin(PREFIX + "index", excess):
            eid = _text(member)
            raw = self.client.hget(PREFIX + "entries", eid)
            self.client.hdel(PREFIX + "entries", eid)
            result = read_record(raw, self._key) if raw is not None else "gone"
            if not isinstance(result, str):
                self.client.srem(PREFIX + "fp:" + result[0].fingerprint, eid)

    def store(self, entry: CacheEntry) -> None:
        if self._key is None:
            warn_once(f"strategy store {self.url} is read-only here: the repair stays local")
            with self._lock:
                self._memory[entry_id(entry)] = entry
            return
        eid = entry_id(entry)
        record = signed_record(entry, self._key)
        with self._lock:
            self._memory[eid] = entry
        try:
            self._call(lambda: self._write(eid, entry, record))
        except _Offline:
            with self._lock:
                self._pending.append((eid, entry, record))

    def remove(self, fingerprint: str, repaired: str | None = None) -> int:
        if self.read_only:
            return 0
        with self._lock:
            doomed = [
                i
                for i, e in self._memory.items()
                if e.fingerprint == fingerprint and repaired in (None, e.repaired)
            ]
            for i in doomed:
                self._memory.pop(i, None)

        def delete() -> int:
            ids = [_text(i) for i in self.client.smembers(PREFIX + "fp:" + fingerprint)]
            if repaired is not None:
                from neurojit.llm_pass.cache import CacheEntry

                wanted = entry_id(CacheEntry(fingerprint, "", "", "", repaired, ""))
                ids = [i for i in ids if i == wanted]
            if not ids:
                return 0
            pipe = self.client.pipeline(transaction=True)
            pipe.hdel(PREFIX + "entries", *ids)
            pipe.srem(PREFIX + "fp:" + fingerprint, *ids)
            pipe.zrem(PREFIX + "index", *ids)
            return int(pipe.execute()[0])

        try:
            return int(self._call(delete))
        except _Offline:
            return len(doomed)

    # -- events (faults as data) ---------------------------------------------------------------
    @property
    def keeps_events(self) -> bool:
        return True

    def _xadd(self, text: str) -> None:
        self.client.xadd(PREFIX + "events", {"e": text}, maxlen=MAX_EVENTS, approximate=True)

    def record_event(self, event: dict[str, Any]) -> None:
        if self.read_only:
            return
        text = bounded_event({"time": time.time(), **event})
        if text is None:
            return
        try:
            self._call(lambda: self._xadd(text))
        except _Offline:
            with self._lock:
                self._pending_events.append(text)

    def events(self) -> list[dict[str, Any]]:
        try:
            rows = self._call(lambda: self.client.xrange(PREFIX + "events", count=MAX_EVENTS * 2))
        except _Offline:
            return []
        found = []
        for _, fields in rows:
            event = parse_event(fields.get(b"e") if isinstance(fields, dict) else None)
            if event is not None:
                found.append(event)
        return found

    # -- live propagation ----------------------------------------------------------------------
    def subscribe(self, listener: Listener) -> bool:
        with self._lock:
            self._listeners.append(listener)
            if self._thread is None:
                self._stop.clear()
                ready = threading.Event()
                self._thread = threading.Thread(
                    target=self._listen, args=(ready,), name="neurojit-store", daemon=True
                )
                self._thread.start()
            else:
                ready = None
        if ready is not None:
            ready.wait(SOCKET_TIMEOUT * 2)  # subscribed (or found the server away)
        return True

    def unsubscribe(self, listener: Listener) -> None:
        with self._lock:
            if listener in self._listeners:
                self._listeners.remove(listener)

    def close(self) -> None:
        self._stop.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(2.0)
        self._thread = None
        try:
            self.client.close()
        except Exception:  # noqa: BLE001 - closing a dead connection
            pass

    def _listen(self, ready: threading.Event) -> None:
        pubsub = None
        missed = False  # we were disconnected: read what was stored meanwhile
        while not self._stop.is_set():
            try:
                if pubsub is None:
                    pubsub = self.client.pubsub(ignore_subscribe_messages=True)
                    pubsub.subscribe(PREFIX + "repairs")
                    ready.set()
                    if self._down:
                        self._came_back()
                    if missed:
                        missed = False
                        self._catch_up()
                message = pubsub.get_message(timeout=POLL_SECONDS)
                if message is not None and message.get("type") == "message":
                    self._deliver(message.get("data"))
            except self._errors as err:
                ready.set()
                self._went_down(err)
                missed = True
                if pubsub is not None:
                    try:
                        pubsub.close()
                    except Exception:  # noqa: BLE001 - the connection is gone anyway
                        pass
                pubsub = None
                self._stop.wait(RETRY_SECONDS)
        if pubsub is not None:
            try:
                pubsub.close()
            except Exception:  # noqa: BLE001
                pass

    def _deliver(self, data: Any) -> None:
        if not isinstance(data, bytes | str) or len(data) > 2 * MAX_RECORD_BYTES:
            self.reject("message too large")
            return
        try:
            message = json.loads(data)
        except (ValueError, RecursionError):
            self.reject("message is not JSON")
            return
        if not isinstance(message, dict) or not isinstance(message.get("id"), str):
            self.reject("message is not a repair")
            return
        if message.get("token") == self.token:
            return  # our own: already installed where it was made
        published = message.get("published")
        published = float(published) if isinstance(published, int | float) else time.time()
        result = read_record(message.get("record"), self._key)
        if isinstance(result, str):
            self.reject(result)
            return
        entry, origin = result
        with self._lock:
            self._memory[message["id"][:64]] = entry
        self._notify(entry, origin, published)

    def _catch_up(self) -> None:
        """Hand listeners the entries stored while we were away (those we had not seen)."""
        with self._lock:
            seen = set(self._memory)
        raw = self._raw_entries()
        for k, v in raw.items():
            eid = _text(k)
            if eid in seen:
                continue
            result = read_record(v, self._key)
            if isinstance(result, str):
                self.reject(result)
                continue
            entry, origin = result
            with self._lock:
                self._memory[eid] = entry
            self.caught_up += 1
            self._notify(entry, origin, time.time())

    def _notify(self, entry: CacheEntry, origin: Origin, published: float) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(entry, origin, published)
            except Exception as err:  # noqa: BLE001 - one module's failure is not the store's
                warn_once(f"strategy store listener failed: {type(err).__name__}: {err}")

    def describe(self) -> dict[str, Any]:
        data = super().describe()
        data.update(offline=self._down, outages=self.outages, caught_up=self.caught_up)
        return data


def _text(value: Any) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
