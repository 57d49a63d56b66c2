"""mlir-cpu-runner's command line, beside neurojit-run's own (docs/mlir-cpu-runner.md).

Accepted as mlir-cpu-runner spells them (one dash or two): `-e NAME`,
`-entry-point-result=void|i32|i64|f32|f64`, `-shared-libs=LIB[,LIB]` (repeatable),
`-O0..-O3`, `-march=ARCH` and `-mattr=+a,-b` (where they make sense for a JIT that targets
this host: the host's own architecture and features). With `-entry-point-result`, the entry
must have that result type and no arguments, as mlir-cpu-runner demands, and the result is
printed as mlir-cpu-runner prints it (`%e` for floats).
"""

from __future__ import annotations

import argparse
from typing import Any

from neurojit.errors import NeuroJITError, UsageError

RESULT_TYPES = ("void", "i32", "i64", "f32", "f64")

# Single-dash spellings upstream RUN lines use, rewritten to ours before argparse sees them.
_SINGLE_DASH = ("-entry-point-result", "-shared-libs", "-march", "-mattr")


def normalise(argv: list[str]) -> list[str]:
    """`-entry-point-result=void` → `--entry-point-result=void`, `--O3` → `-O3`, ..."""
    out: list[str] = []
    for arg in argv:
        name = arg.split("=", 1)[0]
        if name in _SINGLE_DASH:
            arg = "-" + arg
        elif name in ("--O0", "--O1", "--O2", "--O3"):
            arg = arg[1:]
        out.append(arg)
    return out


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("mlir-cpu-runner compatibility")
    group.add_argument(
        "--entry-point-result",
        choices=RESULT_TYPES,
        default=None,
        help="the entry's result type, as mlir-cpu-runner: the entry takes no arguments and "
        "its result (if any) is printed like mlir-cpu-runner prints it",
    )
    group.add_argument(
        "--shared-libs",
        action="append",
        default=[],
        metavar="LIB[,LIB]",
        help="load these libraries (dlopen, RTLD_GLOBAL) before linking; their symbols win "
        "over NeuroJIT's built-in runner utils. 'builtin:mlir_c_runner_utils' and "
        "'builtin:mlir_runner_utils' name the built-in ones without loading anything",
    )
    group.add_argument(
        "--march", default=None, metavar="ARCH", help="must name this host's architecture"
    )
    group.add_argument(
        "--mattr",
        action="append",
        default=[],
        metavar="+a,-b",
        help="target features; accepted when the host already has every +feature (the JIT "
        "compiles for the host's features)",
    )


def shared_libraries(args: argparse.Namespace) -> list[str]:
    out: list[str] = []
    for item in getattr(args, "shared_libs", []) or []:
        out += [p for p in item.split(",") if p]
    return out


def load_libraries(args: argparse.Namespace) -> None:
    from neurojit.runtime import runner_utils

    for path in shared_libraries(args):
        runner_utils.load_shared_library(path)


_ARCH_ALIASES = {"x86-64": "x86_64", "amd64": "x86_64", "arm64": "aarch64"}


def check_target(args: argparse.Namespace) -> None:
    """`--march`/`--mattr`: the JIT runs code on this host, so only the host's target fits."""
    if args.march is None and not args.mattr:
        return
    import llvmlite.binding as llvm

    triple_arch = llvm.get_process_triple().split("-")[0]
    if args.march is not None:
        wanted = _ARCH_ALIASES.get(args.march, args.march).replace("-", "_")
        if wanted != triple_arch and not (wanted == "x86" and triple_arch == "x86_64"):
            raise UsageError(
                f"--march={args.march}: the JIT runs code on this host ({triple_arch}) only"
            )
    features = llvm.get_host_cpu_features()
    for item in args.mattr:
        for feature in (f.strip() for f in item.split(",") if f.strip()):
            name = feature.lstrip("+-")
            if feature.startswith("-"):
                continue  # code for the host is built for its features; removing one is moot
            if features.get(name) is not True:
                raise UsageError(
                    f"--mattr: this host's CPU has no '{name}'; the JIT compiles for the host"
                )


def check_entry(sig: Any, result_type: str, filename: str) -> None:
    """mlir-cpu-runner's checks of `-entry-point-result`, with its messages."""
    results = [str(t) for t in sig.results]
    if result_type == "void":
        if results or sig.args:
            raise NeuroJITError("expected void function", filename)
        return
    if sig.args or results != [_SIG_NAME[result_type]]:
        raise NeuroJITError(f"only single {result_type} function result supported", filename)


# How the boundary type model (runtime/abi.py) spells each result type.
_SIG_NAME = {"i32": "i32", "i64": "i64", "f32": "f32", "f64": "f64"}


def format_entry_result(value: Any, result_type: str) -> str:
    """mlir-cpu-runner's result line: integers in decimal, floats as raw_ostream's `%e`."""
    from neurojit.runtime.runner_utils import format_e

    if result_type in ("f32", "f64"):
        return format_e(float(value))
    return str(int(value))


class AttemptOutput:
    """Native stdout of a healed call, without the output of the attempts that faulted.

    The healing loop re-runs the entry from the start after a repair, so what the faulting
    attempt printed would be printed twice. While a healed call runs, file descriptor 1
    goes to a temporary file; each attempt starts by emptying it (`attempt()`), and
    `finish()` copies what the last attempt printed to the real stdout. Without healing
    (`--runner none`) nothing is captured and output streams as it is printed.
    """

    def __init__(self) -> None:
        import os
        import tempfile

        from neurojit.runtime.runner_utils import flush_native_stdout

        sys_flush()
        flush_native_stdout()
        self._file = tempfile.TemporaryFile()
        self._saved = os.dup(1)
        os.dup2(self._file.fileno(), 1)

    def attempt(self) -> None:
        import os

        from neurojit.runtime.runner_utils import flush_native_stdout

        flush_native_stdout()
        os.ftruncate(1, 0)
        os.lseek(1, 0, os.SEEK_SET)

    def finish(self) -> None:
        import os

        from neurojit.runtime.runner_utils import flush_native_stdout

        flush_native_stdout()
        os.dup2(self._saved, 1)
        os.close(self._saved)
        self._file.seek(0)
        while chunk := self._file.read(1 << 16):
            view = memoryview(chunk)
            while view:
                view = view[os.write(1, view) :]
        self._file.close()


def sys_flush() -> None:
    import sys

    sys.stdout.flush()


def attempts_output(healer: Any) -> AttemptOutput:
    """Capture `healer`'s entry calls: each call of its compiled module starts an attempt."""
    output = AttemptOutput()
    compiled = healer.compiled
    call = compiled.call

    def attempt(name: str, *args: Any) -> Any:
        output.attempt()
        return call(name, *args)

    compiled.call = attempt
    return output
