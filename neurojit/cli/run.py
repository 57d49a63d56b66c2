"""`neurojit-run FILE [--entry NAME] [--arg VALUE]...`: JIT-compile MLIR and call a function.

It also takes mlir-cpu-runner's command line (`-e NAME -entry-point-result=void
-shared-libs=...`, see runner_compat.py and docs/mlir-cpu-runner.md), and FILE may already
be in the llvm dialect, as `mlir-opt ... -convert-...-to-llvm` leaves it.

Each result is printed on its own line: integers in decimal (i1 as 0/1), floats as Python's
repr, memrefs as a (nested) list. Exit codes:
  0  ok (or a fault that was repaired);
  1  bad input: parse, verify or unsupported-op errors, as `file:line:col: error: ...`;
  2  usage error;
  3  a fault in the JIT code that was not repaired (one-line diagnosis on stderr).

With `--runner none` a fault stops the run; any other runner hands it to the self-healing loop
(neurojit.healing), which repairs, hot-swaps and re-runs the call.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import sys
import time
from pathlib import Path
from typing import Any, NoReturn

from neurojit.cli import runner_compat
from neurojit.errors import NeuroJITError, UsageError

PROG = "neurojit-run"
EXIT_OK, EXIT_INPUT, EXIT_USAGE, EXIT_FAULT = 0, 1, 2, 3


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="Parse, lower, JIT-compile FILE and call one of its functions.",
    )
    parser.add_argument(
        "file",
        metavar="FILE",
        nargs="?",
        default=None,
        help="the .mlir file ('-' reads stdin; none reads stdin when it is not a terminal, "
        "as mlir-cpu-runner)",
    )
    parser.add_argument("--entry", "-e", default="main", help="function to call (default: main)")
    parser.add_argument(
        "--arg",
        action="append",
        default=[],
        metavar="VALUE",
        help="an argument, in order: an integer, a float, true/false, or a JSON list for a "
        "memref; repeat for each argument (write --arg=-inf for values that look like options)",
    )
    checks = parser.add_mutually_exclusive_group()
    checks.add_argument(
        "--checks",
        dest="checks",
        action="store_true",
        default=True,
        help="insert explicit fault checks (default)",
    )
    checks.add_argument("--no-checks", dest="checks", action="store_false")
    parser.add_argument(
        "--timeout",
        type=_timeout,
        default=10.0,
        metavar="SECONDS",
        help="watchdog deadline of a call (default 10)",
    )
    parser.add_argument(
        "-O", dest="opt_level", type=int, default=2, choices=range(4), help="LLVM opt level"
    )
    parser.add_argument("--report", metavar="PATH", help="write a JSON report to PATH")
    parser.add_argument(
        "--frontend",
        choices=("native", "xdsl"),
        default=None,
        help="compiler front end: native (upstream MLIR in-process; default where installed) "
        "or xdsl (pure Python); also used for repairs",
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="say on stderr how the module was compiled"
    )
    _add_healing_arguments(parser)
    runner_compat.add_arguments(parser)
    return parser


def _add_healing_arguments(parser: argparse.ArgumentParser) -> None:
    try:
        from neurojit.cli.healing_flags import add_healing_arguments
    except ImportError:
        parser.add_argument("--runner", choices=("none",), default="none")
        return
    add_healing_arguments(parser)


# ---- arguments ------------------------------------------------------------------------------


_INT_TEXT = re.compile(r"[+-]?(?:0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|[0-9][0-9_]*)")
MAX_ARG_ELEMENTS = 1 << 24  # elements of one memref argument spelled on the command line


def _int_range(bits: int) -> tuple[int, int]:
    """Values an MLIR (signless) integer of `bits` accepts: signed or unsigned spellings."""
    if bits == 1:
        return 0, 1
    return -(1 << (bits - 1)), (1 << bits) - 1


def _parse_int(text: str, typ: Any) -> int:
    lowered = text.strip().lower()
    if typ.bits == 1 and lowered in ("true", "false"):
        return int(lowered == "true")
    if not _INT_TEXT.fullmatch(lowered):
        raise ValueError("not an integer (decimal, 0x.., 0b.. or 0o..)")
    value = int(lowered, 0)
    low, high = _int_range(64 if typ.kind == "index" else typ.bits)
    if not low <= value <= high:
        raise ValueError(f"out of range [{low}, {high}]")
    if typ.bits == 1 or typ.kind == "index":
        return value
    # The boundary passes signed values: wrap an unsigned spelling (0xFFFF... = -1).
    return value - (1 << typ.bits) if value >= 1 << (typ.bits - 1) else value


_F32_MAX = 3.4028234663852886e38


def _parse_float(text: str, typ: Any) -> float:
    """A float; inf and nan as spelled, but a finite value too large for the type is an
    error rather than a silent infinity."""
    value = float(text)
    if math.isinf(value) and "inf" not in text.lower():
        raise ValueError("out of range for f64")
    if typ.bits == 32 and math.isfinite(value) and abs(value) > _F32_MAX:
        raise ValueError(f"out of range for f32 (|x| <= {_F32_MAX:.7g})")
    return value


def _parse_memref(text: str, typ: Any) -> Any:
    import numpy as np

    try:
        data = json.loads(text)
    except RecursionError:
        raise ValueError("the JSON list is nested too deeply") from None
    rank = typ.rank
    shape: list[int] = []
    level = data
    for _ in range(rank):
        if not isinstance(level, list):
            raise ValueError(f"expected a rank-{rank} nested JSON list")
        shape.append(len(level))
        level = level[0] if level else None
    for want, got in zip(typ.shape, shape, strict=True):
        if want is not None and want != got:
            raise ValueError(f"shape {tuple(shape)} does not match the type")
    if math.prod(shape) > MAX_ARG_ELEMENTS:
        raise ValueError(f"more than {MAX_ARG_ELEMENTS} elements")
    element = typ.element
    if element.kind == "float":
        array = np.array(data, dtype=np.float64)
        if array.ndim != rank or array.dtype == object:
            raise ValueError(f"expected a rank-{rank} list of numbers")
        return array.astype(element.dtype)
    array = np.array(data, dtype=object)
    if array.ndim != rank:
        raise ValueError(f"expected a rank-{rank} list of numbers with equal rows")
    low, high = _int_range(64 if element.kind == "index" else element.bits)
    flat = array.reshape(-1)
    for item in flat:
        if isinstance(item, bool) and element.bits == 1:
            continue
        if not isinstance(item, int) or isinstance(item, bool) or not low <= item <= high:
            raise ValueError(f"element {item!r} is not an integer in [{low}, {high}]")
    if element.bits == 1:
        return np.array(flat.tolist(), dtype=np.bool_).reshape(array.shape)
    if element.kind != "index" and element.bits < 64:
        bits = element.bits
        flat = [v - (1 << bits) if v >= 1 << (bits - 1) else v for v in flat.tolist()]
    else:
        flat = [v - (1 << 64) if v >= 1 << 63 else v for v in flat.tolist()]
    return np.array(flat, dtype=element.dtype).reshape(array.shape)


def parse_value(text: str, typ: Any, position: int) -> Any:
    """One `--arg` VALUE as the Python value for boundary type `typ` (neurojit.runtime.abi),
    range-checked against the type: a bad value is a one-line usage error, never a wrap."""
    from neurojit.runtime.abi import MemRefType

    if not isinstance(text, str):
        text = "--"  # argparse turns `--arg=--` into an empty list
    try:
        if isinstance(typ, MemRefType):
            return _parse_memref(text, typ)
        if typ.kind == "float":
            return _parse_float(text, typ)
        return _parse_int(text, typ)
    except (ValueError, TypeError, OverflowError) as err:
        detail = str(err).splitlines()[0] if str(err) else type(err).__name__
        shown = text if len(text) <= 40 else text[:37] + "..."
        message = f"--arg #{position + 1} '{shown}' is not a valid {typ}: {detail}"
        raise UsageError(message) from None


def _timeout(text: str) -> float:
    """--timeout: a finite, positive number of seconds (at most a day)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid number of seconds: '{text}'") from None
    if not (0 < value <= 86400):
        raise argparse.ArgumentTypeError(f"must be in (0, 86400] seconds, got '{text}'")
    return value


