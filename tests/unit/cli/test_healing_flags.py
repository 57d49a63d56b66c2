"""The self-healing flags (`neurojit-run`, the lander) are generated from `HealingOptions`:
each flag sets its field, every flag in use before is still there, and nothing in the group
lacks a field behind it."""

from __future__ import annotations

import argparse
import dataclasses
from typing import Any

import pytest

from neurojit.cli.healing_flags import add_healing_arguments, options_from_args
from neurojit.errors import UsageError
from neurojit.healing import HealingOptions

# flag -> (command-line words, field, value expected in HealingOptions)
SAMPLES: dict[str, tuple[list[str], str, Any]] = {
    "--runner": (["--runner", "mock"], "runner", "mock"),
    "--model": (["--model", "m.gguf"], "model", "m.gguf"),
    "--url": (["--url", "http://127.0.0.1:9/v1"], "url", "http://127.0.0.1:9/v1"),
    "--responses": (["--responses", "r.txt"], "responses", "r.txt"),
    "--max-attempts": (["--max-attempts", "5"], "max_attempts", 5),
    "--proposers": (["--proposers", "model"], "proposers", ("model",)),
    "--hints": (["--hints", "rules"], "hints", "rules"),
    "--cache": (["--cache", "sqlite:///tmp/s.db"], "cache", "sqlite:///tmp/s.db"),
    "--no-cache": (["--no-cache"], "cache", "none"),
    "--temperature": (["--temperature", "0.5"], "temperature", 0.5),
    "--seed": (["--seed", "7"], "seed", 7),
    "--max-tokens": (["--max-tokens", "99"], "max_tokens", 99),
    "--examples": (["--examples", "1"], "examples", 1),
    "--localize": (["--no-localize"], "localize", False),
    "--retry": (["--retry", "greedy"], "retry", "greedy"),
    "--prompt-log": (["--prompt-log", "p.log"], "prompt_log", "p.log"),
    "--query-timeout": (["--query-timeout", "3"], "query_timeout", 3.0),
}

# The flags neurojit-run and the lander had before they were generated.
HISTORIC = {
    "--runner", "--model", "--url", "--responses", "--max-attempts", "--proposers", "--hints",
    "--cache", "--no-cache", "--query-timeout",
}  # fmt: skip


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="t", exit_on_error=False)
    add_healing_arguments(p)
    return p


def group_flags(p: argparse.ArgumentParser) -> set[str]:
    [group] = [g for g in p._action_groups if g.title == "self-healing"]
    return {s for a in group._group_actions for s in a.option_strings if s.startswith("--")}


def test_the_flags_are_the_flagged_fields() -> None:
    flags = group_flags(parser())
    assert HISTORIC <= flags, HISTORIC - flags
    assert set(SAMPLES) | {"--no-localize"} == flags, "add a sample for the new flag"
    flagged = {f.name for f in dataclasses.fields(HealingOptions) if f.metadata["flag"]}
    assert flagged == {field for _, field, _ in SAMPLES.values()}


def test_no_flags_give_the_default_options() -> None:
    assert options_from_args(parser().parse_args([])) == HealingOptions()


@pytest.mark.parametrize("flag", sorted(SAMPLES))
def test_each_flag_sets_its_field(flag: str) -> None:
    words, name, expected = SAMPLES[flag]
    options = options_from_args(parser().parse_args(words))
    assert getattr(options, name) == expected
    assert expected != getattr(HealingOptions(), name)
    assert dataclasses.replace(options, **{name: getattr(HealingOptions(), name)}) == (
        HealingOptions()
    )


def test_bad_values_are_usage_errors() -> None:
    with pytest.raises(UsageError, match="--max-attempts must be at least 1"):
        options_from_args(parser().parse_args(["--max-attempts", "0"]))
    with pytest.raises(UsageError, match="unknown proposer 'oracle'"):
        options_from_args(parser().parse_args(["--proposers", "rules,oracle"]))
    with pytest.raises(argparse.ArgumentError):
        parser().parse_args(["--retry", "sometimes"])


def test_cache_and_no_cache_exclude_each_other() -> None:
    with pytest.raises(argparse.ArgumentError, match="not allowed with argument --cache"):
        parser().parse_args(["--cache", "c.json", "--no-cache"])


def test_the_old_import_path_still_works() -> None:
    from neurojit import healing

    assert healing.add_healing_arguments is add_healing_arguments
    assert healing.options_from_args is options_from_args
    with pytest.raises(AttributeError):
        _ = healing.no_such_name  # type: ignore[attr-defined]
