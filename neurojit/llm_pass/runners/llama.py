"""The `llama` runner: a llama-cpp-python `Llama` on the CPU, sampling under a GBNF grammar.

Prompt state. Repairs share a long fixed prompt prefix, and on a CPU reading it costs as much
as generating. The runner keeps the KV state of the previous prompt and re-reads only from
the first differing token. Reusing a prefix naively changes greedy output (the prompt gets
evaluated in different batches, and float sums differ), so the reuse is *aligned*: prompts
are always evaluated in batches that start at multiples of `prefix_block` tokens, and only
whole blocks are reused. A cached run and a fresh run then do bit-identical work.

Prompt lookup (`prompt_lookup=N`) drafts N tokens by copying from the prompt
(`LlamaPromptLookupDecoding`); it needs `logits_all=True`. It is off by default: see
docs/benchmarks.md for when it pays.
"""

from __future__ import annotations

import codecs
import ctypes
import os
import time
from functools import lru_cache
from typing import Any

from neurojit.errors import NeuroJITError
from neurojit.llm_pass.runners.base import Query, Runner, RunnerResult
from neurojit.llm_pass.runners.llama_settings import LlamaSettings

# llama.cpp's OpenMP threads spin-wait at every barrier by default. On 2 shared cores one
# descheduled thread stalls the rest: measured here under load ~8, 40 tokens took 28 s with
# spinning and 1.4 s with passive waiting. libgomp reads this when it is loaded, so it must
# be set before llama_cpp is first imported (a user's own setting wins).
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


@lru_cache(maxsize=32)
def _grammar(text: str) -> Any:
    """Parsing a GBNF grammar costs a few ms; repairs retry with the same one."""
    from llama_cpp import LlamaGrammar

    return LlamaGrammar.from_string(text, verbose=False)


def _piece(llm: Any, token: int) -> bytes:
    """The bytes of one token, as the grammar sampler sees them. (llama-cpp-python's
    LlamaModel.token_to_piece returns its whole 32-byte buffer, NUL padding included.)"""
    from llama_cpp import llama_token_to_piece

    buf = ctypes.create_string_buffer(64)
    n = llama_token_to_piece(llm._model.vocab, token, buf, 64, 0, False)
    if n < 0:  # buffer too small: -n is the size needed
        buf = ctypes.create_string_buffer(-n)
        n = llama_token_to_piece(llm._model.vocab, token, buf, -n, 0, False)
    return buf.raw[:n]


# The stock sampling settings of llama-cpp-python's generate(), kept identical in both paths.
TOP_K, TYPICAL_P, TOP_P, MIN_P = 40, 1.0, 0.95, 0.05


def sampling_chain(lc: Any, temperature: float, seed: int) -> Any:
    """llama.cpp's sampler chain for our settings: greedy at temperature 0, else llama.cpp's
    default order (top-k, typical, top-p, min-p, temperature, seeded draw). Shared by the
    grammar samplers, so the same settings give the same answer whichever one decodes."""
    chain = lc.llama_sampler_chain_init(lc.llama_sampler_chain_default_params())
    add = lambda s: lc.llama_sampler_chain_add(chain, s)  # noqa: E731
    if temperature == 0.0:
        add(lc.llama_sampler_init_greedy())
    else:
        add(lc.llama_sampler_init_top_k(TOP_K))
        add(lc.llama_sampler_init_typical(TYPICAL_P, 1))
        add(lc.llama_sampler_init_top_p(TOP_P, 1))
        add(lc.llama_sampler_init_min_p(MIN_P, 1))
        add(lc.llama_sampler_init_temp(temperature))
        add(lc.llama_sampler_init_dist(seed))
    return chain


class LazySampling:
    """What both lazy samplers share: a sampling chain, the vocabulary-sized and one-token
    candidate arrays, and the cheap first step (sample freely, ask the grammar about that
    one token)."""

    grammar: Any  # the llama.cpp grammar sampler the subclass keeps current

    def __init__(self, llm: Any, temperature: float, seed: int) -> None:
        import llama_cpp as lc
        from llama_cpp._internals import LlamaTokenDataArray

        self.lc = lc
        self.llm = llm
        self.n_vocab = llm.n_vocab()
        self.chain = sampling_chain(lc, temperature, seed)
        self.full = LlamaTokenDataArray(n_vocab=self.n_vocab)
        self.one = LlamaTokenDataArray(n_vocab=1)

    def _free_choice(self, logits: Any) -> tuple[int, bool]:
        """The token the chain samples without the grammar, and whether the grammar allows it."""
        lc, full, one = self.lc, self.full, self.one
        full.copy_logits(logits)
        full.candidates.selected = -1
        lc.llama_sampler_apply(self.chain, ctypes.byref(full.candidates))
        token = int(full.candidates_data.id[full.candidates.selected])
        one.copy_logits(logits[token : token + 1])
        one.candidates_data.id[0] = token
        lc.llama_sampler_apply(self.grammar, ctypes.byref(one.candidates))
        return token, one.candidates_data.logit[0] != float("-inf")