def format_result(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    tolist = getattr(value, "tolist", None)
    if callable(tolist):
        return str(_plain(tolist()))
    return str(value)


def _plain(value: Any) -> Any:
    """Lists of numpy bools print as 0/1 like scalar i1 results."""
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, bool):
        return int(value)
    return value


def _results(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, tuple):
        return list(value)
    return [value]


def _jsonable(value: Any) -> Any:
    tolist = getattr(value, "tolist", None)
    return tolist() if callable(tolist) else value


# ---- the run ----------------------------------------------------------------------------------


def _read_input(path: str) -> tuple[str | Path, str]:
    """(source for compile_module, file name for messages)."""
    from neurojit.limits import read_source, read_stdin

    # Bounded reads: /dev/zero, a FIFO or a directory is refused, not read forever.
    data = read_stdin() if path == "-" else read_source(path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise NeuroJITError(f"input is not UTF-8: {err.reason} at byte {err.start}", path) from None
    return (text, "<stdin>") if path == "-" else (Path(path), path)


def run(args: argparse.Namespace) -> tuple[int, dict[str, Any]]:
    from neurojit import compiler
    from neurojit.fault_report import JITFault
    from neurojit.runtime.module import compile_module

    report: dict[str, Any] = {"status": "ok", "results": [], "faults": [], "repairs": []}
    runner_compat.check_target(args)
    if args.file is None:
        # mlir-cpu-runner reads stdin when no file is named (upstream's RUN lines pipe into
        # it); at a terminal that would wait for typed MLIR, so say what is missing instead.
        if sys.stdin is None or sys.stdin.isatty():
            raise UsageError("no input: name a FILE, or pipe MLIR into stdin ('-')")
        args.file = "-"
    source, filename = _read_input(args.file)
    # Before compiling: a library's symbols win over the built-in runner utils at link time.
    runner_compat.load_libraries(args)
    # The process default, so the healing loop's swaps and candidate checks use it too.
    compiler.set_default_frontend(args.frontend)
    started = time.perf_counter()
    healing = None
    options = None
    if getattr(args, "runner", "none") != "none":
        from neurojit.cli.healing_flags import options_from_args

        options = options_from_args(args)
    if options is not None and options.enabled:
        from neurojit.healing import SelfHealingModule

        healer = SelfHealingModule(
            source, options=options, checks=args.checks, timeout=args.timeout
        )
        healing, module = healer, healer.compiled
        target: Any = healer
    else:
        module = compile_module(
            source,
            name=Path(filename).stem if not filename.startswith("<") else None,
            checks=args.checks,
            opt_level=args.opt_level,
            timeout=args.timeout,
            filename=filename,
        )
        target = module
    _note_frontend(args, module, report, time.perf_counter() - started)
    info = module.functions.get(args.entry)
    if info is None or not info.public:
        raise NeuroJITError(f"no public function @{args.entry}", filename)
    sig = module.signature(args.entry)
    if sig is None:
        raise NeuroJITError(f"@{args.entry} cannot be called: {info.unsupported}", filename)
    if args.entry_point_result is not None:
        runner_compat.check_entry(sig, args.entry_point_result, filename)
    if len(args.arg) != len(sig.args):
        raise UsageError(
            f"@{args.entry} takes {len(sig.args)} argument(s) {sig}, got {len(args.arg)} --arg"
        )
    values = [
        parse_value(text, typ, i)
        for i, (text, typ) in enumerate(zip(args.arg, sig.args, strict=True))
    ]
    from neurojit.runtime.runner_utils import flush_native_stdout

    # Native code prints through libc's stdout, Python through its own buffer: flush each
    # before the other writes, so the bytes come out in the order they were printed.
    sys.stdout.flush()
    # A healed call re-runs the entry: keep only the output of the attempt that completed.
    output = runner_compat.attempts_output(healing) if healing is not None else None
    try:
        try:
            result = target.call(args.entry, *values)
        finally:
            if output is not None:
                output.finish()
    except JITFault as fault:
        flush_native_stdout()
        report["status"] = "fault"
        report["faults"].append(fault.report.to_json())
        print(f"{PROG}: {fault.report.diagnosis()}", file=sys.stderr)
        return EXIT_FAULT, report
    except NeuroJITError as err:
        # An unrepaired fault from the healing loop carries its report.
        flush_native_stdout()
        fault_report = getattr(err, "report", None)
        if fault_report is None:
            raise
        if healing is not None:
            report.update({k: v for k, v in healing.report().items() if k in report})
        report["status"] = "fault"
        print(f"{PROG}: {err.message}", file=sys.stderr)
        return EXIT_FAULT, report
    flush_native_stdout()
    results = _results(result)
    for value in results:
        if args.entry_point_result is not None:
            print(runner_compat.format_entry_result(value, args.entry_point_result))
        else:
            print(format_result(value))
    report["results"] = [_jsonable(v) for v in results]
    if healing is not None:
        extra = healing.report()
        report["faults"] = extra.get("faults", [])
        report["repairs"] = extra.get("repairs", [])
        # Extensions of the report: cached repairs applied at load, and model queries sent.
        report["preapplied"] = extra.get("preapplied", [])
        report["queries"] = extra.get("queries", 0)
        # Repairs other processes found, received live from a shared store (redis:).
        report["propagated"] = extra.get("propagated", [])
        if "store" in extra:
            report["store"] = extra["store"]
        if report["repairs"] or extra.get("preapplied") or extra.get("propagated"):
            report["status"] = "repaired"
    return EXIT_OK, report


def _note_frontend(
    args: argparse.Namespace, module: Any, report: dict[str, Any], seconds: float
) -> None:
    """Which compiler front end ran, into the report and (with --verbose) onto stderr."""
    frontend = getattr(module, "frontend", "xdsl")
    note = getattr(module, "frontend_note", None)
    report["frontend"] = frontend
    if note:
        report["frontend_note"] = note
    if args.verbose:
        how = "from the cache" if getattr(module, "from_cache", False) else f"in {seconds:.3f} s"
        print(f"{PROG}: compiled by the {frontend} front end {how}", file=sys.stderr)
        if note:
            print(f"{PROG}: note: {note}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    args_list = sys.argv[1:] if argv is None else argv
    report_path = None
    try:
        args = build_parser().parse_args(runner_compat.normalise(args_list))
        report_path = args.report
        code, report = run(args)
    except UsageError as err:
        print(f"{PROG}: {err}", file=sys.stderr)
        return EXIT_USAGE
    except NeuroJITError as err:
        print(str(err), file=sys.stderr)
        code, report = (
            EXIT_INPUT,
            {"status": "error", "results": [], "faults": [], "repairs": [], "error": str(err)},
        )
    except KeyboardInterrupt:
        return 130
    except Exception as err:  # noqa: BLE001 - the contract is one line, never a traceback
        if os.environ.get("NEUROJIT_TRACEBACK"):
            raise
        print(f"{PROG}: internal error: {type(err).__name__}: {err}", file=sys.stderr)
        return EXIT_INPUT
    if report_path:
        try:
            Path(report_path).write_text(json.dumps(report, indent=2) + "\n")
        except OSError as err:
            print(f"{PROG}: cannot write report '{report_path}': {err.strerror}", file=sys.stderr)
            return EXIT_INPUT
    sys.stdout.flush()
    return code


if __name__ == "__main__":
    sys.exit(main())
