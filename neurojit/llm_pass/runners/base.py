"""The ModelRunner protocol every repair model backend implements, and the runner factory.

A runner turns a prompt (plus an optional GBNF grammar) into text. It knows nothing about
MLIR: extraction and validation belong to the pass. Runners are imported lazily by name so
that `neurojit-opt` never pays for llama.cpp (or HTTP) unless a repair actually needs it.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from neurojit.errors import NeuroJITError

# Called with each piece of generated text as it arrives (streaming).
TokenCallback = Callable[[str], None]


@dataclass
class RunnerResult:
    """One model answer: the generated text, how many tokens it took, and the wall time."""

    text: str
    tokens: int
    seconds: float

    @property
    def tokens_per_second(self) -> float:
        return self.tokens / self.seconds if self.seconds > 0 else 0.0


@runtime_checkable
class ModelRunner(Protocol):
    """A repair model backend.

    `name` is the runner kind ("llama", "openai", ...); `model` names the model it serves
    (a path, a registry name or a remote model id). `load()` is idempotent and may be slow;
    `query()` calls it when needed. `on_token` receives text pieces as they are generated,
    and setting `cancel` stops generation early (the result then holds what was produced).
    """

    name: str
    model: str

    def load(self) -> None: ...

    def query(
        self,
        prompt: str,
        grammar: str | None = None,
        *,
        max_tokens: int,
        temperature: float,
        seed: int,
        on_token: TokenCallback | None = None,
        cancel: threading.Event | None = None,
    ) -> RunnerResult: ...


@dataclass(frozen=True)
class Query:
    """One request, as `ModelRunner.query` takes it, in one value."""

    prompt: str
    grammar: str | None = None
    max_tokens: int = 512
    temperature: float = 0.0
    seed: int = 0
    on_token: TokenCallback | None = None
    cancel: threading.Event | None = None

    @property
    def cancelled(self) -> bool:
        return self.cancel is not None and self.cancel.is_set()

    def emit(self, piece: str) -> None:
        """Hand a generated piece to the caller's stream, if it listens."""
        if self.on_token is not None:
            self.on_token(piece)


class Runner:
    """Base of the built-in runners: `query` spelled once, a runner implements `answer`."""

    name: str
    model: str

    def load(self) -> None:
        """Nothing to load by default."""

    def query(
        self,
        prompt: str,
        grammar: str | None = None,
        *,
        max_tokens: int = 512,
        temperature: float = 0.0,
        seed: int = 0,
        on_token: TokenCallback | None = None,
        cancel: threading.Event | None = None,
    ) -> RunnerResult:
        return self.answer(Query(prompt, grammar, max_tokens, temperature, seed, on_token, cancel))

    def answer(self, query: Query) -> RunnerResult:
        raise NotImplementedError


# name -> "module:class". Modules are imported only when that runner is asked for.
# `llama` runs llama.cpp in a worker process; `llama-inproc` in this one (a crash there is
# a crash of the host).
RUNNERS: dict[str, str] = {
    "mock": "neurojit.llm_pass.runners.mock:MockRunner",
    "llama": "neurojit.llm_pass.runners.worker:WorkerRunner",
    "llama-inproc": "neurojit.llm_pass.runners.llama:LlamaRunner",
    "openai": "neurojit.llm_pass.runners.openai:OpenAIRunner",
    "gemini": "neurojit.llm_pass.runners.gemini:GeminiRunner",
}


def make_runner(name: str, **options: Any) -> ModelRunner:
    """Build the runner called `name`, passing `options` to its constructor."""
    spec = RUNNERS.get(name)
    if spec is None:
        known = ", ".join(sorted(RUNNERS))
        raise NeuroJITError(f"unknown runner '{name}' (known: {known})")
    module_name, _, attr = spec.partition(":")
    cls = getattr(importlib.import_module(module_name), attr)
    return cls(**options)


# Which of the generic options (model, url, responses) each runner's constructor takes.
_OPTIONS: dict[str, tuple[str, ...]] = {
    "mock": ("responses", "model"),
    "llama": ("model",),
    "llama-inproc": ("model",),
}


def build_runner(
    name: str, *, model: str | None = None, url: str | None = None, responses: str | None = None
) -> ModelRunner:
    """The runner `name`, given the options every front end (pass, healing loop) has;
    each runner gets the ones it understands, and unset ones are left to its defaults."""
    given = {"model": model, "url": url, "responses": responses}
    wanted = _OPTIONS.get(name, ("model", "url"))
    try:
        return make_runner(name, **{k: given[k] for k in wanted if given[k]})
    except ImportError as err:
        # A runner whose backend is not installed is a runner that failed, not a crash:
        # the pass records it and the next proposer gets its turn.
        raise NeuroJITError(f"the {name} runner is unavailable: {err}") from None


class RunnerChoice(Protocol):
    """What names a runner: `RepairOptions` (the pass) and `HealingOptions` (the loop)."""

    runner: str
    model: str | None
    url: str | None
    responses: str | None


def runner_for(options: RunnerChoice) -> ModelRunner:
    """The runner `options` names: the one way the pass and the healing loop build one."""
    return build_runner(
        options.runner, model=options.model, url=options.url, responses=options.responses
    )
