"""The llm-repair options are declared once (`RepairOptions`); the pass's fields and
`HealingOptions` must stay derived from that declaration.

These fail when an option is added to one place and not the others: a field written straight
into `LLMRepairPass`, a `RepairOptions` field the healing loop drops, an option without help.
`SAMPLES` holds one non-default value per option (spelled as a user types it), so a new option
also needs a sample here, which the round trips below then carry through every surface.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from xdsl.utils.arg_spec import parse_pipeline

from neurojit.errors import NeuroJITError
from neurojit.healing import HealingOptions
from neurojit.llm_pass.llm_repair import LLMRepairPass
from neurojit.llm_pass.options import RepairOptions

# option -> (pass spelling `key=value`, value expected in RepairOptions)
SAMPLES: dict[str, tuple[str, Any]] = {
    "runner": ("runner=mock", "mock"),
    "model": ('model="m.gguf"', "m.gguf"),
    "url": ('url="http://127.0.0.1:9/v1"', "http://127.0.0.1:9/v1"),
    "responses": ('responses="r.txt"', "r.txt"),
    "max_attempts": ("max-attempts=5", 5),
    "proposers": ("proposers=model", ("model",)),
    "hints": ("hints=rules", "rules"),
    "cache": ('cache="none"', "none"),
    "temperature": ("temperature=1", 1.0),
    "seed": ("seed=7", 7),
    "max_tokens": ("max-tokens=99", 99),
    "timeout": ("timeout=3", 3.0),
    "examples": ("examples=1", 1),
    "localize": ("localize=false", False),
    "retry": ("retry=greedy", "greedy"),
    "prompt_log": ('prompt-log="p.log"', "p.log"),
    "require_behaviour_check": ("", False),  # not a pass option: the pass always sets it
}

# Every pass option spelling in use before the options were derived (lit tests use them).
HISTORIC_PASS_OPTIONS = {
    "runner", "model", "url", "responses", "max-attempts", "proposers", "hints", "cache",
    "temperature", "seed", "max-tokens", "timeout", "prompt-log", "localize", "retry",
}  # fmt: skip


def declared(cls: type) -> dict[str, dataclasses.Field[Any]]:
    return {f.name: f for f in dataclasses.fields(cls)}


def pass_option_names() -> list[str]:
    return [f.name for f in dataclasses.fields(RepairOptions) if f.metadata["pass"]]


def test_every_option_has_help_and_a_sample() -> None:
    for cls in (RepairOptions, HealingOptions):
        for f in dataclasses.fields(cls):
            assert f.metadata.get("help"), f"{cls.__name__}.{f.name} has no help"
    assert set(SAMPLES) == set(declared(RepairOptions)), "add a sample for the new option"


def test_the_pass_fields_are_the_declared_pass_options() -> None:
    fields = declared(LLMRepairPass)
    assert list(fields) == pass_option_names()
    for name, f in fields.items():
        assert f.default == declared(RepairOptions)[name].default, name
    spelled = {name.replace("_", "-") for name in fields}
    assert HISTORIC_PASS_OPTIONS <= spelled, HISTORIC_PASS_OPTIONS - spelled


def test_each_pass_option_reaches_repair_options() -> None:
    defaults = RepairOptions(require_behaviour_check=True)
    assert LLMRepairPass().options() == defaults
    for name in pass_option_names():
        spelled, expected = SAMPLES[name]
        [spec] = parse_pipeline(f"llm-repair{{{spelled}}}")
        options = LLMRepairPass.from_pass_spec(spec).options()
        assert getattr(options, name) == expected, name
        assert expected != getattr(defaults, name), f"the sample of {name} is its default"
        # ...and nothing else moved.
        assert dataclasses.replace(options, **{name: getattr(defaults, name)}) == defaults


def test_the_pass_keeps_rejecting_bad_values() -> None:
    [spec] = parse_pipeline('llm-repair{proposers="rules,oracle"}')
    with pytest.raises(NeuroJITError, match="unknown proposer 'oracle'"):
        LLMRepairPass.from_pass_spec(spec).options()
    [spec] = parse_pipeline("llm-repair{max-attemps=2}")
    with pytest.raises(ValueError, match="max_attemps"):
        LLMRepairPass.from_pass_spec(spec)


@pytest.mark.parametrize(
    ("option", "value", "low"), [("max_tokens", 0, 1), ("examples", -1, 0), ("max_attempts", -2, 0)]
)
def test_bounds_below_their_floor_are_refused(option: str, value: int, low: int) -> None:
    """A negative token cap would reach llama.cpp as 'no limit': refused where declared."""
    flag = option.replace("_", "-")
    with pytest.raises(NeuroJITError, match=f"{flag} must be >= {low}, not {value}"):
        RepairOptions(**{option: value})
    [spec] = parse_pipeline(f"llm-repair{{{option}={value}}}")
    with pytest.raises(NeuroJITError, match=f"{flag} must be >= {low}"):
        LLMRepairPass.from_pass_spec(spec).options()


def test_healing_options_extend_repair_options() -> None:
    repair, healing = declared(RepairOptions), declared(HealingOptions)
    assert set(repair) <= set(healing)
    for name in set(healing) - set(repair):  # the loop's own bounds
        assert not healing[name].metadata["pass"], f"{name} is not a field of the pass"
    for name, f in repair.items():
        if name != "timeout":  # unset in the loop: the call timeout, at most 5 s
            assert healing[name].default == f.default, name
    assert HealingOptions().repair_options(10.0) == RepairOptions(timeout=5.0)
    assert HealingOptions().repair_options(0.5).timeout == 0.5


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_each_healing_option_reaches_the_repairs(name: str) -> None:
    expected = SAMPLES[name][1]
    if name == "require_behaviour_check":
        expected = True
    options = HealingOptions(**{name: expected}).repair_options(10.0)
    assert getattr(options, name) == expected
