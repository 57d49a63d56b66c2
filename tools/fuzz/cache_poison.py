"""The cache-poisoning suite: strategy caches an attacker (another user, a hand edit, a buggy
writer holding our key) could leave behind, and what loading a program with them must do.

Each scenario builds a cache file in a fresh `$NEUROJIT_HOME`, loads `PROGRAM` with
pre-apply on, and reports whether anything poisoned was installed, what was printed, and how
long the load took. Must hold: 0 poisoned entries installed; a tampered file is rejected as a
whole; an unreadable file is one warning line and the program still runs.

    python -m tools.fuzz.cache_poison       # one line per scenario, exit 1 on a failure
"""

from __future__ import annotations

import io
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PROGRAM = """\
memref.global "private" @g : memref<1xi64> = dense<1234>
func.func @div(%a: i64, %b: i64) -> i64 {
  %q = arith.divsi %a, %b : i64
  return %q : i64
}
func.func @peek() -> i64 {
  %g = memref.get_global @g : memref<1xi64>
  %z = arith.constant 0 : index
  %v = memref.load %g[%z] : memref<1xi64>
  return %v : i64
}
"""

GOOD = """func.func @div(%a: i64, %b: i64) -> i64 {
  %z = arith.constant 0 : i64
  %isz = arith.cmpi eq, %b, %z : i64
  %one = arith.constant 1 : i64
  %d = arith.select %isz, %one, %b : i64
  %q = arith.divsi %a, %d : i64
  return %q : i64
}"""

POISONS = {
    "returns zero": """func.func @div(%a: i64, %b: i64) -> i64 {
  %c = arith.constant 0 : i64
  return %c : i64
}""",
    "overwrites a global": """func.func @div(%a: i64, %b: i64) -> i64 {
  %g = memref.get_global @g : memref<1xi64>
  %z = arith.constant 0 : index
  %c = arith.constant 7 : i64
  memref.store %c, %g[%z] : memref<1xi64>
  return %c : i64
}""",
    "leaks a pointer": """func.func @div(%a: i64, %b: i64) -> i64 {
  %g = memref.get_global @g : memref<1xi64>
  %p = memref.extract_aligned_pointer_as_index %g : memref<1xi64> -> index
  %x = arith.index_cast %p : index to i64
  return %x : i64
}""",
    "frees a global": """func.func @div(%a: i64, %b: i64) -> i64 {
  %g = memref.get_global @g : memref<1xi64>
  memref.dealloc %g : memref<1xi64>
  return %a : i64
}""",
    "hangs the lexer": 'func.func @div(%a: i64, %b: i64) -> i64 {\n  "t"() {s = "'
    + "a" * 40
    + '\n"} : () -> ()\n  return %a : i64\n}',
    "hangs when run": """func.func @div(%a: i64, %b: i64) -> i64 {
  %t = arith.constant true
  scf.while () : () -> () {
    scf.condition(%t)
  } do {
    scf.yield
  }
  return %a : i64
}""",
}


@dataclass
class Result:
    name: str
    installed: bool  # a poisoned body became the running @div
    warnings: str
    seconds: float
    ran: bool  # the program still ran (div(10, 2) == 5, or faulted as the original)
    ok: bool


def _fingerprint() -> str:
    from neurojit.ir import parse_module
    from neurojit.llm_pass.fingerprint import fingerprint

    module = parse_module(PROGRAM)
    func = next(
        op for op in module.ops if getattr(op, "sym_name", None) and op.sym_name.data == "div"
    )
    return fingerprint(func, "division-by-zero")


def _entry(repaired: str, calls: list[Any] | None = None) -> Any:
    from neurojit.llm_pass.cache import CacheEntry

    return CacheEntry(
        fingerprint=_fingerprint(),
        kind="division-by-zero",
        function="div",
        original="",
        repaired=repaired,
        proposer="model",
        model="attacker",
        calls=calls if calls is not None else [{"inputs": [10, 2], "output": 5}],
    )


def _load(home: Path, cache: Path) -> tuple[Any, str, float]:
    from neurojit.healing import HealingOptions, SelfHealingModule

    log = io.StringIO()
    old_err, sys.stderr = sys.stderr, log  # the cache's warnings go to stderr
    start = time.perf_counter()
    try:
        module = SelfHealingModule(
            PROGRAM,
            options=HealingOptions(runner="mock", proposers="rules", cache=str(cache)),
            progress=log,
        )
    finally:
        sys.stderr = old_err
    return module, log.getvalue(), time.perf_counter() - start


def _outcome(name: str, module: Any, log: str, seconds: float, expect_warning: bool) -> Result:
    from neurojit.fault_report import JITFault

    installed = bool(module.preapplied)
    try:
        ran = module.compiled.call("div", 10, 2) == 5 and module.compiled.call("peek") == 1234
    except JITFault:
        ran = False
    warned = [line for line in log.splitlines() if line.startswith("warning:")]
    ok = not installed and ran and (len(warned) == 1 if expect_warning else True)
    return Result(name, installed, log.strip(), seconds, ran, ok)


