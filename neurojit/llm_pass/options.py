"""The `llm-repair` options, declared once: name, type, default and help of each.

`RepairOptions` is the declaration. Everything else is derived from its fields:
- the pass's options (`-p 'llm-repair{max-attempts=2}'`): `pass_options` adds one field to
  `LLMRepairPass` per option whose metadata says `pass`, and `from_pass` reads them back;
- `HealingOptions` (`neurojit/healing/options.py`) extends `RepairOptions` with the loop's
  own bounds;
- the self-healing CLI flags (`neurojit/cli/healing_flags.py`) are generated from the
  `HealingOptions` fields whose metadata says `flag`.
`tests/unit/llm_pass/test_options.py` checks that the three stay in sync.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from neurojit.errors import NeuroJITError

PROPOSERS = ("model", "rules")
RETRIES = ("escalate", "sample", "examples", "greedy")


def option(
    default: Any,
    help: str,
    *,
    in_pass: bool = True,
    flag: bool = False,
    choices: Sequence[str] | None = None,
    metavar: str | None = None,
    none_flag: str = "",
) -> Any:
    """One option: a dataclass field whose metadata says where it appears.

    `in_pass`: an `llm-repair{...}` option (spelled with hyphens or underscores). `flag`: a
    `--hyphenated-name` flag of `neurojit-run` and the lander (`choices` and `metavar` are
    argparse's). `none_flag`: help of a `--no-<name>` flag, exclusive with the first, that
    sets the option to "none".
    """
    return field(
        default=default,
        metadata={
            "help": help,
            "pass": in_pass,
            "flag": flag,
            "choices": tuple(choices) if choices is not None else None,
            "metavar": metavar,
            "none_flag": none_flag,
        },
    )


@dataclass
class RepairOptions:
    """How `llm-repair` repairs: the pass options, as plain Python."""

    runner: str = option(
        "llama",
        "repair model backend: mock|llama|llama-inproc|openai|gemini",
        flag=True,
    )
    model: str | None = option(None, "model for the runner (GGUF path or registry name)", flag=True)
    url: str | None = option(None, "server URL for the openai/gemini runners", flag=True)
    responses: str | None = option(None, "response file for the mock runner", flag=True)
    max_attempts: int = option(3, "model queries per fault", flag=True)
    # Rules first: on the repair benchmark they are correct as often as any chain with the
    # model first, and answer in milliseconds (docs/benchmarks.md, "Repair benchmark").
    proposers: Sequence[str] = option(
        "rules,model", "proposer order, a comma list of model and rules", flag=True
    )
    hints: str = option(
        "none", "rules: show the model the rules' candidates", flag=True, choices=("none", "rules")
    )
    cache: str | None = option(
        None,
        "strategy store: a path, file:PATH, sqlite:///PATH or redis://HOST:PORT/DB "
        "(default $NEUROJIT_CACHE, else ~/.neurojit/cache.json); none: no store",
        flag=True,
        metavar="URL",
        none_flag="neither read nor write the cache",
    )
    temperature: float = option(
        0.0, "sampling temperature (sampled retries use at least 0.7)", flag=True
    )
    seed: int = option(0, "sampling seed of the model", flag=True)
    max_tokens: int = option(768, "tokens a model answer may take", flag=True)
    timeout: float = option(2.0, "seconds each candidate's validation run may take")
    examples: int = option(2, "worked examples in a model prompt", flag=True)
    # Localized repair (hole.py): the model rewrites the faulting op, then its region op,
    # then the function, one attempt each. False: the whole function every time (as before).
    localize: bool = option(
        True, "the model writes a hole: the faulting op, its region, then the function", flag=True
    )
    # How attempts beyond the ladder differ: "escalate" (sampled retries of the smallest
    # hole, then the larger holes), "sample" (the smallest hole only, sampled), "examples"
    # (the smallest hole, greedy, another example set), "greedy" (as before issue 13).
    retry: str = option("escalate", "how the model's attempts differ", flag=True, choices=RETRIES)
    prompt_log: str | None = option(
        None, "append every prompt sent to the model to this file", flag=True, metavar="PATH"
    )
    # With no recorded calls, the original is run on inputs sampled from its argument types
    # and the candidate must agree (differential.sample_calls). When that is impossible: refuse
    # (True: the pass, which has nothing else) or accept on the other checks (the healing
    # loop, which also has the faulting call).
    require_behaviour_check: bool = option(
        False, "refuse a repair whose behaviour cannot be checked", in_pass=False
    )

    def __post_init__(self) -> None:
        if isinstance(self.proposers, str):
            self.proposers = tuple(p.strip() for p in self.proposers.split(",") if p.strip())
        unknown = [p for p in self.proposers if p not in PROPOSERS]
        if unknown or not self.proposers:
            raise NeuroJITError(
                f"llm-repair: unknown proposer '{unknown[0] if unknown else ''}' "
                f"(proposers is a comma list of: {', '.join(PROPOSERS)})"
            )
        if self.hints not in ("none", "rules"):
            raise NeuroJITError(f"llm-repair: hints must be none or rules, not '{self.hints}'")
        if self.retry not in RETRIES:
            raise NeuroJITError(
                f"llm-repair: retry must be one of {', '.join(RETRIES)}, not '{self.retry}'"
            )
        # A bound a model answer or prompt must live within: a negative one is a typo, not
        # "unbounded" (llama.cpp would read -5 tokens as no limit at all).
        for name, low in (("max_attempts", 0), ("max_tokens", 1), ("examples", 0)):
            value = getattr(self, name)
            if value < low:
                flag = name.replace("_", "-")
                raise NeuroJITError(f"llm-repair: {flag} must be >= {low}, not {value}")


def option_fields(cls: type) -> list[tuple[dataclasses.Field[Any], Any]]:
    """(field, resolved type) of each option of an options dataclass, in declaration order."""
    hints = typing.get_type_hints(cls)
    return [(f, hints[f.name]) for f in dataclasses.fields(cls) if f.init]


def value_type(hint: Any) -> Any:
    """The type of an option's value: `str | None` → str, `Sequence[str]` → str (a comma
    list), `float` → float."""
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    if typing.get_origin(hint) in (typing.Union, types.UnionType) and len(args) == 1:
        return value_type(args[0])
    if typing.get_origin(hint) is not None:  # Sequence[str] and the like
        return str
    return hint


# What the pass's fields accept beyond the option's own type: xDSL's spec parser reads `1` as
# an int, `false` as a bool or a string, and `rules,model` as a tuple.
_PASS_TYPES: dict[Any, Any] = {
    float: float | int,
    bool: bool | str,
    Sequence[str]: str | tuple[str, ...],
}

P = TypeVar("P", bound=type)


def pass_options(cls: P) -> P:
    """Class decorator (under `@dataclass`): one field per pass option of `RepairOptions`,
    with its default, and the options listed in the docstring."""
    annotations = cls.__dict__.get("__annotations__")
    if annotations is None:
        annotations = {}
        cls.__annotations__ = annotations
    listed = []
    for f, hint in option_fields(RepairOptions):
        if not f.metadata["pass"]:
            continue
        annotations[f.name] = _PASS_TYPES.get(hint, hint)
        setattr(cls, f.name, f.default)
        spelled = f.name.replace("_", "-")
        listed.append(f"    - {spelled}={_default_text(f.default)}: {f.metadata['help']}")
    head = (cls.__doc__ or "").rstrip()
    cls.__doc__ = f"{head}\n\n    Options (hyphens or underscores):\n" + "\n".join(listed)
    return cls


def _default_text(default: Any) -> str:
    if default is None:
        return "(unset)"
    return str(default).lower() if isinstance(default, bool) else str(default)


def _coerce(value: Any, hint: Any) -> Any:
    """A pass field's value as the option's type (`localize=false` may arrive as a string)."""
    kind = value_type(hint)
    if value is None:
        return None
    if kind is bool:
        return value if isinstance(value, bool) else str(value).lower() not in ("false", "0", "no")
    if kind is float:
        return float(value)
    return value


def from_pass(values: object, **overrides: Any) -> RepairOptions:
    """The `RepairOptions` of a pass instance built by `pass_options` (or of anything with
    the same attributes), with `overrides` on top."""
    given = {
        f.name: _coerce(getattr(values, f.name), hint)
        for f, hint in option_fields(RepairOptions)
        if f.metadata["pass"]
    }
    given.update(overrides)
    return RepairOptions(**given)
