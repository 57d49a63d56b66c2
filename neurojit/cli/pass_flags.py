"""mlir-opt-style pass flags → one xdsl-opt `-p` pipeline, in command-line order.

    --canonicalize --cse --my-pass='opt=1 path=a/b.txt'  -p 'x,y{k=2}'
    →  -p 'canonicalize,cse,my-pass{opt=1 path="a/b.txt"},x,y{k=2}'

xDSL's pipeline syntax only takes numbers, booleans and double-quoted strings as option
values, so bare words (a path, `mock`) are quoted here; that is what a shell user types.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Collection, Sequence

from neurojit.errors import UsageError

# Values xDSL's spec lexer reads unquoted: numbers, true/false, and comma lists of those.
_SCALAR = r"(?:-?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|true|false)"
_UNQUOTED_OK = re.compile(rf"{_SCALAR}(?:,{_SCALAR})*")
_PASS_FLAG = re.compile(r"--?([A-Za-z][A-Za-z0-9_.-]*)(?:=(.*))?", re.DOTALL)


def _quote(value: str) -> str:
    if _UNQUOTED_OK.fullmatch(value) or (value.startswith('"') and value.endswith('"')):
        return value
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


# In a -p pipeline: a quoted string (left alone), or `key=value` starting an option.
_OPTION_OR_STRING = re.compile(r'"(?:\\.|[^"\\])*"|(?<=[{\s])([A-Za-z0-9_-]+)=([^\s"{},]+)')
_IDENT = re.compile(r"[A-Za-z0-9_-]+")


def quote_bare_values(pipeline: str) -> str:
    """`p{responses=dir/r.txt}` → `p{responses="dir/r.txt"}`: mlir-opt takes a bare path,
    xDSL's spec lexer refuses it. Words, numbers and comma lists are left as they are."""

    def fix(match: re.Match[str]) -> str:
        key, value = match.group(1), match.group(2)
        if key is None or _IDENT.fullmatch(value) or _UNQUOTED_OK.fullmatch(value):
            return match.group(0)
        return f"{key}={_quote(value)}"

    return _OPTION_OR_STRING.sub(fix, pipeline)


def options_to_spec(pass_name: str, options: str) -> str:
    """`opt=1 responses="a/b.txt"` → `pass{opt=1 responses="a/b.txt"}` (empty → `pass`)."""
    options = options.strip()
    if options.startswith("{") and options.endswith("}"):
        options = options[1:-1]  # `--p='{a=1}'` is also what people type
    try:
        words = shlex.split(options)
    except ValueError as err:
        raise UsageError(f"bad options for pass '{pass_name}': {err}") from None
    rendered: list[str] = []
    for word in words:
        key, eq, value = word.partition("=")
        if not key:
            raise UsageError(f"bad options for pass '{pass_name}': '{word}' has no name")
        rendered.append(f"{key}={_quote(value)}" if eq else key)
    return f"{pass_name}{{{' '.join(rendered)}}}" if rendered else pass_name


# mlir-opt spells driver flags with one dash or two, and prefixes printing flags with `mlir-`;
# argparse knows only `--split-input-file` etc. (and would read `-print-op-generic` as `-p`).
DRIVER_FLAG_ALIASES: dict[str, str] = {
    **{
        name: f"--{name}"
        for name in (
            "split-input-file",
            "verify-diagnostics",
            "allow-unregistered-dialect",
            "print-op-generic",
            "print-debuginfo",
            "disable-verify",
        )
    },
    "mlir-print-op-generic": "--print-op-generic",
    "mlir-print-debuginfo": "--print-debuginfo",
}


def translate(argv: Sequence[str], pass_names: Collection[str]) -> list[str]:
    """Fold pass flags and every -p/--passes into a single trailing `-p PIPELINE`.

    Arguments that are neither stay in place for argparse. A flag that names no pass and
    no driver option is left alone too, and argparse reports it.
    """
    rest: list[str] = []
    pipeline: list[str] = []
    args = list(argv)
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg == "--":
            rest.extend(args[i - 1 :])
            break
        if arg in ("-p", "--passes"):
            if i >= len(args):
                raise UsageError(f"{arg} needs a pass pipeline")
            if args[i]:
                pipeline.append(quote_bare_values(args[i]))
            i += 1
            continue
        if arg.startswith("--passes="):
            if value := arg.removeprefix("--passes="):
                pipeline.append(quote_bare_values(value))
            continue
        flag = arg.lstrip("-")
        if arg.startswith("-") and flag in DRIVER_FLAG_ALIASES:
            rest.append(DRIVER_FLAG_ALIASES[flag])
            continue
        match = _PASS_FLAG.fullmatch(arg)
        if match and match.group(1) in pass_names:
            pipeline.append(options_to_spec(match.group(1), match.group(2) or ""))
            continue
        if arg.startswith("-p") and len(arg) > 2 and not arg.startswith("--"):
            if value := arg[2:].removeprefix("="):
                pipeline.append(quote_bare_values(value))
            continue
        rest.append(arg)
    if pipeline:
        rest[0:0] = ["-p", ",".join(pipeline)]
    return rest
