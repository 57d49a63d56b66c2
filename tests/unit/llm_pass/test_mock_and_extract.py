"""The mock runner's response-file format and the answer extraction."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from neurojit.errors import NeuroJITError
from neurojit.llm_pass.extract import ExtractError, extract_function, extract_functions
from neurojit.llm_pass.runners.base import ModelRunner, make_runner
from neurojit.llm_pass.runners.mock import MockRunner


def test_responses_are_split_on_exact_separator_lines_and_served_in_order(tmp_path: Path) -> None:
    path = tmp_path / "r.txt"
    path.write_text("first\n  // -----\nstill first\n// -----\nsecond\n// -----  \n// -----\nthird")
    runner = make_runner("mock", responses=str(path))
    assert isinstance(runner, ModelRunner)
    texts = [runner.query("p", max_tokens=9, temperature=0.0, seed=0).text for _ in range(3)]
    # Only a line that is exactly `// -----` separates; an indented one or one with trailing
    # blanks is content.
    assert texts == ["first\n  // -----\nstill first\n", "second\n// -----  \n", "third"]
    with pytest.raises(NeuroJITError, match="ran out of responses after 3"):
        runner.query("p", max_tokens=9, temperature=0.0, seed=0)


def test_missing_response_file_is_a_one_line_error(tmp_path: Path) -> None:
    runner = MockRunner(responses=tmp_path / "nope.txt")
    with pytest.raises(NeuroJITError, match="cannot read mock responses"):
        runner.load()


def test_streaming_and_cancel() -> None:
    pieces: list[str] = []
    cancel = threading.Event()

    def on_token(piece: str) -> None:
        pieces.append(piece)
        if len(pieces) == 2:
            cancel.set()

    runner = MockRunner(answers=["a b c d"])
    result = runner.query(
        "p", max_tokens=9, temperature=0, seed=0, on_token=on_token, cancel=cancel
    )
    assert pieces == ["a ", "b "] and result.text == "a b "


def test_extract_handles_fences_prose_attributes_and_declarations() -> None:
    answer = (
        "Here:\n```mlir\nmodule {\n  func.func private @g(i64) -> i64\n"
        '  func.func @f(%a: i64) -> i64 attributes {note = "}{"} {\n'
        "    %r = func.call @g(%a) : (i64) -> i64 // } a comment brace\n"
        "    func.return %r : i64\n  }\n}\n```\nDone."
    )
    text = extract_function(answer, "f")
    assert text.startswith("func.func @f(") and text.endswith("}")
    assert "func.return %r : i64" in text and "Done" not in text and "module" not in text
    assert extract_functions(
        "func.func @h() {\n func.return\n}\nfunc.func @k() {\n func.return\n}"
    )[1].startswith("func.func @k")


def test_extract_rejects_no_or_incomplete_functions() -> None:
    with pytest.raises(ExtractError, match="no func.func"):
        extract_function("I cannot help with that.")
    with pytest.raises(ExtractError, match="incomplete"):
        extract_function("func.func @f(%a: i64) -> i64 {\n  func.return %a : i64\n")
