"""`neurojit cache list|show|export|import|prune|stats|keygen`: the strategy store, any back end.

`--cache URL` (or `$NEUROJIT_CACHE`, else the default file) names the store, so a team can
move repairs between back ends: `neurojit cache export --cache file:a.json > r.json` then
`neurojit cache import r.json --cache redis://host:6379/0`. Export writes plain (unsigned)
entries; import signs them with the target's key, so importing is a trust decision: only
import what you would have stored yourself (pre-apply still re-validates every entry).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import asdict
from pathlib import Path
from typing import Any

from neurojit.errors import NeuroJITError, UsageError

MAX_IMPORT_BYTES = 256 * 1024 * 1024


def _parser(prog: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog, description="inspect and move strategy stores")
    parser.add_argument(
        "--cache",
        metavar="URL",
        help="a path, file:PATH, sqlite:///PATH or redis://HOST:PORT/DB "
        "(default $NEUROJIT_CACHE, else ~/.neurojit/cache.json)",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="one line per entry")
    show = sub.add_parser("show", help="an entry's texts and metadata")
    show.add_argument("fingerprint", help="a fingerprint, or a unique prefix of one")
    export = sub.add_parser("export", help="every entry as JSON (stdout or -o FILE)")
    export.add_argument("-o", "--output", type=Path)
    imp = sub.add_parser("import", help="store the entries of an export file (- for stdin)")
    imp.add_argument("file")
    prune = sub.add_parser("prune", help="drop old entries")
    prune.add_argument("--keep", type=int, help="keep only the newest N entries")
    prune.add_argument("--older-than", type=float, metavar="DAYS", help="drop entries older")
    prune.add_argument("--fingerprint", help="drop every entry of this fingerprint")
    sub.add_parser("stats", help="fleet-wide counts from the store's fault/repair events")
    keygen = sub.add_parser("keygen", help="create a fleet key file (0600) to share")
    keygen.add_argument("path", type=Path, nargs="?")
    return parser


def main(argv: list[str], prog: str = "neurojit cache") -> int:
    parser = _parser(prog)
    args = parser.parse_args(argv)
    try:
        return _run(args)
    except UsageError as err:
        print(f"{prog}: error: {err.message}", file=sys.stderr)
        return 2
    except NeuroJITError as err:
        print(f"{prog}: error: {err.message}", file=sys.stderr)
        return 1


def _open(url: str | None) -> Any:
    from neurojit.llm_pass.store import open_store

    store = open_store(url)
    if store is None:
        raise UsageError("--cache none names no store")
    return store


def _run(args: argparse.Namespace) -> int:
    if args.command == "keygen":
        from neurojit.llm_pass.cache_integrity import IntegrityError, fleet_key_path, new_fleet_key

        try:
            path = new_fleet_key(args.path or fleet_key_path())
        except IntegrityError as err:
            raise NeuroJITError(str(err)) from None
        print(path)
        return 0
    store = _open(args.cache)
    try:
        return COMMANDS[args.command](store, args)
    finally:
        store.close()
        if store.rejected:
            total = sum(store.rejected.values())
            reasons = "; ".join(f"{n} {why}" for why, n in store.rejected.most_common(3))
            print(f"warning: {total} record(s) rejected: {reasons}", file=sys.stderr)


def _list(store: Any, args: argparse.Namespace) -> int:
    for e in store.entries():
        print(f"{e.fingerprint}  {e.kind:<20} @{e.function:<20} {e.proposer:<6} {e.model}")
    return 0


def _show(store: Any, args: argparse.Namespace) -> int:
    found = [e for e in store.entries() if e.fingerprint.startswith(args.fingerprint)]
    if not found:
        raise NeuroJITError(f"no entry with fingerprint '{args.fingerprint}' in {store.url}")
    if len({e.fingerprint for e in found}) > 1:
        raise UsageError(f"fingerprint prefix '{args.fingerprint}' is ambiguous")
    for e in found:
        print(f"fingerprint {e.fingerprint}\nkind        {e.kind}\nfunction    @{e.function}")
        print(f"proposer    {e.proposer} {e.model}\nattempts    {e.attempts}")
        print(f"seconds     {e.seconds:.3f}\nstored calls {len(e.calls)}")
        print("--- original\n" + e.original.rstrip() + "\n--- repaired\n" + e.repaired.rstrip())
    return 0


def _export(store: Any, args: argparse.Namespace) -> int:
    payload = {"neurojit-export": 1, "entries": [asdict(e) for e in store.entries()]}
    text = json.dumps(payload, indent=1) + "\n"
    if args.output:
        args.output.write_text(text)
        print(f"exported {len(payload['entries'])} entries to {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def _import(store: Any, args: argparse.Namespace) -> int:
    from neurojit.limits import read_source, read_stdin
    from neurojit.llm_pass.cache import CacheEntry
    from neurojit.llm_pass.store import copy_entries

    raw = (
        read_stdin(MAX_IMPORT_BYTES)
        if args.file == "-"
        else read_source(Path(args.file), MAX_IMPORT_BYTES)
    )
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError) as err:
        raise NeuroJITError(f"{args.file}: not a NeuroJIT export: {err}") from None
    items = data.get("entries") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise NeuroJITError(f"{args.file}: not a NeuroJIT export (no 'entries' list)")
    entries = [CacheEntry.from_json(item) for item in items]
    good = [e for e in entries if e is not None]
    count = copy_entries(good, store)
    skipped = len(entries) - len(good)
    note = f" ({skipped} malformed skipped)" if skipped else ""
    print(f"imported {count} entries into {store.url}{note}", file=sys.stderr)
    return 0


def _prune(store: Any, args: argparse.Namespace) -> int:
    if args.keep is None and args.older_than is None and args.fingerprint is None:
        raise UsageError("prune needs --keep N, --older-than DAYS or --fingerprint FP")
    if store.read_only:
        raise NeuroJITError(f"strategy store {store.url} is read-only here (no fleet key)")
    removed = store.remove(args.fingerprint) if args.fingerprint else 0
    older = args.older_than * 86400 if args.older_than is not None else None
    if args.keep is not None or older is not None:
        removed += store.prune(keep=args.keep, older_than=older)
    print(f"removed {removed} entries from {store.url}", file=sys.stderr)
    return 0


def stats(events: list[dict[str, Any]]) -> dict[str, Any]:
    """Fleet-wide counts from events: faults by kind and function, repairs by proposer,
    reuses (pre-applied, propagated) and the repair time they saved."""
    faults: Counter[str] = Counter()
    repairs: Counter[str] = Counter()
    reuses: Counter[str] = Counter()
    processes: set[tuple[str, str]] = set()
    saved = model_saved = 0.0
    for e in events:
        processes.add((str(e.get("host", "?")), str(e.get("pid", "?"))))
        kind = e.get("event")
        if kind == "fault":
            faults[f"{e.get('kind', '?')} @{e.get('function', '?')}"] += 1
        elif kind == "repair":
            repairs[str(e.get("proposer", "?"))] += 1
        elif kind == "reuse":
            reuses[str(e.get("how", "?"))] += 1
            seconds = e.get("saved_seconds", 0.0)
            seconds = float(seconds) if isinstance(seconds, int | float) else 0.0
            saved += seconds
            if e.get("proposer") == "model":
                model_saved += seconds
    return {
        "events": len(events),
        "processes": len(processes),
        "faults": dict(faults.most_common()),
        "repairs": dict(repairs.most_common()),
        "reuses": dict(reuses.most_common()),
        "repair_seconds_saved": saved,
        "model_seconds_saved": model_saved,
    }


def _stats(store: Any, args: argparse.Namespace) -> int:
    entries = store.entries()
    if not store.keeps_events:
        print(f"{store.url}: {len(entries)} entries; this back end keeps no fault events")
        return 0
    s = stats(store.events())
    print(f"{store.url}: {len(entries)} entries, {s['events']} events from "
          f"{s['processes']} process(es)")  # fmt: skip
    print("faults by kind and function:")
    for what, n in s["faults"].items():
        print(f"  {n:6d}  {what}")
    print("repairs by proposer:")
    for who, n in s["repairs"].items():
        print(f"  {n:6d}  {who}")
    print("repairs reused instead of repaired again:")
    for how, n in s["reuses"].items():
        print(f"  {n:6d}  {how}")
    print(f"model time saved: {s['model_seconds_saved']:.2f} s "
          f"(all repair time saved: {s['repair_seconds_saved']:.2f} s)")  # fmt: skip
    return 0


COMMANDS = {
    "list": _list,
    "show": _show,
    "export": _export,
    "import": _import,
    "prune": _prune,
    "stats": _stats,
}