def scenarios() -> dict[str, Callable[[Path], Result]]:
    """name -> scenario(home) -> Result."""
    from neurojit.llm_pass.cache import StrategyCache
    from neurojit.llm_pass.cache_integrity import tag

    found: dict[str, Callable[[Path], Result]] = {}

    def stored(name: str, repaired: str, calls: list[Any] | None = None) -> None:
        # Written through our own writer (a valid tag): the policy and the stored calls
        # must stop it at pre-apply.
        def run(home: Path) -> Result:
            cache = home / "cache.json"
            StrategyCache(cache).store(_entry(repaired, calls))
            return _outcome(f"tagged: {name}", *_load(home, cache), expect_warning=False)

        found[f"tagged: {name}"] = run

    for name, body in POISONS.items():
        stored(name, body)
    stored(
        "returns zero, with forged calls",
        POISONS["returns zero"],
        [{"inputs": [10, 2], "output": 5}, {"inputs": [7, 7], "output": 1}],
    )
    stored("malformed calls", GOOD, [{"inputs": "nope"}])

    def tampered(name: str, edit: Callable[[dict[str, Any]], None]) -> None:
        def run(home: Path) -> Result:
            cache = home / "cache.json"
            StrategyCache(cache).store(_entry(GOOD))
            data = json.loads(cache.read_text())
            edit(data)
            cache.write_text(json.dumps(data))
            result = _outcome(f"tampered: {name}", *_load(home, cache), expect_warning=True)
            result.ok = result.ok and "integrity" in result.warnings
            return result

        found[f"tampered: {name}"] = run

    def swap_body(data: dict[str, Any]) -> None:
        data["entries"][0]["repaired"] = POISONS["returns zero"]

    def drop_tag(data: dict[str, Any]) -> None:
        del data["entries"][0]["tag"]

    def foreign_key(data: dict[str, Any]) -> None:
        entry = data["entries"][0]
        entry["repaired"] = POISONS["overwrites a global"]
        entry["tag"] = tag(b"another user's secret, 32 bytes long!!", entry)

    def append_untagged(data: dict[str, Any]) -> None:
        from dataclasses import asdict

        data["entries"].append(asdict(_entry(POISONS["returns zero"])))

    tampered("body edited by hand", swap_body)
    tampered("tag removed", drop_tag)
    tampered("signed with another user's key", foreign_key)
    tampered("untagged entry appended", append_untagged)

    def unreadable(name: str, make: Callable[[Path], None]) -> None:
        def run(home: Path) -> Result:
            cache = home / "cache.json"
            make(cache)
            return _outcome(f"unreadable: {name}", *_load(home, cache), expect_warning=True)

        found[f"unreadable: {name}"] = run

    unreadable("not UTF-8", lambda p: p.write_bytes(b'{"entries": ["\xff\xfe"]}'))
    unreadable("nested 100,000 deep", lambda p: p.write_text("[" * 100_000 + "]" * 100_000))
    unreadable("a directory", lambda p: p.mkdir())
    unreadable("not JSON", lambda p: p.write_text("this is not json"))

    def loose_secret(home: Path) -> Result:
        cache = home / "cache.json"
        StrategyCache(cache).store(_entry(GOOD))
        (home / "secret").chmod(0o644)
        from neurojit.llm_pass import cache_integrity

        cache_integrity._KEYS.clear()  # noqa: SLF001 - a new process would re-read it
        result = _outcome("secret readable by others", *_load(home, cache), expect_warning=True)
        result.ok = result.ok and "another user" in result.warnings
        return result

    found["secret readable by others"] = loose_secret
    return found


def run_all() -> list[Result]:
    from neurojit.llm_pass import cache, cache_integrity

    results = []
    saved = os.environ.get("NEUROJIT_HOME")
    for name, scenario in scenarios().items():
        with tempfile.TemporaryDirectory(prefix="nj-poison-") as tmp:
            home = Path(tmp)
            os.environ["NEUROJIT_HOME"] = str(home)
            cache_integrity._KEYS.clear()  # noqa: SLF001 - each scenario is a fresh user
            cache._WARNED.clear()  # noqa: SLF001
            try:
                results.append(scenario(home))
            except Exception as err:  # noqa: BLE001 - a scenario that raises has failed
                results.append(Result(name, False, f"raised {err!r}", 0.0, False, False))
    if saved is None:
        os.environ.pop("NEUROJIT_HOME", None)
    else:
        os.environ["NEUROJIT_HOME"] = saved
    cache_integrity._KEYS.clear()  # noqa: SLF001
    return results


def main() -> int:
    results = run_all()
    for r in results:
        mark = "ok  " if r.ok else "FAIL"
        first = r.warnings.splitlines()[0][:100] if r.warnings else ""
        print(
            f"{mark} {r.seconds * 1e3:7.1f} ms  {r.name}: installed={r.installed} "
            f"ran={r.ran}  {first}"
        )
    bad = sum(not r.ok for r in results)
    print(
        f"{len(results) - bad}/{len(results)} scenarios held; "
        f"{sum(r.installed for r in results)} poisoned entries installed"
    )
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
