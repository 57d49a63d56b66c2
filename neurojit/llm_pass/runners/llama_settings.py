"""How llama.cpp runs, declared once for the in-process runner and the worker.

`llama-inproc` (llama.py) uses the settings itself; `llama` (worker.py) hands them to its
child process as one JSON argument, where the same in-process runner uses them. Importing
this module never imports llama_cpp.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class LlamaSettings:
    n_threads: int | None = None  # None: min(2, the CPUs there are)
    n_ctx: int = 4096
    prompt_lookup: int = 0  # >0: prompt-lookup decoding with that many draft tokens
    prefix_block: int = 64  # batch size; a reused prompt prefix is a whole number of blocks
    reuse_prefix: bool = True
    lazy_grammar: bool = True  # sample first, mask the vocabulary only on rejection
    verbose: bool = False

    @property
    def threads(self) -> int:
        return self.n_threads or min(2, os.cpu_count() or 1)

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> LlamaSettings:
        return cls(**json.loads(text))
