"""The `openai` runner: any OpenAI-compatible server (llama-server, `python -m
llama_cpp.server`, vLLM, Ollama). Many JIT processes can share one inference server.

It uses the text-completions endpoint by default, because a repair prompt is already the
whole text to continue, and llama.cpp's servers take a GBNF `grammar` field there. `chat=True`
uses chat completions instead (for servers that only serve chat models). The grammar is sent
in the field named by `grammar_field` ("grammar"; None for servers that reject unknown fields).
"""

from __future__ import annotations

import os
import time
from typing import Any

from neurojit.llm_pass.runners._http import post_sse
from neurojit.llm_pass.runners.base import Query, Runner, RunnerResult

DEFAULT_URL = "http://127.0.0.1:8080/v1"


class OpenAIRunner(Runner):
    name = "openai"

    def __init__(
        self,
        model: str | None = None,
        url: str | None = None,
        *,
        api_key: str | None = None,
        chat: bool = False,
        grammar_field: str | None = "grammar",
        timeout: float = 300.0,
    ) -> None:
        self.model = model or os.environ.get("NEUROJIT_OPENAI_MODEL", "default")
        self.url = (url or os.environ.get("OPENAI_BASE_URL") or DEFAULT_URL).rstrip("/")
        self.api_key = api_key or os.environ.get("OPENAI_API_KEY")
        self.chat = chat
        self.grammar_field = grammar_field
        self.timeout = timeout
        self.last_stats: dict[str, Any] = {}

    def load(self) -> None:
        """Nothing to load: the server holds the model."""

    def answer(self, query: Query) -> RunnerResult:
        prompt, grammar = query.prompt, query.grammar
        body: dict[str, Any] = {
            "model": self.model,
            "max_tokens": query.max_tokens,
            "temperature": query.temperature,
            "seed": query.seed,
            "stream": True,
        }
        if self.chat:
            endpoint = f"{self.url}/chat/completions"
            body["messages"] = [{"role": "user", "content": prompt}]
        else:
            endpoint = f"{self.url}/completions"
            body["prompt"] = prompt
        if grammar and self.grammar_field:
            body[self.grammar_field] = grammar
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}

        start = time.perf_counter()
        pieces: list[str] = []
        chunks = 0
        usage_tokens: int | None = None
        finish = "stop"
        events = post_sse("openai", endpoint, body, headers, self.timeout)
        try:
            for event in events:
                if event.get("usage"):
                    usage_tokens = event["usage"].get("completion_tokens", usage_tokens)
                for choice in event.get("choices") or []:
                    piece = choice.get("text")
                    if piece is None:
                        piece = (choice.get("delta") or {}).get("content")
                    if piece:
                        chunks += 1
                        pieces.append(piece)
                        query.emit(piece)
                    finish = choice.get("finish_reason") or finish
                if query.cancelled:
                    finish = "cancel"
                    break
        finally:
            events.close()
        seconds = time.perf_counter() - start
        # Servers stream one token per event; `usage`, when sent, is the exact count.
        tokens = usage_tokens if usage_tokens is not None else chunks
        self.last_stats = {"finish_reason": finish, "generated_tokens": tokens}
        return RunnerResult(text="".join(pieces), tokens=tokens, seconds=seconds)
