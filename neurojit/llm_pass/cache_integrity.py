"""Integrity of the strategy cache: an HMAC per entry, and the calls an entry was validated on.

The cache file is shared by every process of the user, so anything that can write the file
could plant a "repair". Each entry carries `tag = HMAC-SHA256(secret, canonical JSON of the
entry)`, keyed by a per-user secret, `$NEUROJIT_HOME/secret` (else `~/.neurojit/secret`),
created once with mode 0600. An entry edited by hand or written by another user (who has
another secret) fails its tag, and the whole file is rejected: one bad entry means the file
cannot be trusted.

Entries also store the calls they were validated on (inputs and outputs, JSON-encoded here),
so that pre-apply can re-run them natively before installing the entry.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import stat
from pathlib import Path
from typing import Any

SECRET_BYTES = 32
MAX_STORED_CALLS = 8  # calls kept per entry
MAX_STORED_ELEMENTS = 4096  # array elements per stored value


class IntegrityError(Exception):
    """The secret cannot be used, or an entry's tag does not match."""


def secret_path() -> Path:
    home = os.environ.get("NEUROJIT_HOME")
    return (Path(home) if home else Path.home() / ".neurojit") / "secret"


_KEYS: dict[str, bytes] = {}


def load_secret(path: Path | None = None) -> bytes:
    """The per-user key, created (0600, atomically) on first use. Refused when the file is
    not a regular file of ours readable by us alone: then another user could forge tags."""
    path = path or secret_path()
    cached = _KEYS.get(str(path))
    if cached is not None:
        return cached
    key = read_key_file(path, "the cache secret", create=True)
    _KEYS[str(path)] = key
    return key


def read_key_file(path: Path, what: str, *, create: bool = False) -> bytes:
    """A key kept in a private file: a regular file of ours, mode 0600 or stricter, at least
    SECRET_BYTES long. `create` makes one (atomically) when it does not exist."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        if not create:
            raise IntegrityError(f"{what} {path} does not exist") from None
        _create_secret(path)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError as err:
        raise IntegrityError(f"cannot read {what} {path}: {err.strerror}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise IntegrityError(f"{what} {path} is not a regular file")
        if info.st_uid != os.getuid() or info.st_mode & 0o077:
            raise IntegrityError(
                f"{what} {path} is readable or owned by another user "
                f"(mode {stat.S_IMODE(info.st_mode):o}); remove it to start a new one"
            )
        key = os.read(fd, 4 * SECRET_BYTES).strip()
    finally:
        os.close(fd)
    if len(key) < SECRET_BYTES:
        raise IntegrityError(f"{what} {path} is too short; remove it")
    return key


# ---- the fleet key: one key shared by every machine that writes a shared store -------------
FLEET_KEY_ENV = "NEUROJIT_FLEET_KEY"  # the key itself (at least SECRET_BYTES characters)
FLEET_KEY_FILE_ENV = "NEUROJIT_FLEET_KEY_FILE"  # or a 0600 file holding it


def fleet_key_path() -> Path:
    """`$NEUROJIT_FLEET_KEY_FILE`, else `$NEUROJIT_HOME/fleet.key`."""
    named = os.environ.get(FLEET_KEY_FILE_ENV)
    if named:
        return Path(named)
    return secret_path().with_name("fleet.key")


def fleet_key() -> bytes | None:
    """The key that signs entries of a shared store (sqlite:, redis:), or None when this
    process has none (then the store is read-only to it and nothing it reads verifies).

    Unlike the per-user secret it is never created here: a fleet's machines must share one,
    so an operator makes it once (`neurojit cache keygen`) and hands it out. A key file that
    exists but is unsafe (group/other-readable, not ours) is an IntegrityError, not None."""
    value = os.environ.get(FLEET_KEY_ENV)
    if value:
        key = value.strip().encode()
        if len(key) < SECRET_BYTES:
            raise IntegrityError(f"${FLEET_KEY_ENV} is shorter than {SECRET_BYTES} characters")
        return key
    path = fleet_key_path()
    if not os.environ.get(FLEET_KEY_FILE_ENV) and not path.exists():
        return None
    return read_key_file(path, "the fleet key", create=False)


def new_fleet_key(path: Path) -> Path:
    """Create a fleet key file (0600) at `path`; an existing one is kept."""
    if not path.exists():
        _create_secret(path)
    read_key_file(path, "the fleet key")
    return path


def _create_secret(path: Path) -> None:
    """Write a new secret to a private temporary file and link it into place, so a
    concurrent reader never sees a partial secret and two creators agree on one."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, secrets.token_hex(SECRET_BYTES).encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        os.link(tmp, path)
    except FileExistsError:
        pass  # someone else won: use theirs
    finally:
        tmp.unlink(missing_ok=True)


