"""Repair chains: a candidate that removes a fault but meets another one on the same input.

After `remui` by zero is guarded, the same input reads `hist[0]` of an empty histogram: the
first fault is gone, a second one is met further on. Rejecting that candidate throws the
progress away, and every other candidate for the first fault meets the same second fault.
So such a candidate is kept as a link of a chain (`Progress`), the fault it meets is
repaired in turn, and only the whole chain is validated (the last link must run the
triggering input cleanly and reproduce the recorded calls), cached and reported.

A fault is "the same" when it is the same kind at the same op: the op at the fault's
location, matched to the original's by aligning the two functions' op sequences (a guard
wrapped around the op, or a re-spelled operand, keeps it the same op). Faults without a
location (signals) compare by kind and function only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from neurojit.fault_report import FaultReport
from neurojit.llm_pass.faults import op_at

if TYPE_CHECKING:
    from xdsl.dialects.func import FuncOp

# Links of one chain, the first repair included: a fault behind a fault behind a fault.
MAX_LINKS = 3

# The filename `compile_module` gives MLIR text in fault locations (its default).
_COMPILED_NAME = "<string>"


@dataclass(frozen=True)
class Site:
    """Where a fault happened, comparable across versions of the function."""

    function: str
    kind: str
    op: str = ""  # the faulting op's first printed line, or "" when unknown
    names: tuple[str, ...] = ()  # the function's op names in walk order
    index: int | None = None  # the faulting op's position among them

    def describe(self) -> str:
        at = f" at '{self.op}'" if self.op else ""
        return f"{self.kind} in @{self.function}{at}"


def _op_line(op: Any) -> str:
    from neurojit.llm_pass.fingerprint import print_op

    text = print_op(op).strip().splitlines()
    return " ".join(text[0].split()) if text else op.name


def _ops(func: FuncOp) -> list[Any]:
    return [op for op in func.walk() if op is not func and op.name != "neurojit.check"]


def site_at(func: FuncOp, kind: str, loc: str | None) -> Site:
    """The site of a fault of `kind` at `loc` in `func` as it is now."""
    op = op_at(func, loc)
    ops = _ops(func)
    return Site(
        func.sym_name.data,
        kind,
        _op_line(op) if op is not None else "",
        tuple(o.name for o in ops),
        ops.index(op) if op is not None and op in ops else None,
    )


def site_of(func: FuncOp, fault: FaultReport) -> Site:
    """The site of the fault being repaired, in the function as it is now."""
    return site_at(func, fault.kind, fault.location)


def same_site(new: Site, old: Site) -> bool:
    """Is `new` (a fault of the candidate) the fault `old` that it was meant to remove?

    Same function and kind, and the faulting op is the one that corresponds to the old
    faulting op when the two functions' op sequences are aligned (a guard inserted around
    it, or an operand re-spelled, leaves it the same op). Unknown positions compare equal:
    a fault we cannot place is not counted as progress."""
    if new.function != old.function or new.kind != old.kind:
        return False
    if new.index is None or old.index is None:
        return True
    import difflib

    matcher = difflib.SequenceMatcher(a=old.names, b=new.names, autojunk=False)
    for a, b, size in matcher.get_matching_blocks():
        if b <= new.index < b + size:
            return a + (new.index - b) == old.index
    return False  # an op the candidate added: a new fault, not the old one


@dataclass
class Link:
    """One link of a chain: the fault it removed and who removed it."""

    kind: str
    message: str
    location: str | None
    source: str = ""  # "model", "rules", ...
    label: str = ""  # the rule, or the model's attempt

    def describe(self) -> str:
        who = f"{self.source}{f' [{self.label}]' if self.label else ''}"
        return f"{self.kind} ({self.message}) removed by {who}"

    def to_json(self) -> dict[str, Any]:
        return {
            "fault_kind": self.kind,
            "message": self.message,
            "location": self.location,
            "source": self.source,
            "rule": self.label,
        }


@dataclass
class Classified:
    """What a fault on the triggering input means for the candidate."""

    same: bool  # the fault it was meant to remove: reject
    site: Site
    func: FuncOp | None = None  # the candidate as compiled, when the new fault is in it
    fault: FaultReport | None = field(default=None)


def classify(report: FaultReport, name: str, module_text: str, original: Site | None) -> Classified:
    """Compare a triggering-input fault of the candidate module with the original site."""
    from xdsl.dialects.func import FuncOp

    from neurojit.ir import parse_module

    func: FuncOp | None = None
    site = Site(report.function, report.kind)
    if report.function == name:
        try:
            parsed = parse_module(module_text, _COMPILED_NAME, verify=False)
        except Exception:  # noqa: BLE001 - it compiled from this text: should not happen
            parsed = None
        if parsed is not None:
            func = next(
                (op for op in parsed.ops if isinstance(op, FuncOp) and op.sym_name.data == name),
                None,
            )
        if func is not None:
            site = site_at(func, report.kind, report.location)
            func = func.clone()
    same = original is None or same_site(site, original)
    return Classified(same, site, func, report)
