"""`neurojit-run FILE [--entry NAME] [--arg VALUE]...`: JIT-compile MLIR and call a function.

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
import os
import sys
import time
from pathlib import Path
from typing import Any, NoReturn

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
    parser.add_argument("file", metavar="FILE", help="the .mlir file ('-' reads stdin)")
    parser.add_argument("--entry", default="main", help="function to call (default: main)")
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
        type=float,
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
    return parser


def _add_healing_arguments(parser: argparse.ArgumentParser) -> None:
    try:
        from neurojit.healing import add_healing_arguments
    except ImportError:
        parser.add_argument("--runner", choices=("none",), default="none")
        return
    add_healing_arguments(parser)


# ---- arguments ------------------------------------------------------------------------------


def parse_value(text: str, typ: Any, position: int) -> Any:
    """One `--arg` VALUE as the Python value for boundary type `typ` (neurojit.runtime.abi)."""
    from neurojit.runtime.abi import MemRefType

    try:
        if isinstance(typ, MemRefType):
            import numpy as np

            data = json.loads(text)
            return np.array(data, dtype=typ.element.dtype)
        if typ.kind == "float":
            return float(text)
        lowered = text.strip().lower()
        if typ.bits == 1 and lowered in ("true", "false"):
            return lowered == "true"
        try:
            return int(lowered)
        except ValueError:
            return int(lowered, 0)  # 0x.., 0b..
    except (ValueError, TypeError) as err:
        detail = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise UsageError(f"--arg #{position + 1} '{text}' is not a valid {typ}: {detail}") from None


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
    if path == "-":
        return sys.stdin.read(), "<stdin>"
    p = Path(path)
    try:
        p.read_bytes()
    except OSError as err:
        raise NeuroJITError(f"could not open input file: {err.strerror}", path) from None
    return p, path


def run(args: argparse.Namespace) -> tuple[int, dict[str, Any]]:
    from neurojit import compiler
    from neurojit.runtime.faults import JITFault
    from neurojit.runtime.module import compile_module

    report: dict[str, Any] = {"status": "ok", "results": [], "faults": [], "repairs": []}
    source, filename = _read_input(args.file)
    # The process default, so the healing loop's swaps and candidate checks use it too.
    compiler.set_default_frontend(args.frontend)
    started = time.perf_counter()
    healing = None
    options = None
    if getattr(args, "runner", "none") != "none":
        from neurojit.healing import options_from_args

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
    if len(args.arg) != len(sig.args):
        raise UsageError(
            f"@{args.entry} takes {len(sig.args)} argument(s) {sig}, got {len(args.arg)} --arg"
        )
    values = [
        parse_value(text, typ, i)
        for i, (text, typ) in enumerate(zip(args.arg, sig.args, strict=True))
    ]
    try:
        result = target.call(args.entry, *values)
    except JITFault as fault:
        report["status"] = "fault"
        report["faults"].append(fault.report.to_json())
        print(f"{PROG}: {fault.report.diagnosis()}", file=sys.stderr)
        return EXIT_FAULT, report
    except NeuroJITError as err:
        # An unrepaired fault from the healing loop carries its report.
        fault_report = getattr(err, "report", None)
        if fault_report is None:
            raise
        if healing is not None:
            report.update({k: v for k, v in healing.report().items() if k in report})
        report["status"] = "fault"
        print(f"{PROG}: {err.message}", file=sys.stderr)
        return EXIT_FAULT, report
    results = _results(result)
    for value in results:
        print(format_result(value))
    report["results"] = [_jsonable(v) for v in results]
    if healing is not None:
        extra = healing.report()
        report["faults"] = extra.get("faults", [])
        report["repairs"] = extra.get("repairs", [])
        # Extensions of the report: cached repairs applied at load, and model queries sent.
        report["preapplied"] = extra.get("preapplied", [])
        report["queries"] = extra.get("queries", 0)
        if report["repairs"] or extra.get("preapplied"):
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
        args = build_parser().parse_args(args_list)
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
