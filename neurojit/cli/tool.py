"""`neurojit`: one entry point for the subcommands (`models`, `opt`, `run`)."""

from __future__ import annotations

import os
import sys

USAGE = """\
usage: neurojit <command> [args...]

commands:
  cache    list, show, export, import, prune the strategy store; fleet stats
  models   list, fetch and locate the repair models (GGUF)
  opt      the MLIR driver, same as neurojit-opt
  run      run an MLIR program with self-healing, same as neurojit-run
"""


def main(argv: list[str] | None = None) -> int:
    try:
        return _main(argv)
    except BrokenPipeError:
        # `neurojit models list | head -1`: the reader left; end like a Unix tool would,
        # without a traceback (and without Python's second error flushing stdout at exit).
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141


def _main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help", "help"):
        sys.stdout.write(USAGE)
        return 0 if args else 2
    command, rest = args[0], args[1:]
    if command == "cache":
        from neurojit.cli.cache import main as cache_main

        return cache_main(rest)
    if command == "models":
        from neurojit.cli.models import main as models_main

        return models_main(rest, prog="neurojit models")
    if command == "opt":
        from neurojit.cli.opt import main as opt_main

        return opt_main(rest)
    if command == "run":
        import inspect

        from neurojit.cli.run import main as run_main

        # neurojit-run's main may or may not take argv; give it the command line either way.
        if inspect.signature(run_main).parameters:
            return run_main(rest)
        sys.argv = ["neurojit-run", *rest]
        return run_main()
    print(f"neurojit: error: unknown command '{command}'\n{USAGE}", file=sys.stderr, end="")
    return 2


if __name__ == "__main__":
    sys.exit(main())
