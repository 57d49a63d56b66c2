"""The model runner as the healing loop uses it: built on the model proposer's first query
(a rules-only run never loads a model), each query under a wall-clock budget, and a progress
line per query (load time, tokens/s)."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from neurojit.errors import NeuroJITError

if TYPE_CHECKING:
    from neurojit.healing.report import Progress
    from neurojit.llm_pass.runners.base import RunnerChoice


class LiveRunner:
    """Wraps the configured ModelRunner to show each query as it finishes (tokens/s), and
    builds it only when the model proposer actually asks, so rules-only runs never load a
    model."""

    def __init__(self, options: RunnerChoice, say: Progress, timeout: float = 120.0) -> None:
        self.name = options.runner
        self._timeout = timeout
        self._options = options
        self._say = say
        self._inner: Any = None
        self.queries = 0
        self.results: list[Any] = []  # every RunnerResult, in query order

    @property
    def built(self) -> bool:
        return self._inner is not None

    def _runner(self) -> Any:
        if self._inner is None:
            from neurojit.llm_pass.runners.base import runner_for

            self._inner = runner_for(self._options)
        return self._inner

    @property
    def model(self) -> str:
        return str(getattr(self._runner(), "model", ""))

    @property
    def model_name(self) -> str:
        return Path(self.model).name if self.model else ""

    def load(self) -> None:
        start = time.perf_counter()
        try:
            self._runner().load()
        except NeuroJITError:
            raise
        except Exception as err:  # noqa: BLE001 - e.g. a GGUF llama.cpp cannot read
            raise NeuroJITError(f"{self.name} runner failed to load: {err}") from None
        runner = self._runner()
        where = f", worker pid {runner.pid}" if getattr(runner, "pid", None) else ""
        cpu = f", CPU backend {runner.cpu_variant}" if getattr(runner, "cpu_variant", "") else ""
        self._say(
            f"model {self.model_name} ready in {time.perf_counter() - start:.2f} s{where}{cpu}"
        )

    def query(self, prompt: str, grammar: str | None = None, **kwargs: Any) -> Any:
        runner = self._runner()
        disabled = getattr(runner, "disabled", "")
        if disabled:
            raise NeuroJITError(disabled)  # said once, when it happened
        # A worker that died is restarted by the next query: show its load like the first.
        alive = getattr(runner, "alive", None)
        attempt = self.queries + 1
        # A query gets a wall-clock budget: a model that rambles (or a backend that stalls)
        # must not keep the program from its rules fallback.
        cancel = kwargs.pop("cancel", None) or threading.Event()
        timer = threading.Timer(self._timeout, cancel.set)
        timer.daemon = True
        try:
            if self.name != "mock" and (attempt == 1 if alive is None else not alive):
                self.load()
            self.queries = attempt  # counted once it reaches a loaded model
            self._say(f"model attempt {attempt}: querying {self.name} ({self.model_name})")
            timer.start()
            result = runner.query(prompt, grammar, cancel=cancel, **kwargs)
        except NeuroJITError as err:
            self._say(f"model attempt {attempt}: {err.message}")
            if getattr(runner, "disabled", ""):
                self._say(runner.disabled)
            raise
        except Exception as err:  # noqa: BLE001 - a backend failure must not end the flight
            raise NeuroJITError(f"{self.name} runner failed: {type(err).__name__}: {err}") from None
        finally:
            timer.cancel()
        if cancel.is_set():
            self._say(f"model attempt {self.queries}: cancelled after {self._timeout:.0f} s")
        self.results.append(result)
        self._say(
            f"model attempt {self.queries}: {result.tokens} tokens in {result.seconds:.2f} s "
            f"({result.tokens_per_second:.1f} tok/s)"
        )
        return result
