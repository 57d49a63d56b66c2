"""`python -m neurojit.llm_pass.runners.llama_server [llama_cpp.server flags]`.

llama-cpp-python's OpenAI-compatible server (extra `llama-cpp-python[server]`), started on
NeuroJIT's portable llama.cpp build: that build keeps its CPU code in runtime-loaded
backends, which the plain `python -m llama_cpp.server` never loads ("no backends are
loaded"). This loads the best non-AMX one first (cpu_backend.py), then runs the server as
is. It is a separate process from the one NeuroJIT protects, like the model worker: the
openai runner reports a server that dies as a failed attempt.
"""

from __future__ import annotations

import os
import runpy


def main() -> None:
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    from neurojit.llm_pass.runners.cpu_backend import ensure_cpu_backend

    ensure_cpu_backend()
    runpy.run_module("llama_cpp.server", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
