"""The small HTTP layer the remote runners share: JSON POST and server-sent events (stdlib)."""

from __future__ import annotations

import http.client
import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

from neurojit.errors import NeuroJITError


def _request(url: str, body: dict[str, Any], headers: dict[str, str]) -> urllib.request.Request:
    data = json.dumps(body).encode("utf-8")
    all_headers = {"Content-Type": "application/json", "User-Agent": "neurojit", **headers}
    return urllib.request.Request(url, data=data, headers=all_headers, method="POST")


def _fail(who: str, url: str, err: Exception) -> NeuroJITError:
    if isinstance(err, urllib.error.HTTPError):
        detail = err.read().decode("utf-8", "replace").strip().replace("\n", " ")[:200]
        return NeuroJITError(f"{who} server at {url} answered HTTP {err.code}: {detail}")
    reason = getattr(err, "reason", err)
    return NeuroJITError(f"cannot reach the {who} server at {url} ({reason})")


def post_json(
    who: str, url: str, body: dict[str, Any], headers: dict[str, str], timeout: float
) -> dict[str, Any]:
    try:
        with urllib.request.urlopen(_request(url, body, headers), timeout=timeout) as response:
            return json.loads(response.read().decode("utf-8"))
    except (urllib.error.URLError, OSError, ValueError) as err:
        raise _fail(who, url, err) from None


def post_sse(
    who: str, url: str, body: dict[str, Any], headers: dict[str, str], timeout: float
) -> Iterator[dict[str, Any]]:
    """Yield each `data:` JSON event until `[DONE]` or the end of the stream.
    Closing the generator closes the connection (that is how a query is cancelled)."""
    try:
        response = urllib.request.urlopen(_request(url, body, headers), timeout=timeout)
    except (urllib.error.URLError, OSError) as err:
        raise _fail(who, url, err) from None
    # A server that dies mid-answer (a crashed llama.cpp behind it, a killed process) must
    # be a failed attempt with a reason, like a dying model worker, not a short answer.
    with response:
        try:
            for raw in response:
                line = raw.decode("utf-8", "replace").strip()
                if not line.startswith("data:"):
                    continue
                payload = line[len("data:") :].strip()
                if payload == "[DONE]":
                    return
                try:
                    yield json.loads(payload)
                except ValueError:
                    raise NeuroJITError(f"{who} server at {url} sent a malformed event") from None
        except (OSError, http.client.HTTPException) as err:
            raise NeuroJITError(
                f"{who} server at {url} died mid-answer ({type(err).__name__})"
            ) from None
    raise NeuroJITError(f"{who} server at {url} closed the stream mid-answer (no [DONE])")
