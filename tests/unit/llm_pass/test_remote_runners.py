"""HTTP runners against loopback servers only: a real `python -m llama_cpp.server` (with a
tiny random GGUF) for `openai`, and a small http.server speaking generateContent for `gemini`."""

from __future__ import annotations

import http.server
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from neurojit.errors import NeuroJITError
from neurojit.llm_pass import grammar as g
from neurojit.llm_pass.runners.base import ModelRunner, make_runner
from tools import grammar_testing as gt

sys.path.insert(0, str(Path(__file__).parent))
from tiny_gguf import build_tiny_gguf  # noqa: E402

SHAPE = g.FunctionShape(
    name="f", params=[("%a", "i64"), ("%b", "i64")], results=["i64"], value_names=["%q"]
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_llama_server(model: Path) -> tuple[subprocess.Popen[bytes], str]:
    """llama-cpp-python's OpenAI server on 127.0.0.1, through NeuroJIT's launcher (which
    loads the portable build's CPU backend first)."""
    pytest.importorskip("llama_cpp.server.app", reason="needs llama-cpp-python[server] deps")
    port = _free_port()
    env = {**os.environ, "OMP_WAIT_POLICY": "PASSIVE"}
    cmd = [sys.executable, "-m", "neurojit.llm_pass.runners.llama_server", "--model",
           str(model), "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "2048",
           "--n_threads", "2", "--verbose", "False"]  # fmt: skip
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}/v1"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{url}/models", timeout=1).close()
            return proc, url
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                err = proc.stderr.read().decode() if proc.stderr else ""
                pytest.fail(f"llama_cpp.server did not start: {err[-500:]}")
            time.sleep(0.2)


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_gguf(tmp_path_factory.mktemp("srv") / "tiny.gguf")


@pytest.fixture(scope="module")
def llama_server(tiny_model: Path) -> Iterator[str]:
    proc, url = _start_llama_server(tiny_model)
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_a_server_that_dies_mid_answer_is_a_failed_query(tiny_model: Path) -> None:
    """Like a dying model worker: one line with the reason, never a short answer."""
    proc, url = _start_llama_server(tiny_model)
    try:
        runner = make_runner("openai", url=url, model="tiny")
        seen: list[str] = []

        def kill_after_three(piece: str) -> None:
            seen.append(piece)
            if len(seen) == 3:
                proc.kill()
                proc.wait(timeout=10)

        with pytest.raises(NeuroJITError, match="openai server at .* mid-answer") as err:
            runner.query("x", None, max_tokens=2000, temperature=1.0, on_token=kill_after_three)
        assert "\n" not in str(err.value) and len(seen) >= 3
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)


def test_openai_runner_samples_under_the_grammar(llama_server: str) -> None:
    runner = make_runner("openai", url=llama_server, model="tiny")
    assert isinstance(runner, ModelRunner)
    gbnf = g.specialize_gbnf(SHAPE)
    for seed in range(4):
        pieces: list[str] = []
        result = runner.query(
            "x", gbnf, max_tokens=400, temperature=1.0, seed=seed, on_token=pieces.append
        )
        # Random weights only write MLIR if the server really applied the grammar.
        assert result.text.startswith(SHAPE.header() + " {")
        assert "".join(pieces) == result.text and result.tokens > 0
        if runner.last_stats["finish_reason"] == "stop":
            assert gt.xdsl_syntax_error(result.text) is None, result.text
    again = runner.query("x", gbnf, max_tokens=60, temperature=1.0, seed=3)
    assert again.text == runner.query("x", gbnf, max_tokens=60, temperature=1.0, seed=3).text


def test_openai_runner_cancels_mid_stream(llama_server: str) -> None:
    runner = make_runner("openai", url=llama_server)
    cancel = threading.Event()
    seen: list[str] = []

    def on_token(piece: str) -> None:
        seen.append(piece)
        if len(seen) == 3:
            cancel.set()

    result = runner.query("x", None, max_tokens=100, on_token=on_token, cancel=cancel)
    assert runner.last_stats["finish_reason"] == "cancel" and len(seen) == 3
    assert result.text == "".join(seen)


def test_openai_runner_unreachable_is_one_line() -> None:
    runner = make_runner("openai", url=f"http://127.0.0.1:{_free_port()}/v1")
    with pytest.raises(NeuroJITError, match="cannot reach the openai server") as err:
        runner.query("x", max_tokens=4, temperature=0.0, seed=0)
    assert "\n" not in str(err.value)


class _Gemini(http.server.BaseHTTPRequestHandler):
    requests: list[tuple[str, dict[str, str], dict[str, Any]]] = []
    reply: tuple[int, dict[str, Any]] = (200, {})

    def do_POST(self) -> None:  # noqa: N802 (http.server API)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}, body))
        status, payload = self.reply
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def gemini_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Gemini)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _Gemini.requests = []
    monkeypatch.setenv("GEMINI_API_KEY", "test-key")
    yield f"http://127.0.0.1:{server.server_port}/v1beta"
    server.shutdown()
    server.server_close()


ANSWER = "func.func @f(%a: i64, %b: i64) -> i64 {\n  func.return %a : i64\n}"


def test_gemini_runner_speaks_generate_content(gemini_server: str) -> None:
    _Gemini.reply = (200, {
        "candidates": [{"content": {"role": "model", "parts": [
            {"text": ANSWER[:20]}, {"text": ANSWER[20:]}]}, "finishReason": "STOP"}],
        "usageMetadata": {"promptTokenCount": 9, "candidatesTokenCount": 21},
    })  # fmt: skip
    runner = make_runner("gemini", url=gemini_server, model="gemini-test")
    seen: list[str] = []
    result = runner.query("repair this", "root ::= x", max_tokens=77, temperature=0.3,
                          seed=5, on_token=seen.append)  # fmt: skip
    assert result.text == ANSWER and result.tokens == 21 and seen == [ANSWER]
    ((path, headers, body),) = _Gemini.requests
    assert path == "/v1beta/models/gemini-test:generateContent"
    assert headers["x-goog-api-key"] == "test-key"
    assert body["contents"] == [{"role": "user", "parts": [{"text": "repair this"}]}]
    config = body["generationConfig"]
    assert config["maxOutputTokens"] == 77 and config["temperature"] == 0.3
    assert config["seed"] == 5


def test_gemini_runner_errors_are_one_line(
    gemini_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = make_runner("gemini", url=gemini_server)
    _Gemini.reply = (400, {"error": {"code": 400, "message": "API key not valid"}})
    with pytest.raises(NeuroJITError, match="HTTP 400.*API key not valid") as err:
        runner.query("x", max_tokens=4, temperature=0.0, seed=0)
    assert "\n" not in str(err.value)
    _Gemini.reply = (200, {"promptFeedback": {"blockReason": "SAFETY"}})
    with pytest.raises(NeuroJITError, match="SAFETY"):
        runner.query("x", max_tokens=4, temperature=0.0, seed=0)
    monkeypatch.delenv("GEMINI_API_KEY")
    with pytest.raises(NeuroJITError, match="GEMINI_API_KEY"):
        runner.query("x", max_tokens=4, temperature=0.0, seed=0)
