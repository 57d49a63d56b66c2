"""What the healing loop reports: one record per fault healed (or not), the JSON report's
`repairs`/`faults` entries, the `Unrepaired` error the CLIs exit 3 on, and the progress lines
on stderr."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, TextIO

from neurojit.errors import NeuroJITError

if TYPE_CHECKING:
    from neurojit.fault_report import FaultReport
    from neurojit.llm_pass.llm_repair import FunctionRepair
    from neurojit.llm_pass.runners.base import RunnerResult

# Exit code of a run that stopped on a fault nobody could repair.
EXIT_UNREPAIRED = 3


@dataclass
class AttemptRecord:
    """One candidate: who proposed it and why it was rejected (reason "accepted" if not)."""

    proposer: str
    attempt: int
    reason: str
    accepted: bool = False
    tokens: int = 0
    seconds: float = 0.0
    tokens_per_second: float = 0.0
    rule: str = ""  # the rule template, for the rules proposer
    scope: str = ""  # model attempts: "operand", "op", "region" or "function" (its hole)


@dataclass
class RepairRecord:
    """One healed (or not) fault: the JSON report's `repairs` entry."""

    function: str
    fault_kind: str
    source: str  # "cache", "model", "rules" or "" when nothing was accepted
    runner: str
    model: str
    attempts: list[AttemptRecord] = field(default_factory=list)
    accepted: bool = False
    seconds: float = 0.0  # fault caught → accepted version swapped in
    swap_seconds: float = 0.0  # compile + slot store of the accepted version
    resume_seconds: float = 0.0  # fault caught → the re-run call returned
    repaired_text: str = ""
    rule: str = ""  # the template that made it, when source is "rules"
    validation: str = ""  # "dynamic", or "static only: why"
    diagnosis: str = ""
    # "replayed N recorded calls", "differential on N generated inputs" or "static only (why)"
    evidence: str = ""
    links: list[dict[str, Any]] = field(default_factory=list)  # each fault a chain removed
    selection: str = ""  # the smallest-edit selection, when there was nothing to replay

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["attempts"] = [asdict(a) for a in self.attempts]
        return data


class Unrepaired(NeuroJITError):
    """A fault no proposer could repair (or healing is off). The CLIs exit 3 with `str()`."""

    def __init__(self, report: FaultReport, record: RepairRecord | None, note: str = "") -> None:
        where = f" at {report.location}" if report.location else ""
        tail = f"; {note}" if note else ""
        if record is not None and record.attempts:
            tail = f"; no repair after {len(record.attempts)} candidate(s)"
        elif record is not None and record.diagnosis:
            tail = f"; {record.diagnosis}"
        super().__init__(f"{report.kind} in @{report.function}{where}: {report.message}{tail}")
        self.report = report
        self.record = record


def fault_to_json(report: FaultReport) -> dict[str, Any]:
    """The JSON report's `faults` entry (the runtime's own spelling of it)."""
    return report.to_json()


def plain(value: Any) -> Any:
    """A JSON-able view of a call input or result."""
    if hasattr(value, "tolist"):
        return value.tolist()
    if isinstance(value, tuple | list):
        return [plain(v) for v in value]
    return value


class Progress:
    """Progress lines on stderr, each prefixed so they stand out from program output."""

    def __init__(self, stream: TextIO | None) -> None:
        self.stream = stream

    def __call__(self, message: str) -> None:
        if self.stream is not None:
            print(f"neurojit: {message}", file=self.stream, flush=True)


def record_of(
    name: str,
    kind: str,
    done: FunctionRepair | None,
    *,
    runner: str,
    model: str,
    results: Sequence[RunnerResult],
    say: Progress,
) -> RepairRecord:
    """The loop's record of what `llm-repair` did for @`name` (`done`; None when the pass
    found nothing to repair), with a progress line per attempt. `results` are the runner's
    answers to this repair's queries, in order: their own token rates."""
    record = RepairRecord(function=name, fault_kind=kind, source="", runner=runner, model=model)
    if done is None:
        record.diagnosis = "llm-repair found nothing to repair"
        return record
    # The runner's own timing of this repair's queries (the pass's attempt time also
    # includes validation): model attempt k that reached the model is query k.
    answered = iter(results)
    for a in done.attempts:
        source = a.source if a.source in ("cache", "rules", "chain") else "model"
        tokens_per_second = 0.0
        reached_model = not (a.reason or "").startswith(("runner failed", "runner unavailable"))
        if source == "model" and reached_model:
            result = next(answered, None)
            tokens_per_second = result.tokens_per_second if result is not None else 0.0
        attempt = AttemptRecord(
            proposer=source,
            attempt=a.attempt,
            reason=a.reason or "accepted",
            accepted=a.reason is None,
            tokens=a.tokens,
            seconds=a.seconds,
            tokens_per_second=tokens_per_second,
            rule=a.label,
            scope=a.scope,
        )
        record.attempts.append(attempt)
        rate = f" ({a.tokens} tokens)" if a.tokens else ""
        label = f" [{a.label}]" if a.label else ""
        label += f" [{a.scope} hole]" if a.scope not in ("", "function") else ""
        verdict = "accepted" if a.reason is None else f"rejected: {a.reason}"
        say(f"{source} attempt {a.attempt}{label}{rate}: {verdict}")
    if not done.ok:
        record.diagnosis = done.failure_message()
        say(record.diagnosis)
        return record
    if not any(a.proposer == "model" for a in record.attempts):
        record.runner, record.model = "", ""  # no model was asked: don't claim one
    record.accepted = True
    record.source = done.source if done.source in ("cache", "rules") else "model"
    if record.source == "rules":
        record.rule, record.model = done.model, ""
    else:
        record.model = done.model or record.model
    record.repaired_text = done.text
    record.validation = done.depth
    record.evidence = done.evidence
    record.links = [link.to_json() for link in done.links] if len(done.links) > 1 else []
    record.selection = done.selection
    return record


def say_accepted(say: Progress, record: RepairRecord) -> None:
    """The accepted version, each link of a chain, the selection, and what validated it."""
    say(f"accepted ({record.source}, attempt {accepted_attempt(record)}):")
    for line in record.repaired_text.rstrip().splitlines():
        say(f"  | {line}")
    for i, link in enumerate(record.links, 1):
        rule = f" [{link['rule']}]" if link["rule"] else ""
        say(
            f"  chain link {i}/{len(record.links)}: {link['fault_kind']} "
            f"({link['message']}) removed by {link['source']}{rule}"
        )
    if record.selection:
        say(f"  selection: {record.selection}")
    if record.evidence.startswith("static only"):
        say(
            f"warning: @{record.function} repaired on {record.evidence}: "
            "its behaviour was not checked"
        )
    elif record.evidence:
        say(f"  validated: {record.evidence}")


def accepted_attempt(record: RepairRecord) -> str:
    for a in record.attempts:
        if a.accepted:
            return str(a.attempt)
    return "?"
