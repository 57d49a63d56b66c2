"""Self-healing: the one place that joins the runtime and the repair pass.

- `loop.py`: `SelfHealingModule`, the loop (call → fault → `#neurojit.fault` → `llm-repair`
  → swap → re-run);
- `options.py`: `HealingOptions` (every `llm-repair` option, plus the loop's bounds);
- `report.py`: the records (`RepairRecord`, `AttemptRecord`), `Unrepaired`, `fault_to_json`,
  the progress lines;
- `stored_repairs.py`: the strategy store's repairs installed without a fault: pre-applied at
  load, propagated live from other processes, each re-validated first;
- `events.py`: the events appended to the store (`neurojit cache stats`);
- `live_runner.py`: the model runner as the loop uses it (built lazily, queries bounded).

The CLI flags are `neurojit.cli.healing_flags` (`add_healing_arguments`,
`options_from_args`); importing them from here still works.
"""

from __future__ import annotations

from typing import Any

from neurojit.healing.loop import SelfHealingModule
from neurojit.healing.options import RUNNER_CHOICES, HealingOptions
from neurojit.healing.report import (
    EXIT_UNREPAIRED,
    AttemptRecord,
    Progress,
    RepairRecord,
    Unrepaired,
    fault_to_json,
)

__all__ = [
    "EXIT_UNREPAIRED",
    "RUNNER_CHOICES",
    "AttemptRecord",
    "HealingOptions",
    "Progress",
    "RepairRecord",
    "SelfHealingModule",
    "Unrepaired",
    "add_healing_arguments",
    "fault_to_json",
    "options_from_args",
]

# The CLI's names, where they lived before `neurojit/cli/healing_flags.py`: imported on first
# use, so the package does not import the CLI layer (the CLI imports it).
_CLI_NAMES = ("add_healing_arguments", "options_from_args")


def __getattr__(name: str) -> Any:
    if name in _CLI_NAMES:
        from neurojit.cli import healing_flags

        return getattr(healing_flags, name)
    raise AttributeError(f"module 'neurojit.healing' has no attribute '{name}'")
