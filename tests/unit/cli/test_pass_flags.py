"""mlir-opt pass flags → one xDSL pipeline."""

from __future__ import annotations

import pytest

from neurojit.cli.pass_flags import options_to_spec, translate
from neurojit.errors import UsageError

PASSES = {"canonicalize", "cse", "llm-repair", "my-pass"}


def test_flags_become_one_pipeline_in_order() -> None:
    argv = ["in.mlir", "--canonicalize", "-o", "out.mlir", "--cse", "--print-op-generic"]
    assert translate(argv, PASSES) == [
        "-p",
        "canonicalize,cse",
        "in.mlir",
        "-o",
        "out.mlir",
        "--print-op-generic",
    ]


def test_dash_p_pieces_keep_their_place() -> None:
    argv = ["--cse", "-p", "a,b{x=1}", "--canonicalize", "--passes=c", "-pd"]
    assert translate(argv, PASSES) == ["-p", "cse,a,b{x=1},canonicalize,c,d"]


def test_no_passes_no_pipeline() -> None:
    assert translate(["x.mlir", "--split-input-file"], PASSES) == ["x.mlir", "--split-input-file"]


def test_unknown_flags_are_left_for_argparse() -> None:
    assert translate(["--no-such-pass", "x.mlir"], PASSES) == ["--no-such-pass", "x.mlir"]


def test_options_quote_bare_words_and_keep_numbers() -> None:
    got = translate(["--llm-repair=runner=mock responses=a/b.txt attempts=3 greedy=true"], PASSES)
    assert got == [
        "-p",
        'llm-repair{runner="mock" responses="a/b.txt" attempts=3 greedy=true}',
    ]


def test_options_already_quoted_or_braced() -> None:
    assert options_to_spec("llm-repair", 'runner=mock responses="a/b.txt"') == (
        'llm-repair{runner="mock" responses="a/b.txt"}'
    )
    assert options_to_spec("my-pass", "{opt=1}") == "my-pass{opt=1}"
    assert options_to_spec("my-pass", "") == "my-pass"
    assert options_to_spec("my-pass", "flag") == "my-pass{flag}"
    assert options_to_spec("my-pass", "xs=1,2,3 f=-1.5e3") == "my-pass{xs=1,2,3 f=-1.5e3}"


def test_quotes_inside_values_are_escaped() -> None:
    assert options_to_spec("p", """msg='say "hi"'""") == 'p{msg="say \\"hi\\""}'


def test_bad_options_are_usage_errors() -> None:
    with pytest.raises(UsageError, match="bad options for pass 'my-pass'"):
        options_to_spec("my-pass", 'x="unterminated')
    with pytest.raises(UsageError, match="has no name"):
        options_to_spec("my-pass", "=3")
    with pytest.raises(UsageError, match="needs a pass pipeline"):
        translate(["-p"], PASSES)


def test_mlir_opt_spellings_of_driver_flags() -> None:
    argv = ["-split-input-file", "-verify-diagnostics", "--mlir-print-op-generic", "-cse"]
    assert translate(argv, PASSES) == [
        "-p",
        "cse",
        "--split-input-file",
        "--verify-diagnostics",
        "--print-op-generic",
    ]
    # Not the -p pipeline "rint-op-generic".
    assert translate(["-print-op-generic"], PASSES) == ["--print-op-generic"]
    assert translate(["-mlir-print-debuginfo"], PASSES) == ["--print-debuginfo"]
