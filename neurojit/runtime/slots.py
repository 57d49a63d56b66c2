"""Dispatch slots: every module function is called through `@<name>.nj_slot`.

The rewrite works on LLVM IR text, after lowering, so it does not care which lowering produced
the IR (ours, or upstream's through mlir-translate in the tests). Each direct call

    %r = call i64 @f(i64 %x)
becomes
    %nj.slot.7 = load atomic ptr, ptr @"f.nj_slot" acquire, align 8
    %r = call i64 %nj.slot.7(i64 %x)

The slot is an external global, never `internal`: under O2 an internal slot that nobody in the
module stores to is constant-folded back into a direct call, and the swap would be invisible.
A swap stores the new version's address with a release store (`SlotTable.store`), so a caller
that loads the new address also sees the new code's memory.

LLVM IR prints one instruction per line, which is what makes a line-based rewrite sound.
"""

from __future__ import annotations

import ctypes
import re
from collections.abc import Iterable

from neurojit.runtime.abi import llvm_name, slot_name

# An LLVM global name: bare identifier or a quoted string with \XX escapes.
_NAME = r'(?:"(?:[^"\\]|\\[0-9A-Fa-f]{2})*"|[-a-zA-Z$._][-a-zA-Z$._0-9]*)'
_CALL = re.compile(
    r"^(?P<indent>\s*)(?P<lhs>%\S+\s*=\s*)?"
    r"(?P<head>(?:(?:tail|musttail|notail)\s+)?call\b[^@]*?)@(?P<name>" + _NAME + r")\("
)
_DEFINE = re.compile(r"^define\b(?P<attrs>[^@]*?)@(?P<name>" + _NAME + r")\(")
_LINKAGE = re.compile(
    r"\b(private|internal|linkonce|linkonce_odr|weak|weak_odr|available_externally)\s+"
)


def decode_name(token: str) -> str:
    """`"a\\2Eb"` or `a.b` → `a.b`."""
    if not token.startswith('"'):
        return token
    return re.sub(r"\\([0-9A-Fa-f]{2})", lambda m: chr(int(m.group(1), 16)), token[1:-1])


def defined_functions(llvm_ir: str) -> list[str]:
    """Names of the functions defined (not just declared) in `llvm_ir`, in order."""
    out = []
    for line in llvm_ir.splitlines():
        m = _DEFINE.match(line)
        if m:
            out.append(decode_name(m.group("name")))
    return out


_GLOBAL = re.compile(
    r"^@(?P<name>" + _NAME + r")\s*=\s*(?P<attrs>[^=]*?)\b(?P<kind>global|constant)\b"
)


def global_definitions(llvm_ir: str) -> list[tuple[str, bool]]:
    """(name, is_constant) of every global variable defined (not declared) in `llvm_ir`."""
    out = []
    for line in llvm_ir.splitlines():
        m = _GLOBAL.match(line)
        if m and "external" not in m.group("attrs").split():
            out.append((decode_name(m.group("name")), m.group("kind") == "constant"))
    return out


def _type_end(text: str, start: int) -> int:
    """Index just past the LLVM type starting at text[start] (brackets balanced)."""
    i = start
    depth = 0
    while i < len(text):
        c = text[i]
        if c in "[{<(":
            depth += 1
        elif c in "]}>)":
            depth -= 1
            if depth == 0:
                return i + 1
        elif c == " " and depth == 0:
            return i
        i += 1
    return i


def externalise_globals(llvm_ir: str, names: set[str]) -> str:
    """Turn the definitions of `names` into `external global` declarations.

    A swapped-in function must use the module's globals, not copies: a mutable global
    written by the new version has to be the one every other function reads. The
    declarations are resolved at link time to the first version's addresses.
    """
    out = []
    for line in llvm_ir.splitlines():
        m = _GLOBAL.match(line)
        if m and decode_name(m.group("name")) in names:
            start = m.end()
            while start < len(line) and line[start] == " ":
                start += 1
            ty = line[start : _type_end(line, start)]
            line = f"@{m.group('name')} = external global {ty}"
        out.append(line)
    return "\n".join(out) + "\n"


def address_exports(globals_: list[tuple[str, bool]]) -> tuple[str, list[str]]:
    """IR exporting each global's address as `@"<g>.nj_addr"`, and those symbol names.

    Private globals cannot be exported themselves; a pointer to them can. The runtime uses
    the addresses to recognise a returned memref that points into a module global (which
    must never be freed), whatever allocated pointer the lowering put in its descriptor.
    """
    lines, names = [], []
    for name, _ in globals_:
        sym = f"{name}.nj_addr"
        lines.append(f"{llvm_name(sym)} = global ptr {llvm_name(name)}, align 8")
        names.append(sym)
    return "\n".join(lines) + "\n", names


def add_dispatch_slots(
    llvm_ir: str,
    callees: Iterable[str],
    define_slots: Iterable[str],
    make_external: Iterable[str] = (),
) -> str:
    """Route calls to `callees` through their slots.

    `define_slots` get `@"<f>.nj_slot" = global ptr @f` here; the other callees' slots are
    declared external and resolved at link time (an earlier version's dylib owns them).
    `make_external` functions lose any local linkage so their address can be exported.
    """
    routed = set(callees)
    own = [n for n in define_slots]
    externalise = set(make_external)
    out: list[str] = []
    counter = 0
    for line in llvm_ir.splitlines():
        m = _CALL.match(line)
        if m and decode_name(m.group("name")) in routed:
            name = decode_name(m.group("name"))
            tmp = f"%nj.slot.{counter}"
            counter += 1
            out.append(
                f"{m.group('indent')}{tmp} = load atomic ptr, ptr "
                f"{llvm_name(slot_name(name))} acquire, align 8"
            )
            line = (
                f"{m.group('indent')}{m.group('lhs') or ''}{m.group('head')}{tmp}("
                + line[m.end() :]
            )
        elif externalise and line.startswith("define"):
            d = _DEFINE.match(line)
            if d and decode_name(d.group("name")) in externalise:
                attrs = _LINKAGE.sub("", d.group("attrs"))
                line = f"define{attrs}@{d.group('name')}(" + line[d.end() :]
        out.append(line)
    out.append("")
    for name in own:
        out.append(f"{llvm_name(slot_name(name))} = global ptr {llvm_name(name)}, align 8")
    for name in sorted(routed - set(own)):
        out.append(f"{llvm_name(slot_name(name))} = external global ptr, align 8")
    out.append("")
    return "\n".join(out)


def store_slot(slot_address: int, function_address: int) -> None:
    """Publish a new version: one aligned 8-byte store.

    On x86-64 every aligned 8-byte store is atomic and has release ordering (TSO), which pairs
    with the callers' acquire loads; the new code was fully written before we get here.
    """
    ctypes.c_void_p.from_address(slot_address).value = function_address


def load_slot(slot_address: int) -> int:
    return ctypes.c_void_p.from_address(slot_address).value or 0
