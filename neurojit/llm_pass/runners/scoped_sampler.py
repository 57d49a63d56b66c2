"""Sampling a hole's replacement under a grammar rebuilt at every line (llm_pass/scoped.py).

The sampler is the lazy one of llama.py (sample freely, ask the grammar about that one
token, mask the whole vocabulary only when it is rejected), with two additions:
- when a line ends (its newline was sampled) the decoder takes the line and the next line's
  grammar replaces the old one, built from the scope as it is now;
- a token that would make the answer start with the original hole is masked too.
Generation stops when the hole's results are defined, or at end-of-text where the grammar
allows the answer to end. The token cap bounds the lines too (`_fit_lines`), so an answer
ends as its grammar says rather than cut off mid-function. `stats` counts the grammars
built and the time spent building them (reported in the runner's `last_stats`).
"""

from __future__ import annotations

import ctypes
import time
from collections.abc import Callable, Iterator
from typing import Any

from neurojit.errors import NeuroJITError
from neurojit.llm_pass.runners.llama import LazySampling
from neurojit.llm_pass.scoped import HoleDecoder, HoleSpec

MAX_MASKED = 16  # forbidden tokens masked in a row before giving up on the answer


class ScopedSampler(LazySampling):
    def __init__(
        self,
        llm: Any,
        spec: HoleSpec,
        temperature: float,
        seed: int,
        piece: Callable[[Any, int], bytes],
        max_tokens: int | None = None,
    ) -> None:
        super().__init__(llm, temperature, seed)
        self.piece = piece
        self.decoder = HoleDecoder(spec)
        self.max_tokens = max_tokens
        self.used = 0  # tokens of the answer so far
        self.longest = 0  # tokens of its longest line
        self.grammar = None
        self.line = b""
        self.stats = {"grammars": 0, "grammar_seconds": 0.0, "fallbacks": 0, "masked": 0}

    def _new_grammar(self) -> None:
        lc = self.lc
        if self.grammar:
            lc.llama_sampler_free(self.grammar)
            self.grammar = None
        start = time.perf_counter()
        text = self.decoder.gbnf()
        grammar = lc.llama_sampler_init_grammar(
            self.llm._model.vocab, text.encode("utf-8"), b"root"
        )
        self.stats["grammar_seconds"] += time.perf_counter() - start
        self.stats["grammars"] += 1
        if not grammar:
            raise NeuroJITError("llama.cpp rejected a line grammar of the hole")
        self.grammar = grammar

    def _fit_lines(self, line_tokens: int) -> None:
        """Lines the token cap leaves room for, at the longest line's length so far: the
        decoder closes its regions and writes its last line within them, so a long hole (a
        whole function) ends as the grammar says instead of being cut at the cap."""
        if self.max_tokens is None:
            return
        self.longest = max(self.longest, line_tokens)
        left = max(0, self.max_tokens - self.used)
        self.decoder.cap_lines(self.decoder.lines + left // (self.longest + 1))

    def _forbidden(self, token: int) -> bool:
        text = (self.line + self.piece(self.llm, token)).decode("utf-8", "replace")
        return self.decoder.forbids(self.decoder.text + text)

    def _pick(self, logits: Any) -> int | None:
        token, allowed = self._free_choice(logits)
        if allowed and not self._forbidden(token):
            return token
        lc, full = self.lc, self.full
        self.stats["fallbacks"] += 1
        masked = logits.copy()
        for _ in range(MAX_MASKED):
            full.copy_logits(masked)
            full.candidates.selected = -1
            lc.llama_sampler_apply(self.grammar, ctypes.byref(full.candidates))
            lc.llama_sampler_apply(self.chain, ctypes.byref(full.candidates))
            token = int(full.candidates_data.id[full.candidates.selected])
            if full.candidates_data.logit[full.candidates.selected] == float("-inf"):
                return None  # nothing the grammar allows is left
            if not self._forbidden(token):
                return token
            self.stats["masked"] += 1
            masked[token] = float("-inf")
        return None

    def generate(self, tokens: list[int]) -> Iterator[int]:
        """Token ids of the answer; ends when the hole is complete (or cannot go on)."""
        import numpy as np

        lc, llm = self.lc, self.llm
        try:
            llm.eval(tokens[llm.n_tokens :])
            self._new_grammar()
            line_tokens = 0
            while not self.decoder.done:
                ptr = lc.llama_get_logits_ith(llm._ctx.ctx, -1)
                logits = np.ctypeslib.as_array(ptr, shape=(self.n_vocab,))
                token = self._pick(logits)
                if token is None:
                    return
                lc.llama_sampler_accept(self.grammar, token)
                lc.llama_sampler_accept(self.chain, token)
                yield token
                if lc.llama_vocab_is_eog(llm._model.vocab, token):
                    return
                self.line += self.piece(llm, token)
                self.used += 1
                line_tokens += 1
                if self.line.endswith(b"\n"):
                    self.decoder.feed(self.line[:-1].decode("utf-8", "replace"))
                    self.line = b""
                    if self.decoder.done:
                        return
                    self._fit_lines(line_tokens)
                    line_tokens = 0
                    self._new_grammar()
                llm.eval([token])
        finally:
            lc.llama_sampler_free(self.chain)
            if self.grammar:
                lc.llama_sampler_free(self.grammar)
