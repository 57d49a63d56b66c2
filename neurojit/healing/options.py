"""How to heal: every `llm-repair` option (`RepairOptions`, declared once in
`neurojit/llm_pass/options.py`), plus the loop's own bounds. The CLI flags of `neurojit-run`
and the lander are generated from these fields (`neurojit/cli/healing_flags.py`)."""

from __future__ import annotations

from dataclasses import dataclass, fields

from neurojit.llm_pass.options import RepairOptions, option

RUNNER_CHOICES = ("llama", "llama-inproc", "openai", "gemini", "mock", "none")


@dataclass
class HealingOptions(RepairOptions):
    """`RepairOptions` for the repairs the loop runs, and the loop's own bounds."""

    runner: str = option(
        "llama",
        "repair model backend; 'none' turns healing off (a fault exits 3)",
        flag=True,
        choices=RUNNER_CHOICES,
    )
    # The pass's default (2 s) is too short for a program's own calls: unset, a validation
    # run gets the module's call timeout, at most 5 s.
    timeout: float | None = option(
        None,
        "seconds each candidate's validation run may take (default: the call timeout, at most 5)",
    )
    # The loop's own: not options of the pass (in_pass=False).
    ring_size: int = option(
        32, "recorded successful calls kept per entry called from Python", in_pass=False
    )
    max_repairs_per_call: int = option(
        3,
        "repairs of one call (a repaired function that faults again is repaired again)",
        in_pass=False,
    )
    preapply: bool = option(
        True, "swap in cached repairs at load (off: they apply at the fault)", in_pass=False
    )
    query_timeout: float = option(
        120.0, "cancel a model query after this long", in_pass=False, flag=True, metavar="SECONDS"
    )

    @property
    def enabled(self) -> bool:
        return self.runner != "none"  # "none": no healing at all, the program runs as written

    @property
    def cache_enabled(self) -> bool:
        return self.enabled and (self.cache or "").strip().lower() != "none"

    def repair_options(self, call_timeout: float) -> RepairOptions:
        """The `llm-repair` options of one repair: each `RepairOptions` field as set here."""
        given = {f.name: getattr(self, f.name) for f in fields(RepairOptions)}
        given["timeout"] = self.timeout if self.timeout is not None else min(call_timeout, 5.0)
        return RepairOptions(**given)
