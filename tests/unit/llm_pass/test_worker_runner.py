"""The `llama` runner's worker process: a model that crashes, hangs or babbles costs one
rejected attempt, never the host.

The crash regression cannot depend on the CPU (CI may have no AMX), so the worker is told to
fail on purpose (`inject=`): segfault, abort, hang, garbage on the socket, exit mid-answer,
out of memory. The model is a tiny random GGUF built here (loads in milliseconds).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from neurojit.errors import NeuroJITError
from neurojit.llm_pass.runners.base import ModelRunner, make_runner
from neurojit.llm_pass.runners.worker import MAX_DEATHS, WorkerFailed, WorkerRunner

sys.path.insert(0, str(Path(__file__).parent))
from tiny_gguf import build_tiny_gguf  # noqa: E402

pytestmark = pytest.mark.skipif(
    __import__("importlib").util.find_spec("llama_cpp") is None,
    reason="llama-cpp-python is not installed",
)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_gguf(tmp_path_factory.mktemp("gguf") / "tiny.gguf")


def _gone(pid: int, within: float = 10.0) -> bool:
    """True once `pid` has exited (a zombie counts: it runs no code, whoever reaps it)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (FileNotFoundError, ProcessLookupError):
            return True
        if state in ("Z", "X"):
            return True
        time.sleep(0.05)
    return False


def test_the_default_llama_runner_is_the_worker(tiny: Path) -> None:
    runner = make_runner("llama", model=str(tiny))
    assert isinstance(runner, WorkerRunner) and isinstance(runner, ModelRunner)
    assert make_runner("llama-inproc", model=str(tiny)).name == "llama-inproc"


def test_a_query_streams_and_the_worker_closes(tiny: Path) -> None:
    runner = WorkerRunner(str(tiny), n_ctx=512)
    pieces: list[str] = []
    result = runner.query("x", max_tokens=12, temperature=0.0, seed=0, on_token=pieces.append)
    assert result.tokens == 12 and "".join(pieces) == result.text
    assert runner.last_stats["finish_reason"] == "length"
    assert runner.cpu_variant  # "built-in" or the runtime-chosen variant
    pid = runner.pid
    assert pid is not None and runner.alive
    runner.close()
    assert _gone(pid) and not runner.alive


def test_cancel_reaches_the_worker(tiny: Path) -> None:
    runner = WorkerRunner(str(tiny), n_ctx=2048)
    cancel = threading.Event()
    seen: list[str] = []

    def stop_after_three(piece: str) -> None:
        seen.append(piece)
        if len(seen) == 3:
            cancel.set()

    result = runner.query("x", max_tokens=1500, on_token=stop_after_three, cancel=cancel)
    assert runner.last_stats["finish_reason"] == "cancel"
    assert result.tokens < 1500
    runner.close()


@pytest.mark.parametrize(
    ("inject", "reason"),
    [
        ("segv", "model worker died: SIGSEGV (llama.cpp)"),
        ("abort", "model worker died: SIGABRT (llama.cpp)"),
        ("hang", "model worker hung: no answer"),
        ("garbage", "model worker sent malformed output: bad frame header"),
        ("exit", "model worker exited with status 3 mid-answer"),
        ("oom", "model worker ran out of memory"),
    ],
)
def test_a_failing_worker_is_one_rejected_query(tiny: Path, inject: str, reason: str) -> None:
    runner = WorkerRunner(str(tiny), n_ctx=512, inject=inject, query_timeout=3.0)
    with pytest.raises(WorkerFailed) as caught:
        runner.query("x", max_tokens=8)
    assert str(caught.value.message).startswith(reason), caught.value.message
    assert "\n" not in caught.value.message
    assert runner.deaths == 1 and not runner.alive and runner.pid is None


def test_the_next_query_starts_a_fresh_worker(tiny: Path) -> None:
    runner = WorkerRunner(str(tiny), n_ctx=512, inject="segv")
    runner.load()
    first = runner.pid
    with pytest.raises(WorkerFailed, match="SIGSEGV"):
        runner.query("x", max_tokens=4)
    assert first is not None and _gone(first)
    runner.inject = ""  # the next worker is healthy
    assert runner.query("x", max_tokens=4).tokens == 4
    assert runner.pid not in (None, first) and runner.deaths == 0
    runner.close()