def _canonical(data: dict[str, Any]) -> bytes:
    body = {k: v for k, v in data.items() if k != "tag"}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), allow_nan=True).encode()


def tag(key: bytes, data: dict[str, Any]) -> str:
    return hmac.new(key, _canonical(data), hashlib.sha256).hexdigest()


def verify(key: bytes, data: Any) -> bool:
    if not isinstance(data, dict) or not isinstance(data.get("tag"), str):
        return False
    return hmac.compare_digest(data["tag"], tag(key, data))


# ---- stored calls --------------------------------------------------------------------------


def encode_value(value: Any) -> Any:
    """A JSON form of a call input or output: numbers, {"array", "dtype"}, {"tuple"}."""
    if isinstance(value, bool):
        return {"bool": value}
    if isinstance(value, int | float):
        return value
    if isinstance(value, tuple | list):
        return {"tuple": [encode_value(v) for v in value]}
    tolist, dtype = getattr(value, "tolist", None), getattr(value, "dtype", None)
    if callable(tolist) and dtype is not None:
        if getattr(value, "size", 0) > MAX_STORED_ELEMENTS:
            raise ValueError("array too large to store")
        data = tolist()
        if getattr(value, "ndim", 1) == 0:
            return encode_value(data)
        return {"array": data, "dtype": str(dtype)}
    # numpy scalars
    item = getattr(value, "item", None)
    if callable(item):
        return encode_value(item())
    raise ValueError(f"cannot store a {type(value).__name__}")


def decode_value(data: Any) -> Any:
    import numpy as np

    if isinstance(data, bool):
        raise ValueError("bare bool")
    if isinstance(data, int | float):
        return data
    if isinstance(data, dict) and len(data) == 1 and isinstance(data.get("bool"), bool):
        return data["bool"]
    if isinstance(data, dict) and set(data) == {"tuple"} and isinstance(data["tuple"], list):
        return tuple(decode_value(v) for v in data["tuple"])
    if isinstance(data, dict) and set(data) == {"array", "dtype"}:
        dtype = np.dtype(str(data["dtype"]))
        if dtype.kind not in "biuf":
            raise ValueError(f"dtype {dtype} is not numeric")
        array = np.array(data["array"], dtype=dtype)
        if array.size > MAX_STORED_ELEMENTS:
            raise ValueError("stored array too large")
        return array
    raise ValueError("not a stored value")


def encode_calls(calls: list[tuple[Any, Any]]) -> list[dict[str, Any]]:
    """Up to MAX_STORED_CALLS calls, each {"inputs": [...], "output": ...}; calls whose values
    cannot be stored (too large, opaque) are left out."""
    stored: list[dict[str, Any]] = []
    for inputs, output in calls:
        try:
            item = {
                "inputs": [encode_value(v) for v in inputs],
                "output": encode_value(output) if output is not None else None,
            }
        except (ValueError, TypeError):
            continue
        stored.append(item)
        if len(stored) == MAX_STORED_CALLS:
            break
    return stored


def decode_calls(stored: Any) -> list[tuple[list[Any], Any]]:
    """The calls of an entry; ValueError when they are malformed."""
    if not isinstance(stored, list) or len(stored) > MAX_STORED_CALLS:
        raise ValueError("stored calls are not a short list")
    calls: list[tuple[list[Any], Any]] = []
    for item in stored:
        if not isinstance(item, dict) or not isinstance(item.get("inputs"), list):
            raise ValueError("a stored call has no inputs")
        inputs = [decode_value(v) for v in item["inputs"]]
        output = item.get("output")
        calls.append((inputs, None if output is None else decode_value(output)))
    return calls


def entry_calls(entry: Any) -> list[tuple[list[Any], Any]]:
    """The decoded calls a cache entry was validated on; a `Rejection` when malformed (a
    tagged entry with bad calls was written by a buggy or hostile writer with our key)."""
    from neurojit.llm_pass.validate import Rejection

    try:
        return decode_calls(getattr(entry, "calls", []))
    except (ValueError, TypeError, RecursionError) as err:
        raise Rejection("cache", f"the entry's stored calls are malformed: {err}") from None
