"""`neurojit-opt`: mlir-opt-style driver over xDSL with the `neurojit` dialect and passes.

This module stays import-light: `--help` is answered from name tables without importing
xDSL (about 0.3 s of imports); everything else goes to `neurojit.cli.opt_driver`.
"""

from __future__ import annotations

import os
import re
import sys
import textwrap
from importlib.util import find_spec
from pathlib import Path

from neurojit.errors import NeuroJITError, UsageError

PROG = "neurojit-opt"

OPTIONS = """\
options:
  -h, --help                show this help and exit
  -v, --version             print the xDSL version and exit
  -o, --output-file FILE    write the output to FILE (default: stdout)
  -p, --passes PIPELINE     xdsl-opt pipeline, e.g. 'canonicalize,cse,my-pass{opt=1}'
  --PASS[='k=v k2=v2']      mlir-opt style: --canonicalize --cse --my-pass='opt=1';
                            flags and -p are joined into one pipeline, in order
  -t, --target TARGET       output format (default: mlir)
  --split-input-file        process each `// -----` piece on its own
  --verify-diagnostics      check `// expected-error {{...}}` (@+N, @-N, @above, @below)
                            against the diagnostics; exit 1 on a missing or unexpected one
  --print-op-generic        print the generic op form
  --print-debuginfo         print op locations
  --print-between-passes    print the IR after each pass
  --time-passes             report time per pass on stderr
  --disable-verify          skip verification
  --allow-unregistered-dialect
                            accept ops of unknown dialects
  --no-implicit-module      require one explicit builtin.module

mlir-opt's spellings work too: -split-input-file, -verify-diagnostics, -cse,
--mlir-print-op-generic, --mlir-print-debuginfo.
Input is read from stdin when INPUT is '-' or missing. Errors are printed as
file:line:col: error: message, exit code 1."""


def _table_names(relative: str) -> list[str]:
    """Names in one of xDSL's lazy name → loader tables, read from its source text.

    Importing the table would import xDSL's core (~0.1 s); `--help` only needs the names.
    """
    spec = find_spec("xdsl")
    if spec is None or not spec.submodule_search_locations:
        return []
    path = Path(next(iter(spec.submodule_search_locations))) / relative
    try:
        source = path.read_text(encoding="utf-8")
    except OSError:
        return []
    return sorted(set(re.findall(r'^\s+"([\w.-]+)": get_\w+,?\s*$', source, re.MULTILINE)))


def _wrapped(names: list[str]) -> str:
    return textwrap.fill(
        ", ".join(names),
        width=88,
        initial_indent="  ",
        subsequent_indent="  ",
        break_on_hyphens=False,
    )


def help_text() -> str:
    from neurojit import registry

    ours = sorted(registry.PASSES)
    xdsl_passes = [n for n in _table_names("transforms/__init__.py") if n not in registry.PASSES]
    dialects = [n for n in _table_names("dialects/__init__.py") if n != "neurojit"]
    targets = sorted(set(_table_names("targets/__init__.py")) | set(registry.TARGETS))
    parts = [
        f"usage: {PROG} [options] [INPUT | -]",
        "",
        "NeuroJIT's MLIR optimizer driver: xdsl-opt with the neurojit dialect and passes,",
        "mlir-opt-style pass flags and upstream-compatible --verify-diagnostics.",
        "",
        OPTIONS,
        "",
        "dialect neurojit: neurojit.check, #neurojit.fault, #neurojit.strategy",
        f"NeuroJIT passes ({len(ours)}):",
        _wrapped(ours) if ours else "  (none registered yet)",
        f"targets: {', '.join(targets)}",
        f"xDSL dialects ({len(dialects)}):",
        _wrapped(dialects),
        f"xDSL passes ({len(xdsl_passes)}):",
        _wrapped(xdsl_passes),
    ]
    return "\n".join(parts) + "\n"


def _wants_help(argv: list[str]) -> bool:
    for arg in argv:
        if arg == "--":
            return False
        if arg in ("-h", "--help"):
            return True
    return False


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        if _wants_help(args):
            sys.stdout.write(help_text())
            return 0
        from neurojit.cli.opt_driver import run

        return run(args)
    except UsageError as err:
        print(f"{PROG}: {err}", file=sys.stderr)
        return 2
    except NeuroJITError as err:
        # With a location the message already starts with file:line:col.
        print(str(err) if err.location else f"{PROG}: {err}", file=sys.stderr)
        return 1
    except SystemExit as exit_:
        # argparse usage errors (exit 2) and --version (exit 0) end up here.
        return exit_.code if isinstance(exit_.code, int) else 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `neurojit-opt ... | head`: not an error of ours; keep Python from complaining at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except BaseException as err:  # noqa: BLE001 - the one place that turns bugs into a line
        if os.environ.get("NEUROJIT_TRACEBACK"):
            raise
        print(
            f"{PROG}: internal error: {type(err).__name__}: {err} "
            "(set NEUROJIT_TRACEBACK=1 for details)",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