def test_repeated_deaths_switch_the_model_off(tiny: Path) -> None:
    runner = WorkerRunner(str(tiny), n_ctx=512, inject="abort")
    for _ in range(MAX_DEATHS):
        with pytest.raises(WorkerFailed):
            runner.query("x", max_tokens=4)
    assert "model proposer off" in runner.disabled
    start = time.monotonic()
    with pytest.raises(NeuroJITError, match="model proposer off"):
        runner.query("x", max_tokens=4)
    assert time.monotonic() - start < 1.0  # refused at once: no fourth worker
    assert runner.pid is None


def test_a_missing_model_is_an_error_before_any_worker(tmp_path: Path) -> None:
    runner = WorkerRunner(str(tmp_path / "absent.gguf"))
    with pytest.raises(NeuroJITError, match="neither a file nor a registry name"):
        runner.load()
    assert runner.pid is None


def test_an_unreadable_model_is_a_load_error_not_a_death(tmp_path: Path) -> None:
    bad = tmp_path / "bad.gguf"
    bad.write_bytes(b"GGUF" + b"\0" * 64)
    runner = WorkerRunner(str(bad))
    with pytest.raises(NeuroJITError, match="cannot load model|model worker"):
        runner.load()
    assert not runner.alive


def test_the_host_never_imports_llama_cpp(tiny: Path) -> None:
    code = textwrap.dedent(
        f"""
        import sys
        from neurojit.llm_pass.runners.base import make_runner
        runner = make_runner("llama", model={str(tiny)!r})
        assert runner.query("x", max_tokens=3).tokens == 3
        runner.close()
        assert "llama_cpp" not in sys.modules, "llama_cpp imported in the host"
        """
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


def test_no_orphan_worker_survives_a_killed_host(tiny: Path, tmp_path: Path) -> None:
    """SIGKILL leaves the host no chance to clean up; the worker must notice on its own,
    even while it is stuck (here: an injected hang inside a query)."""
    pid_file = tmp_path / "worker.pid"
    code = textwrap.dedent(
        f"""
        import pathlib, threading, time
        from neurojit.llm_pass.runners.worker import WorkerRunner
        runner = WorkerRunner({str(tiny)!r}, inject="hang", query_timeout=600)
        runner.load()
        pathlib.Path({str(pid_file)!r}).write_text(str(runner.pid))
        runner.query("x", max_tokens=4)
        """
    )
    host = subprocess.Popen([sys.executable, "-c", code])
    try:
        deadline = time.monotonic() + 60
        while not pid_file.exists() or not pid_file.read_text():
            assert time.monotonic() < deadline and host.poll() is None
            time.sleep(0.05)
        worker = int(pid_file.read_text())
        time.sleep(0.3)  # the query is in flight and the worker is hanging
        os.kill(host.pid, signal.SIGKILL)
        host.wait(timeout=10)
        assert _gone(worker, within=10.0), f"worker {worker} outlived its host"
    finally:
        if host.poll() is None:
            host.kill()


def test_smollm2_through_the_worker_is_byte_identical_to_in_process() -> None:
    """The worker runs the in-process runner's code: same prompt, grammar and seed, same
    bytes, greedy and sampled."""
    from neurojit import models
    from neurojit.llm_pass import grammar as g
    from neurojit.llm_pass.runners.llama import LlamaRunner

    entry = models.find_entry("smollm2-135m")
    if not models.is_present(entry):
        pytest.skip("SmolLM2-135M not fetched: run `make models`")
    path = str(models.model_path(entry))
    shape = g.FunctionShape(
        name="safe_div",
        params=[("%a", "i64"), ("%b", "i64")],
        results=["i64"],
        value_names=["%q", "%zero", "%c0"],
        types=["i64", "i1"],
    )
    gbnf = g.specialize_gbnf(shape)
    prompt = (
        "You repair MLIR functions. Answer with one complete func.func and nothing else.\n"
        "The function below divides by zero when %b is 0. Return 0 in that case.\n\n"
        "func.func @safe_div(%a: i64, %b: i64) -> i64 {\n"
        "  %q = arith.divsi %a, %b : i64\n  func.return %q : i64\n}\n\nRepaired function:\n"
    )
    worker = WorkerRunner(path, n_ctx=1024)
    inproc = LlamaRunner(path, n_ctx=1024)
    try:
        for temperature, seed in ((0.0, 0), (0.8, 7)):
            a = worker.query(prompt, gbnf, max_tokens=64, temperature=temperature, seed=seed)
            b = inproc.query(prompt, gbnf, max_tokens=64, temperature=temperature, seed=seed)
            assert a.tokens > 0 and a.text == b.text
            assert worker.last_stats["generated_tokens"] == inproc.last_stats["generated_tokens"]
    finally:
        worker.close()
