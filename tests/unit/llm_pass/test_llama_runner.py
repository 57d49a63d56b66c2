"""The llama runner: on the real SmolLM2-135M (from `make models`), and on a tiny random GGUF
built here for fuzzing the grammar through llama.cpp itself."""

from __future__ import annotations

import random
import sys
import threading
from pathlib import Path

import pytest

pytest.importorskip("llama_cpp")

from neurojit import models  # noqa: E402
from neurojit.llm_pass import grammar as g  # noqa: E402
from neurojit.llm_pass.runners.base import ModelRunner, make_runner  # noqa: E402
from neurojit.llm_pass.runners.llama import LlamaRunner  # noqa: E402
from tools import grammar_testing as gt  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
from tiny_gguf import build_tiny_gguf  # noqa: E402

SMOLLM2 = models.model_path(models.find_entry("smollm2-135m"))

SHAPE = g.FunctionShape(
    name="safe_div",
    params=[("%a", "i64"), ("%b", "i64")],
    results=["i64"],
    value_names=["%q", "%zero", "%c0"],
    types=["i64", "i1"],
)
FUNC = """func.func @safe_div(%a: i64, %b: i64) -> i64 {
  %q = arith.divsi %a, %b : i64
  func.return %q : i64
}"""
PROMPT = (
    "You repair MLIR functions. Answer with one complete func.func and nothing else.\n"
    "The function below divides by zero when %b is 0. Return 0 in that case.\n\n"
    f"{FUNC}\n\nRepaired function:\n"
)


@pytest.fixture(scope="module")
def smollm2() -> LlamaRunner:
    if not models.is_present(models.find_entry("smollm2-135m")):
        pytest.skip("SmolLM2-135M not fetched: run `make models`")
    runner = make_runner("llama", model=str(SMOLLM2), n_ctx=512)
    runner.load()
    return runner


@pytest.fixture(scope="module")
def gbnf() -> str:
    return g.specialize_gbnf(SHAPE)


def test_runner_satisfies_the_protocol(smollm2: LlamaRunner) -> None:
    assert isinstance(smollm2, ModelRunner)
    assert smollm2.name == "llama" and smollm2.model.endswith(".gguf")


def test_outputs_under_the_grammar_parse(smollm2: LlamaRunner, gbnf: str) -> None:
    lark_text = g.specialize_typed(SHAPE)  # specialize_gbnf is typed by default
    finished = 0
    for seed, temperature in [(0, 0.0), (1, 0.9), (2, 0.9), (3, 1.2)]:
        result = smollm2.query(PROMPT, gbnf, max_tokens=96, temperature=temperature, seed=seed)
        assert result.tokens > 0
        text = result.text
        assert text.startswith(SHAPE.header() + " {")
        if smollm2.last_stats["finish_reason"] != "stop":
            continue  # cut off by max_tokens: a prefix, checked below only as a prefix
        finished += 1
        assert gt.xdsl_syntax_error(text) is None, text
        assert gt.check(text, lark_text) is None, text
    assert finished >= 2


def test_deterministic_with_a_seed_and_with_prompt_state_reuse(
    smollm2: LlamaRunner, gbnf: str
) -> None:
    first = smollm2.query(PROMPT, gbnf, max_tokens=48, temperature=0.8, seed=7)
    again = smollm2.query(PROMPT, gbnf, max_tokens=48, temperature=0.8, seed=7)
    assert smollm2.last_stats["reused_tokens"] > 0  # the second read reused the prefix
    assert again.text == first.text
    fresh = LlamaRunner(str(SMOLLM2), n_ctx=512, reuse_prefix=False)
    assert fresh.query(PROMPT, gbnf, max_tokens=48, temperature=0.8, seed=7).text == first.text
    # A prompt sharing only part of the prefix reuses whole blocks and still matches fresh.
    other = PROMPT.replace("Repaired function:", "Keep the value names.\nRepaired function:")
    reused = smollm2.query(other, gbnf, max_tokens=48, temperature=0.0, seed=1)
    assert 0 < smollm2.last_stats["reused_tokens"] < smollm2.last_stats["prompt_tokens"]
    assert fresh.query(other, gbnf, max_tokens=48, temperature=0.0, seed=1).text == reused.text