class _LazyGrammarSampler(LazySampling):
    """Grammar-constrained sampling that checks the grammar only where it must.

    llama-cpp-python's stock path runs the grammar over the whole vocabulary before every
    token (28% of SmolLM2's decode time, 60% of Gemma's 262k vocabulary). llama.cpp's own
    common_sampler does better: sample without the grammar, ask the grammar about that one
    token, and mask the full vocabulary only when it is rejected. Under greedy decoding the
    answer is the same token (the argmax of the allowed tokens is the argmax when it is
    allowed), so the text is byte-identical to the stock path.
    """

    def __init__(self, llm: Any, grammar: str, temperature: float, seed: int) -> None:
        super().__init__(llm, temperature, seed)
        lc = self.lc
        self.grammar = lc.llama_sampler_init_grammar(
            llm._model.vocab, grammar.encode("utf-8"), b"root"
        )
        if not self.grammar:
            lc.llama_sampler_free(self.chain)
            raise NeuroJITError("llama.cpp rejected the grammar")
        self.fallbacks = 0

    def _pick(self, logits: Any) -> int:
        token, allowed = self._free_choice(logits)
        if allowed:
            return token
        lc, full = self.lc, self.full
        # Rejected: mask the whole vocabulary, then sample again from what is allowed.
        self.fallbacks += 1
        full.copy_logits(logits)
        full.candidates.selected = -1
        lc.llama_sampler_apply(self.grammar, ctypes.byref(full.candidates))
        lc.llama_sampler_apply(self.chain, ctypes.byref(full.candidates))
        return int(full.candidates_data.id[full.candidates.selected])

    def generate(self, tokens: list[int]) -> Any:
        """Like Llama.generate after the prompt state was aligned: yields token ids."""
        import numpy as np

        lc, llm = self.lc, self.llm
        try:
            llm.eval(tokens[llm.n_tokens :])
            while True:
                ptr = lc.llama_get_logits_ith(llm._ctx.ctx, -1)
                logits = np.ctypeslib.as_array(ptr, shape=(self.n_vocab,))
                token = self._pick(logits)
                lc.llama_sampler_accept(self.grammar, token)
                lc.llama_sampler_accept(self.chain, token)
                yield token
                llm.eval([token])
        finally:
            lc.llama_sampler_free(self.chain)
            lc.llama_sampler_free(self.grammar)


