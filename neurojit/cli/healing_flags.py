"""The self-healing flags of `neurojit-run` and the lander, generated from `HealingOptions`:
one `--hyphenated-name` flag per field whose metadata says `flag` (the option's own default,
type, choices and help), so a new option is a new flag without a second declaration."""

from __future__ import annotations

import argparse
from dataclasses import MISSING
from typing import Any

from neurojit.errors import NeuroJITError, UsageError
from neurojit.healing.options import HealingOptions
from neurojit.llm_pass.options import option_fields, value_type


def flag_fields() -> list[tuple[Any, Any]]:
    """(field, value type) of each `HealingOptions` field that is a CLI flag."""
    return [
        (f, value_type(hint)) for f, hint in option_fields(HealingOptions) if f.metadata["flag"]
    ]


def flag_name(field_name: str) -> str:
    return "--" + field_name.replace("_", "-")


def add_healing_arguments(parser: argparse.ArgumentParser) -> None:
    """The self-healing flags shared by `neurojit-run` and the lander driver."""
    group = parser.add_argument_group("self-healing")
    for f, kind in flag_fields():
        meta = f.metadata
        help_text = meta["help"]
        if f.default is not None and f.default is not MISSING:
            help_text += " (default %(default)s)"
        kwargs: dict[str, Any] = {"default": f.default, "help": help_text}
        if kind is bool:
            kwargs["action"] = argparse.BooleanOptionalAction
        elif kind in (int, float):
            kwargs["type"] = kind
        if meta["choices"] is not None:
            kwargs["choices"] = meta["choices"]
        if meta["metavar"] is not None:
            kwargs["metavar"] = meta["metavar"]
        target: Any = group
        if meta["none_flag"]:
            # `--no-cache` is `--cache none`, and naming both is a usage error.
            target = group.add_mutually_exclusive_group()
        target.add_argument(flag_name(f.name), **kwargs)
        if meta["none_flag"]:
            target.add_argument(
                f"--no-{f.name.replace('_', '-')}", action="store_true", help=meta["none_flag"]
            )


def options_from_args(args: argparse.Namespace) -> HealingOptions:
    """The `HealingOptions` the flags ask for (a flag the parser lacks keeps its default)."""
    if getattr(args, "max_attempts", 1) < 1:
        raise UsageError("--max-attempts must be at least 1")
    given: dict[str, Any] = {}
    for f, _kind in flag_fields():
        value = getattr(args, f.name, f.default)
        if f.metadata["none_flag"] and getattr(args, f"no_{f.name}", False):
            value = "none"
        given[f.name] = value
    try:
        return HealingOptions(**given)
    except NeuroJITError as err:  # a bad --proposers or --retry is the user's spelling
        raise UsageError(err.message.removeprefix("llm-repair: ")) from None
