"""The repair prompt. The fixed part comes first and never changes, so a runner's prompt cache
reads it once; then the few-shot examples (stable per fault kind); then this fault; then why
earlier attempts were rejected.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from xdsl.dialects.func import FuncOp

from neurojit.fault_report import FaultReport
from neurojit.llm_pass.faults import op_at
from neurojit.llm_pass.fingerprint import print_op, strip_checks, strip_run_attrs

FIXED_PREFIX = """You repair MLIR functions that crash at run time or fail to verify.
Answer with one complete func.func and nothing else:
- keep the function's name, argument types and result types exactly;
- use only the func, arith, math, scf, cf and memref dialects, never llvm;
- call only the functions listed as callees, or the function itself;
- define every value before its use, and give each value one definition;
- no semicolons, no backticks, no prose, no comments;
- keep the results for inputs that worked, and make the failing inputs safe.
"""


# Run-dependent text: code and data addresses (`pc 0x7f3a...`, `SIGSEGV at 0x7ffd...`),
# which change with ASLR on every run, and the directories of file names (temporary
# directories, checkouts). A greedy model must see the same prompt for the same fault.
_ADDRESS = re.compile(r"\b0x[0-9a-fA-F]{5,}\b")
_PATH = re.compile(r"(?<![\w.<])(?:/[^\s/:,;()\[\]'\"]+)+/([^\s/:,;()\[\]'\"]+)")


def stable(text: str) -> str:
    """`text` without what differs from run to run: addresses become `<address>` and a
    path keeps only its file name. Applied to everything in the prompt that is not code
    (MLIR spells some float constants in hex)."""
    return _PATH.sub(r"\1", _ADDRESS.sub("<address>", text))


@dataclass
class Example:
    """A past accepted repair of the same fault kind."""

    original: str
    repaired: str


def function_text(func: FuncOp) -> str:
    """The function as the model should see it: without neurojit run attributes or checks."""
    clone = func.clone()
    strip_run_attrs(clone)
    strip_checks(clone)
    return print_op(clone)


def callee_signatures(func: FuncOp, module_funcs: dict[str, FuncOp]) -> list[str]:
    """`func.func private @g(i64) -> i64` for each distinct function `func` calls."""
    from xdsl.dialects.func import CallOp

    seen: list[str] = []
    for op in func.walk():
        if isinstance(op, CallOp):
            name = op.callee.root_reference.data
            if name not in seen and name != func.sym_name.data:
                seen.append(name)
    lines: list[str] = []
    for name in seen:
        callee = module_funcs.get(name)
        if callee is None:
            continue
        ins = ", ".join(str(t) for t in callee.function_type.inputs.data)
        outs = [str(t) for t in callee.function_type.outputs.data]
        result = (
            "" if not outs else f" -> {outs[0]}" if len(outs) == 1 else f" -> ({', '.join(outs)})"
        )
        lines.append(f"func.func private @{name}({ins}){result}")
    return lines


def fault_context(func: FuncOp, fault: FaultReport, module_funcs: dict[str, FuncOp]) -> list[str]:
    """The prompt lines both formats show after the fault's kind: the failed check's operand
    values, the failing call, the callees' signatures."""
    parts: list[str] = []
    if fault.operands:
        shown = ", ".join(str(v) for v in fault.operands)
        parts.append(f"Operand values: {stable(shown)}\n")
    if fault.input_text:
        parts.append(f"Failing call: @{func.sym_name.data}({', '.join(fault.input_text)})\n")
    callees = callee_signatures(func, module_funcs)
    if callees:
        parts.append("Callees:\n" + "\n".join(callees) + "\n")
    return parts


def build_prompt(
    func: FuncOp,
    fault: FaultReport,
    module_funcs: dict[str, FuncOp],
    examples: Sequence[Example] = (),
    rejections: Sequence[str] = (),
    hints: Sequence[str] = (),
) -> str:
    parts = [FIXED_PREFIX]
    if examples:
        parts.append(f"\nAccepted repairs of earlier {fault.kind} faults:\n")
        for i, example in enumerate(examples, 1):
            parts.append(
                f"\nExample {i}, faulty:\n{example.original.strip()}\n"
                f"Example {i}, repaired:\n{example.repaired.strip()}\n"
            )
    name = func.sym_name.data
    parts.append(f"\nFault in @{name}: {fault.kind}\nMessage: {stable(fault.message)}\n")
    if fault.location:
        site = op_at(func, fault.location)
        where = f"Location: {stable(fault.location)}"
        if site is not None:
            where += f", at the op: {print_op(site).strip().splitlines()[0]}"  # type: ignore[arg-type]
        parts.append(where + "\n")
    parts += fault_context(func, fault, module_funcs)
    parts.append(f"Faulty function:\n{function_text(func).strip()}\n")
    for hint in hints:
        parts.append(f"Hint: {hint}\n")
    for i, reason in enumerate(rejections, 1):
        parts.append(f"Attempt {i} was rejected: {stable(reason)}\n")
    parts.append("Repaired function:\n")
    return "".join(parts)