def test_streaming_and_cancellation(smollm2: LlamaRunner, gbnf: str) -> None:
    pieces: list[str] = []
    result = smollm2.query(PROMPT, gbnf, max_tokens=40, on_token=pieces.append)
    assert "".join(pieces) == result.text
    cancel = threading.Event()
    seen: list[str] = []

    def stop_after_five(piece: str) -> None:
        seen.append(piece)
        if len(seen) == 5:
            cancel.set()

    cut = smollm2.query(PROMPT, gbnf, max_tokens=40, on_token=stop_after_five, cancel=cancel)
    assert smollm2.last_stats["finish_reason"] == "cancel"
    # The default runner is the worker: a cancel crosses the socket while it decodes, so it
    # may produce a token or two more than the in-process runner would (exactly 5).
    assert 5 <= cut.tokens <= 8 and result.text.startswith(cut.text)


def test_prompt_lookup_matches_plain_greedy_decoding(smollm2: LlamaRunner, gbnf: str) -> None:
    """Prompt lookup verifies drafted tokens in batches; here greedy text must not change."""
    plain = smollm2.query(PROMPT, gbnf, max_tokens=64, temperature=0.0, seed=0)
    lookup = LlamaRunner(str(SMOLLM2), n_ctx=512, prompt_lookup=4)
    drafted = lookup.query(PROMPT, gbnf, max_tokens=64, temperature=0.0, seed=0)
    assert drafted.text == plain.text


def test_default_model_and_missing_model_errors(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from neurojit.errors import NeuroJITError

    monkeypatch.setenv(models.MODELS_DIR_ENV, str(tmp_path))
    monkeypatch.delenv(models.DEFAULT_MODEL_ENV, raising=False)
    with pytest.raises(NeuroJITError, match="models fetch smollm2-135m"):
        LlamaRunner().load()
    with pytest.raises(NeuroJITError, match="neither a file nor a registry name"):
        LlamaRunner("no-such-model").load()


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> LlamaRunner:
    path = build_tiny_gguf(tmp_path_factory.mktemp("gguf") / "tiny.gguf")
    runner = LlamaRunner(str(path), n_ctx=2048)
    runner.load()
    return runner


def test_fuzz_grammars_through_llama_cpp_with_random_weights(tiny: LlamaRunner) -> None:
    """Random weights under the grammar: every finished answer parses with xDSL."""
    shapes = [
        SHAPE,
        g.FunctionShape(
            name="step",
            params=[("%state", "memref<4xf64>"), ("%dt", "f64"), ("%n", "i64")],
            results=["f64"],
            value_names=["%alt", "%vel", "%i", "%c0"],
            callees={"thrust": (["f64"], ["f64"]), "log": (["i64"], [])},
            blocks=["^bb1"],
            types=["f64", "memref<4xf64>", "index", "i64"],
        ),
    ]
    rng = random.Random(0)
    finished = 0
    for shape in shapes:
        gbnf = g.specialize_gbnf(shape)
        for _ in range(10):
            result = tiny.query(
                "x", gbnf, max_tokens=1200, temperature=1.0, seed=rng.randrange(9999)
            )
            assert result.text.startswith(shape.header())
            assert ";" not in result.text and "`" not in result.text
            if tiny.last_stats["finish_reason"] == "stop":
                finished += 1
                assert gt.xdsl_syntax_error(result.text) is None, result.text
    assert finished >= 10


def test_lazy_grammar_is_byte_identical_to_the_stock_path_when_greedy(
    smollm2: LlamaRunner, tiny: LlamaRunner, gbnf: str
) -> None:
    """Checking only the sampled token (full mask on rejection) must not change greedy text:
    on SmolLM2 rejections are rare, on random weights nearly every token is rejected."""
    for runner, prompt, budget in [(smollm2, PROMPT, 64), (tiny, "x", 300)]:
        stock = LlamaRunner(runner.model, n_ctx=runner.settings.n_ctx, lazy_grammar=False)
        for seed in (0, 1):
            lazy_text = runner.query(prompt, gbnf, max_tokens=budget, temperature=0.0, seed=seed)
            assert runner.last_stats["grammar_fallbacks"] >= 0
            stock_text = stock.query(prompt, gbnf, max_tokens=budget, temperature=0.0, seed=seed)
            assert lazy_text.text == stock_text.text
    assert tiny.last_stats["grammar_fallbacks"] > 0  # the fallback path really ran