class LlamaRunner(Runner):
    """llama.cpp inside this process (`llama-inproc`). A crash in llama.cpp then takes the
    host down with it; the default `llama` runner (runners/worker.py) runs this same class in
    a worker process instead."""

    name = "llama-inproc"

    def __init__(self, model: str | None = None, **settings: Any) -> None:
        """`settings`: the fields of `LlamaSettings` (n_ctx=, n_threads=, ...)."""
        self._model_spec = model
        self.model = model or ""
        self.settings = LlamaSettings(**settings)
        self.llm: Any = None
        self.cpu_variant = ""  # which of llama.cpp's CPU backends runs (see cpu_backend.py)
        # Filled by each query: finish reason, prompt/generated token counts and seconds.
        self.last_stats: dict[str, Any] = {}

    def load(self) -> None:
        if self.llm is not None:
            return
        from neurojit import models

        path = (
            models.resolve_model(self._model_spec) if self._model_spec else models.default_model()
        )
        self.model = str(path)
        try:
            from llama_cpp import Llama

            from neurojit.llm_pass.runners.cpu_backend import ensure_cpu_backend

            self.cpu_variant = ensure_cpu_backend()
        except ImportError as err:
            raise NeuroJITError(f"llama-cpp-python is not installed ({err})") from None
        except (OSError, RuntimeError) as err:
            raise NeuroJITError(str(err)) from None
        kwargs: dict[str, Any] = {}
        o = self.settings
        if o.prompt_lookup:
            from llama_cpp.llama_speculative import LlamaPromptLookupDecoding

            kwargs["draft_model"] = LlamaPromptLookupDecoding(num_pred_tokens=o.prompt_lookup)
            kwargs["logits_all"] = True  # without it 0.3.36 crashes past 512 tokens
        try:
            self.llm = Llama(
                model_path=str(path),
                n_ctx=o.n_ctx,
                n_threads=o.threads,
                n_threads_batch=o.threads,
                n_batch=o.prefix_block,  # batches start at block multiples: see module doc
                n_ubatch=o.prefix_block,
                verbose=o.verbose,
                **kwargs,
            )
        except (ValueError, RuntimeError) as err:
            raise NeuroJITError(f"cannot load model {path}: {err}") from None

    def tokenize(self, text: str) -> list[int]:
        self.load()
        return self.llm.tokenize(text.encode("utf-8"), add_bos=True, special=True)

    def _align_prompt_state(self, tokens: list[int]) -> int:
        """Keep only whole `prefix_block`s of the previous prompt state that match."""
        llm = self.llm
        if not self.settings.reuse_prefix:
            llm.reset()
            return 0
        common = 0
        for a, b in zip(llm.input_ids[: llm.n_tokens].tolist(), tokens[:-1], strict=False):
            if a != b:
                break
            common += 1
        block = self.settings.prefix_block
        keep = (common // block) * block
        if keep == 0:
            llm.reset()
        else:
            llm.n_tokens = keep  # generate() re-reads from here, in aligned batches
        return keep

    def answer(self, query: Query) -> RunnerResult:
        prompt, grammar = query.prompt, query.grammar
        max_tokens, temperature, seed = query.max_tokens, query.temperature, query.seed
        self.load()
        from llama_cpp import llama_vocab_is_eog

        llm = self.llm
        start = time.perf_counter()
        tokens = self.tokenize(prompt)
        if len(tokens) + max_tokens > self.settings.n_ctx:
            raise NeuroJITError(
                f"prompt of {len(tokens)} tokens plus max_tokens={max_tokens} "
                f"exceeds the context of {self.settings.n_ctx}"
            )
        reused = self._align_prompt_state(tokens)
        llm.set_seed(seed)
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        pieces: list[str] = []
        generated = 0
        finish = "stop"
        first_token_at = None
        lazy: _LazyGrammarSampler | None = None
        from neurojit.llm_pass.scoped import spec_of_grammar

        hole = spec_of_grammar(grammar)
        scoped: Any = None
        if hole is not None:
            # A hole's replacement: the grammar is rebuilt at every line (scoped_sampler.py).
            from neurojit.llm_pass.runners.scoped_sampler import ScopedSampler

            scoped = ScopedSampler(llm, hole, temperature, seed, _piece, max_tokens)
            stream = scoped.generate(tokens)
        elif grammar and self.settings.lazy_grammar and not self.settings.prompt_lookup:
            lazy = _LazyGrammarSampler(llm, grammar, temperature, seed)
            stream = lazy.generate(tokens)
        else:
            stream = llm.generate(
                tokens,
                temp=temperature,
                top_k=TOP_K,
                top_p=TOP_P,
                min_p=MIN_P,
                repeat_penalty=1.0,
                reset=True,
                grammar=_grammar(grammar) if grammar else None,
            )
        try:
            for token in stream:
                if first_token_at is None:
                    first_token_at = time.perf_counter()
                if llama_vocab_is_eog(llm._model.vocab, token):
                    break
                generated += 1
                piece = decoder.decode(_piece(llm, token))
                if piece:
                    pieces.append(piece)
                    query.emit(piece)
                if query.cancelled:
                    finish = "cancel"
                    break
                if generated >= max_tokens:
                    finish = "length"
                    break
        finally:
            stream.close()
        tail = decoder.decode(b"", final=True)
        if tail:
            pieces.append(tail)
        end = time.perf_counter()
        first = first_token_at or end
        self.last_stats: dict[str, Any] = {
            "finish_reason": finish,  # stop (end of text), length (max_tokens), cancel
            "prompt_tokens": len(tokens),
            "reused_tokens": reused,
            "prompt_seconds": first - start,
            "generated_tokens": generated,
            "generate_seconds": end - first,
            "grammar_fallbacks": lazy.fallbacks if lazy is not None else 0,
        }
        if scoped is not None:
            self.last_stats.update({f"hole_{k}": v for k, v in scoped.stats.items()})
        return RunnerResult(text="".join(pieces), tokens=generated, seconds=end - start)
