"""`neurojit models list|fetch|path`: what the registry knows, fetching, and the default model."""

from __future__ import annotations

import argparse
import sys

from neurojit import models
from neurojit.errors import NeuroJITError


def build_parser(prog: str = "neurojit models") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog, description="Manage the repair models (GGUF).")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="registry entries, and which are present")
    fetch = sub.add_parser("fetch", help="download a model into models/ (idempotent)")
    fetch.add_argument("name", nargs="?", default=models.FALLBACK_MODEL)
    path = sub.add_parser("path", help="print the path of a model (default: the best present)")
    path.add_argument("name", nargs="?")
    return parser


def main(argv: list[str] | None = None, prog: str = "neurojit models") -> int:
    args = build_parser(prog).parse_args(argv)
    try:
        if args.command == "list":
            for entry in models.load_registry():
                mark = "present" if models.is_present(entry) else "-"
                size = f"{entry.size / 1e6:.0f} MB" if entry.size else "? MB"
                kind = entry.source.get("kind", "?")
                print(f"{entry.name:36} {size:>8}  {kind:12} {mark}")
        elif args.command == "fetch":
            entry = models.find_entry(args.name)
            print(models.fetch(entry))
        else:
            print(models.resolve_model(args.name) if args.name else models.default_model())
    except NeuroJITError as err:
        print(f"neurojit: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
