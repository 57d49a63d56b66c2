"""The `gemini` runner: Google's Gemini REST API, `models/<model>:generateContent`.

The key comes from `GEMINI_API_KEY` and travels in the `x-goog-api-key` header. Gemini has no
GBNF support, so the grammar is not sent; the pass validates every answer anyway. The base
URL can be overridden (`url=` or `GEMINI_BASE_URL`) so tests can talk to a loopback server.
Generation is not streamed: `on_token` gets the whole answer once, and `cancel` is honoured
before the request.
"""

from __future__ import annotations

import os
import time
from typing import Any

from neurojit.errors import NeuroJITError
from neurojit.llm_pass.runners._http import post_json
from neurojit.llm_pass.runners.base import Query, Runner, RunnerResult

DEFAULT_URL = "https://generativelanguage.googleapis.com/v1beta"
DEFAULT_MODEL = "gemini-2.0-flash"


class GeminiRunner(Runner):
    name = "gemini"

    def __init__(
        self,
        model: str | None = None,
        url: str | None = None,
        *,
        api_key: str | None = None,
        timeout: float = 120.0,
    ) -> None:
        self.model = model or DEFAULT_MODEL
        self.url = (url or os.environ.get("GEMINI_BASE_URL") or DEFAULT_URL).rstrip("/")
        self._api_key = api_key
        self.timeout = timeout
        self.last_stats: dict[str, Any] = {}

    def load(self) -> None:
        if not (self._api_key or os.environ.get("GEMINI_API_KEY")):
            raise NeuroJITError("the gemini runner needs an API key: set GEMINI_API_KEY")

    def answer(self, query: Query) -> RunnerResult:
        self.load()
        key = self._api_key or os.environ["GEMINI_API_KEY"]
        if query.cancelled:
            self.last_stats = {"finish_reason": "cancel", "generated_tokens": 0}
            return RunnerResult(text="", tokens=0, seconds=0.0)
        body = {
            "contents": [{"role": "user", "parts": [{"text": query.prompt}]}],
            "generationConfig": {
                "temperature": query.temperature,
                "maxOutputTokens": query.max_tokens,
                "seed": query.seed,
                "candidateCount": 1,
            },
        }
        endpoint = f"{self.url}/models/{self.model}:generateContent"
        start = time.perf_counter()
        reply = post_json("gemini", endpoint, body, {"x-goog-api-key": key}, self.timeout)
        seconds = time.perf_counter() - start
        candidates = reply.get("candidates") or []
        if not candidates:
            reason = (reply.get("promptFeedback") or {}).get("blockReason", "no candidates")
            raise NeuroJITError(f"gemini returned no answer ({reason})")
        parts = (candidates[0].get("content") or {}).get("parts") or []
        text = "".join(p.get("text", "") for p in parts)
        usage = reply.get("usageMetadata") or {}
        tokens = int(usage.get("candidatesTokenCount", 0))
        if text:
            query.emit(text)
        finish = str(candidates[0].get("finishReason", "STOP")).lower()
        self.last_stats = {"finish_reason": finish, "generated_tokens": tokens}
        return RunnerResult(text=text, tokens=tokens, seconds=seconds)
