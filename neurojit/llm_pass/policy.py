"""The capability policy: a repair may do only what the function it replaces could already do.

Every candidate (model, rules, cache) is checked against the original function. Capabilities:

- `global @g`: touch (get) a module global; `write @g`: store into it. A candidate may touch
  only the globals the original touched, and write only those it wrote;
- `write argument #i`: store into a memref argument, only if the original wrote it;
- `free`: `memref.dealloc`/`memref.realloc` of memory the function did not allocate itself
  (a global, an argument, anything of unknown origin). Never granted: freeing a global or a
  caller's buffer aborts the process in libc;
- `view <op>`: a view or cast op that reinterprets memory (`memref.reinterpret_cast`,
  `memref.cast`, `memref.extract_aligned_pointer_as_index`, ...), only if the original used
  the same op;
- `alloc N bytes`: a statically sized allocation, up to the original's largest or
  `MAX_CANDIDATE_ALLOC_BYTES` (dynamic sizes are checked at run time by
  neurojit-insert-checks).

Calls count with what the callee does (transitively), its argument writes mapped onto what
the call passes. The table `OP_CAPABILITIES` is the policy: adding an op is adding a row.
Every rejection names the op, its location and the capability it lacks.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from xdsl.dialects.builtin import MemRefType, ModuleOp
from xdsl.dialects.func import CallOp, FuncOp
from xdsl.ir import BlockArgument, Operation, SSAValue

MAX_CANDIDATE_ALLOC_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class Row:
    """What an op needs. `kind`: "global" (names a global), "write" (writes the memref in
    operand `operand`), "free" (releases the memref in `operand`), "view" (reinterprets
    memory), "alloc", "call". `alias`: the op's memref result points into operand 0's
    memory (views keep their source's origin)."""

    kind: str
    operand: int = 0
    alias: bool = False


OP_CAPABILITIES: dict[str, Row] = {
    "memref.get_global": Row("global"),
    "memref.store": Row("write", operand=1),
    "memref.copy": Row("write", operand=1),
    "memref.atomic_rmw": Row("write", operand=1),
    "memref.generic_atomic_rmw": Row("write", operand=0),
    "memref.dealloc": Row("free", operand=0),
    "memref.realloc": Row("free", operand=0),
    "memref.reinterpret_cast": Row("view", alias=True),
    "memref.cast": Row("view", alias=True),
    "memref.view": Row("view", alias=True),
    "memref.memory_space_cast": Row("view", alias=True),
    "memref.extract_aligned_pointer_as_index": Row("view"),
    "memref.extract_strided_metadata": Row("view", alias=True),
    # Bounds-checked by neurojit-insert-checks against the source: no capability, but a
    # write through the view is a write of the source.
    "memref.subview": Row("none", alias=True),
    "memref.collapse_shape": Row("none", alias=True),
    "memref.expand_shape": Row("none", alias=True),
    "memref.transpose": Row("none", alias=True),
    "memref.alloc": Row("alloc"),
    "memref.alloca": Row("alloc"),
    "func.call": Row("call"),
}

# Where a memref value comes from: ("global", name), ("arg", index), ("local",) for memory
# the function allocated, ("unknown",) otherwise (a block argument, an scf result, a call).
Origin = tuple


class PolicyViolation(Exception):
    """A candidate op needs a capability the original lacks; the message is one line."""

    def __init__(self, op: Operation, capability: str, why: str) -> None:
        where = _where(op)
        super().__init__(f"'{op.name}'{where} {why} (missing capability: {capability})")
        self.op = op
        self.capability = capability


def _where(op: Operation) -> str:
    from neurojit.ir import op_position

    pos = op_position(op)
    if pos is None:
        return ""
    file, line, col = pos
    return f" at line {line}" if file == "<candidate>" else f" at {file}:{line}:{col}"


@dataclass
class Summary:
    """What a function does, as capabilities."""

    globals: set[str] = field(default_factory=set)
    writes: set[str] = field(default_factory=set)  # globals written
    arg_writes: set[int] = field(default_factory=set)
    views: set[str] = field(default_factory=set)
    frees_foreign: bool = False
    max_alloc: int = 0


def _global_name(op: Operation) -> str | None:
    ref = op.properties.get("name") or op.attributes.get("name")
    return getattr(getattr(ref, "root_reference", None), "data", None)


def _alloc_bytes(op: Operation) -> int | None:
    """Bytes of a statically sized allocation, None when a size is dynamic."""
    from neurojit.passes.neurojit_insert_checks import element_bytes

    mtype = op.results[0].type if op.results else None
    if not isinstance(mtype, MemRefType):
        return None
    total = element_bytes(mtype.element_type)
    for dim in mtype.get_shape():
        if dim < 0:
            return None
        total *= dim
    return total


class _Analysis:
    """Origins of memref values and the capabilities a function uses."""

    def __init__(self, module: ModuleOp) -> None:
        self.functions = {op.sym_name.data: op for op in module.ops if isinstance(op, FuncOp)}
        self._summaries: dict[str, Summary] = {}

    def origins(self, value: SSAValue, func: FuncOp, seen: int = 0) -> set[Origin]:
        if isinstance(value, BlockArgument):
            if value.block is func.body.blocks.first:
                return {("arg", value.index)}
            return {("unknown",)}
        op = value.owner
        assert isinstance(op, Operation)
        if op.name == "memref.get_global":
            return {("global", _global_name(op) or "?")}
        if op.name in ("memref.alloc", "memref.alloca"):
            return {("local",)}
        row = OP_CAPABILITIES.get(op.name)
        if row is not None and row.alias and op.operands and seen < 64:
            return self.origins(op.operands[0], func, seen + 1)
        return {("unknown",)}

    def summary(self, func: FuncOp, stack: tuple[str, ...] = ()) -> Summary:
        """Capabilities `func` uses, callees included (recursion stops at a cycle)."""
        name = func.sym_name.data
        if name in self._summaries:
            return self._summaries[name]
        result = Summary()
        for op, need in self.needs(func, stack + (name,)):
            kind, *rest = need
            if kind == "global":
                result.globals.add(rest[0])
            elif kind == "write-global":
                result.writes.add(rest[0])
                result.globals.add(rest[0])
            elif kind == "write-arg":
                result.arg_writes.add(rest[0])
            elif kind == "view":
                result.views.add(op.name)
            elif kind == "free":
                result.frees_foreign = True
            elif kind == "alloc":
                result.max_alloc = max(result.max_alloc, rest[0])
        if not stack:
            self._summaries[name] = result
        return result

    def needs(self, func: FuncOp, stack: tuple[str, ...]) -> Iterable[tuple[Operation, tuple]]:
        """(op, need) for every capability an op of `func` uses; a need is ("global", g),
        ("write-global", g), ("write-arg", i), ("write-unknown",), ("view",), ("free", why),
        ("alloc", bytes) or ("call", callee)."""
        freed: set[int] = set()
        for op in func.walk():
            if op is func:
                continue
            row = OP_CAPABILITIES.get(op.name)
            if row is None:
                continue
            if row.kind == "global":
                yield op, ("global", _global_name(op) or "?")
            elif row.kind == "write" and len(op.operands) > row.operand:
                yield from ((op, n) for n in self._write_needs(op.operands[row.operand], func))
            elif row.kind == "free" and op.operands:
                origins = self.origins(op.operands[0], func)
                foreign = sorted(o for o in origins if o != ("local",))
                if foreign:
                    yield op, ("free", _describe(foreign[0]))
                elif not self._frees_once(op, freed):
                    # A second free of the same buffer (or a free in a loop or branch other
                    # than the allocation's block) aborts the process in libc.
                    yield op, ("free", "an allocation twice, or outside the block that made it")
            elif row.kind == "view":
                yield op, ("view",)
            elif row.kind == "alloc":
                size = _alloc_bytes(op)
                if size is not None:
                    yield op, ("alloc", size)
            elif row.kind == "call" and isinstance(op, CallOp):
                yield from ((op, n) for n in self._call_needs(op, func, stack))

    @staticmethod
    def _frees_once(op: Operation, freed: set[int]) -> bool:
        """The freed buffer's allocation is in the free's own block and freed only here."""
        value = op.operands[0]
        for _ in range(64):
            owner = value.owner
            if not isinstance(owner, Operation):
                return False
            row = OP_CAPABILITIES.get(owner.name)
            if row is not None and row.alias and owner.operands:
                value = owner.operands[0]
                continue
            break
        owner = value.owner
        if not isinstance(owner, Operation) or owner.parent_block() is not op.parent_block():
            return False
        if id(owner) in freed:
            return False
        freed.add(id(owner))
        return True

    def _write_needs(self, target: SSAValue, func: FuncOp) -> Iterable[tuple]:
        for origin in sorted(self.origins(target, func)):
            if origin[0] == "global":
                yield ("write-global", origin[1])
            elif origin[0] == "arg":
                yield ("write-arg", origin[1])
            elif origin[0] == "unknown":
                yield ("write-unknown",)

    def _call_needs(self, op: CallOp, func: FuncOp, stack: tuple[str, ...]) -> Iterable[tuple]:
        callee_name = op.callee.root_reference.data
        callee = self.functions.get(callee_name)
        if callee is None or callee.is_declaration or callee_name in stack:
            return
        summary = self.summary(callee, stack)
        for g in sorted(summary.globals - summary.writes):
            yield ("global", g)
        for g in sorted(summary.writes):
            yield ("write-global", g)
        for view in sorted(summary.views):
            yield ("view-call", view)
        if summary.frees_foreign:
            yield ("free", f"memory @{callee_name} did not allocate")
        if summary.max_alloc:
            yield ("alloc", summary.max_alloc)
        for index in sorted(summary.arg_writes):
            if index < len(op.arguments):
                yield from self._write_needs(op.arguments[index], func)


def _describe(origin: Origin) -> str:
    if origin[0] == "global":
        return f"global @{origin[1]}"
    if origin[0] == "arg":
        return f"argument #{origin[1]}"
    return "memory of unknown origin"


def check_capabilities(candidate: FuncOp, original: FuncOp, module: ModuleOp) -> None:
    """Raise PolicyViolation when `candidate` (sitting in `module` in place of the original)
    uses a capability `original` (from the module as it was) lacks."""
    original_module = original.parent_op()
    base = _Analysis(original_module if isinstance(original_module, ModuleOp) else module)
    allowed = base.summary(original)
    name = original.sym_name.data
    trial = _Analysis(module)
    alloc_limit = max(allowed.max_alloc, MAX_CANDIDATE_ALLOC_BYTES)
    needs = list(trial.needs(candidate, (name,)))
    touched = {need[1] for _, need in needs if need[0] in ("global", "write-global")}
    for op, need in needs:
        kind, *rest = need
        if kind == "global" and rest[0] not in allowed.globals:
            raise PolicyViolation(
                op, f"global @{rest[0]}", f"touches global @{rest[0]}, which @{name} never did"
            )
        if kind == "write-global" and rest[0] not in allowed.writes:
            raise PolicyViolation(
                op, f"write @{rest[0]}", f"writes global @{rest[0]}, which @{name} never wrote"
            )
        if kind == "write-arg" and rest[0] not in allowed.arg_writes:
            raise PolicyViolation(
                op,
                f"write argument #{rest[0]}",
                f"writes argument #{rest[0]}, which @{name} never wrote",
            )
        if kind == "write-unknown":
            # Memory whose origin the analysis lost (through a block argument, an scf
            # result): it may be any global the candidate touches, or an argument.
            unwritable = sorted(touched - allowed.writes)
            if unwritable or not allowed.arg_writes and not allowed.writes:
                what = f"global @{unwritable[0]}" if unwritable else "memory"
                raise PolicyViolation(
                    op,
                    f"write {what}",
                    f"writes memory of unknown origin, which may be {what}; @{name} never wrote it",
                )
        if kind == "free":
            raise PolicyViolation(
                op, "free", f"frees {rest[0]}, which the function did not allocate"
            )
        if kind in ("view", "view-call"):
            used = rest[0] if kind == "view-call" else op.name
            if used not in allowed.views:
                why = f"reinterprets memory with '{used}', which @{name} never used"
                raise PolicyViolation(op, f"view {used}", why)
        if kind == "alloc" and rest[0] > alloc_limit:
            raise PolicyViolation(
                op,
                f"alloc {rest[0]} bytes",
                f"allocates {rest[0]} bytes, over the limit of {alloc_limit}",
            )
