"""Fly the Lunar Lander: MLIR physics and autopilot, stepped from Python, healed in flight.

    python examples/lander/driver.py [--runner llama|openai|gemini|mock|none] [...]

The driver is deliberately thin: the flight is `lander.mlir`. Each step it checkpoints the
state, asks the native @autopilot for a throttle and lets the native @physics_step advance
the state. Calls go through `neurojit.healing.SelfHealingModule`, so a fault in the autopilot
is repaired and hot-swapped mid-flight; the driver then resumes from the checkpoint (the last
good state) and flies on.

Exit codes: 0 landed, 1 bad input, 2 usage, 3 a fault nobody repaired, 4 the lander crashed
(or was still flying when the step budget ran out).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import numpy as np

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "lander.mlir"
DT = 0.5  # seconds per step
MAX_STEPS = 2000
ALT, VEL, FUEL, TIME = range(4)  # the state memref's layout (see lander.mlir)
FLYING, LANDED, CRASHED = 0, 1, 2

EXIT_LANDED, EXIT_ERROR, EXIT_USAGE, EXIT_UNREPAIRED, EXIT_CRASHED = 0, 1, 2, 3, 4


@dataclass
class Flight:
    """What happened: one row per state (time, altitude, velocity, fuel, throttle), events."""

    rows: list[tuple[float, float, float, float, float]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    status: str = "flying"
    diagnosis: str = ""

    def row(self, state: np.ndarray, throttle: float) -> None:
        self.rows.append(
            (float(state[TIME]), float(state[ALT]), float(state[VEL]), float(state[FUEL]), throttle)
        )


def _bar(throttle: float, width: int = 10) -> str:
    filled = round(max(0.0, min(1.0, throttle)) * width)
    return "[" + "#" * filled + " " * (width - filled) + "]"


def show(out: TextIO | None, step: int, state: np.ndarray, throttle: float, note: str = "") -> None:
    """The live display: one line per step."""
    if out is None:
        return
    print(
        f"step {step:4d}  t {state[TIME]:6.1f} s  alt {state[ALT]:7.1f} m  "
        f"vel {state[VEL]:+7.2f} m/s  fuel {state[FUEL]:6.1f} kg  "
        f"throttle {throttle:4.2f} {_bar(throttle)}{note}",
        file=out,
        flush=True,
    )


def fly(lander: Any, out: TextIO | None, delay: float = 0.0) -> Flight:
    """Fly until touchdown or the step budget; `lander` is a SelfHealingModule.

    Raises `neurojit.healing.Unrepaired` on a fault that could not be repaired; the flight
    so far is in its `.flight` attribute.
    """
    from neurojit.healing import Unrepaired

    flight = Flight()
    state = np.zeros(4)
    lander.call("initial_state", state)
    flight.row(state, 0.0)
    show(out, 0, state, 0.0)
    healed: list[Any] = []
    lander.on_repair = healed.append
    for step in range(1, MAX_STEPS + 1):
        checkpoint = state.copy()  # the last good state
        try:
            alt, vel, fuel = (float(state[i]) for i in (ALT, VEL, FUEL))
            throttle = float(lander.call("autopilot", alt, vel, fuel))
            if healed:
                # A repair happened inside this step: fly on from the checkpoint, as if the
                # repaired version had been there all along.
                record = healed.pop()
                state[:] = checkpoint
                at = {"step": step, "time": float(state[TIME]), "altitude": float(state[ALT])}
                flight.events.append(
                    {
                        "kind": "fault",
                        "function": record.function,
                        "fault_kind": record.fault_kind,
                        **at,
                    }
                )
                flight.events.append({"kind": "swap", "source": record.source, **at})
                if out is not None:
                    print(
                        f"  >> @{record.function} repaired by {record.source}; resuming from "
                        f"the checkpoint at t {state[TIME]:.1f} s (alt {state[ALT]:.1f} m)",
                        file=out,
                        flush=True,
                    )
            status = int(lander.call("physics_step", state, throttle, DT))
        except Unrepaired as err:
            state[:] = checkpoint
            flight.events.append(
                {
                    "kind": "fault",
                    "function": err.report.function,
                    "fault_kind": err.report.kind,
                    "step": step,
                    "time": float(state[TIME]),
                    "altitude": float(state[ALT]),
                }
            )
            flight.status = "fault"
            flight.diagnosis = err.message
            err.flight = flight  # type: ignore[attr-defined]
            raise
        flight.row(state, throttle)
        show(out, step, state, throttle)
        if delay:
            time.sleep(delay)
        if status != FLYING:
            flight.status = "landed" if status == LANDED else "crashed"
            return flight
    flight.status = "out of steps"
    return flight


def plot(flight: Flight, path: Path, title: str) -> None:
    """Altitude and velocity over time, the fault and the swap marked."""
    import matplotlib

    matplotlib.use("Agg")  # files only: no display needed
    import matplotlib.pyplot as plt

    rows = np.array(flight.rows) if flight.rows else np.zeros((0, 5))
    fig, (ax_alt, ax_vel) = plt.subplots(2, 1, sharex=True, figsize=(8, 6))
    ax_alt.plot(rows[:, 0], rows[:, 1], color="tab:blue")
    ax_alt.set_ylabel("altitude (m)")
    ax_vel.plot(rows[:, 0], rows[:, 2], color="tab:orange")
    ax_vel.axhline(-3.0, color="grey", linestyle=":", linewidth=1)
    ax_vel.annotate(
        "safe touchdown limit",
        (0, -3.0),
        xytext=(4, 4),
        textcoords="offset points",
        color="grey",
        fontsize=8,
    )
    ax_vel.set_ylabel("velocity (m/s)")
    ax_vel.set_xlabel("time (s)")
    styles = {"fault": ("tab:red", "--"), "swap": ("tab:green", "-")}
    for event in flight.events:
        color, line = styles.get(event["kind"], ("black", ":"))
        label = event["kind"] if event["kind"] == "fault" else f"swap ({event.get('source')})"
        for ax in (ax_alt, ax_vel):
            ax.axvline(event["time"], color=color, linestyle=line, linewidth=1.2)
        if event["kind"] == "fault":
            # The state the faulting call saw: where the flight stood when it stopped.
            at = rows[np.argmin(np.abs(rows[:, 0] - event["time"]))] if len(rows) else None
            if at is not None:
                ax_alt.plot(at[0], at[1], "x", color=color, markersize=9, mew=2)
                ax_vel.plot(at[0], at[2], "x", color=color, markersize=9, mew=2)
        ax_alt.annotate(
            label,
            (event["time"], event["altitude"]),
            xytext=(8, -14 if event["kind"] == "fault" else -28),
            textcoords="offset points",
            color=color,
        )
    ax_alt.set_title(title)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100)
    plt.close(fig)


def write_report(
    path: Path, flight: Flight, lander: Any, args: argparse.Namespace, exit_code: int
) -> None:
    healing = lander.report() if lander is not None else {}
    last = flight.rows[-1] if flight.rows else (0.0, 0.0, 0.0, 0.0, 0.0)
    report = {
        "status": flight.status,
        "exit_code": exit_code,
        "diagnosis": flight.diagnosis,
        "runner": args.runner,
        "model": args.model or "",
        "proposers": args.proposers,
        "steps": max(0, len(flight.rows) - 1),
        "final": {"time": last[0], "altitude": last[1], "velocity": last[2], "fuel": last[3]},
        "events": flight.events,
        **healing,
        "trajectory": [
            {"time": t, "altitude": a, "velocity": v, "fuel": f, "throttle": th}
            for t, a, v, f, th in flight.rows
        ],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=1) + "\n")


def summarize(record: Any) -> str:
    """One line per repair: which source won, at which attempt, after what."""
    tried: dict[str, list[Any]] = {}
    for attempt in record.attempts:
        tried.setdefault(attempt.proposer, []).append(attempt)
    history = ", ".join(
        f"{proposer}: {sum(not a.accepted for a in attempts)} rejected"
        for proposer, attempts in tried.items()
    )
    if not record.accepted:
        return f"@{record.function} ({record.fault_kind}) NOT repaired; {history}"
    winner = next(a for a in record.attempts if a.accepted)
    how = f"{record.source}" + (f" [{winner.rule}]" if winner.rule else "")
    model = f" ({record.model})" if record.source == "model" and record.model else ""
    evidence = getattr(record, "evidence", "")
    return (
        f"@{record.function} ({record.fault_kind}) repaired by {how}{model}, "
        f"attempt {winner.attempt}, in {record.seconds:.2f} s; {history}"
        + (f"; validated: {evidence}" if evidence else "")
    )


def _display_path(path: Path) -> str:
    """Relative to the working directory when under it: fault locations read shorter."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def main(argv: list[str] | None = None) -> int:
    from neurojit.cli.healing_flags import add_healing_arguments, options_from_args
    from neurojit.errors import NeuroJITError, UsageError
    from neurojit.healing import SelfHealingModule, Unrepaired

    parser = argparse.ArgumentParser(prog="lander", description=__doc__.splitlines()[0])
    add_healing_arguments(parser)
    parser.add_argument("--source", default=_display_path(SOURCE), help="the lander's MLIR")
    parser.add_argument("--report", default="lander_report.json", help="JSON report path")
    parser.add_argument("--plot", default="lander.png", help="trajectory plot path ('' = none)")
    parser.add_argument("--delay", type=float, default=0.0, help="seconds between steps")
    parser.add_argument("--quiet", action="store_true", help="no per-step display")
    parser.add_argument(
        "--checks",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="explicit fault checks in the native code (default on; off: the signal guard)",
    )
    args = parser.parse_args(argv)
    out = None if args.quiet else sys.stdout
    lander = None
    flight = Flight()
    try:
        options = options_from_args(args)
        lander = SelfHealingModule.load(args.source, options=options, checks=args.checks)
        for entry in lander.preapplied:
            print(
                f"  >> @{entry['function']} pre-repaired from the strategy cache "
                f"({entry['fault_kind']}, first fixed by {entry['source']})",
                file=out or sys.stderr,
            )
        flight = fly(lander, out, delay=args.delay)
        code = EXIT_LANDED if flight.status == "landed" else EXIT_CRASHED
    except Unrepaired as err:
        flight = getattr(err, "flight", flight)
        print(f"lander: {err}", file=sys.stderr)
        code = EXIT_UNREPAIRED
    except UsageError as err:
        print(f"lander: {err}", file=sys.stderr)
        return EXIT_USAGE
    except NeuroJITError as err:
        print(f"lander: {err}", file=sys.stderr)
        return EXIT_ERROR
    last = flight.rows[-1] if flight.rows else None
    if code == EXIT_LANDED and last is not None:
        print(
            f"touchdown at t {last[0]:.1f} s, {abs(last[2]):.2f} m/s, "
            f"{last[3]:.1f} kg of fuel left: LANDED",
            file=out or sys.stderr,
        )
    elif code == EXIT_CRASHED and last is not None:
        print(
            f"lander: {flight.status} at t {last[0]:.1f} s, {abs(last[2]):.2f} m/s", file=sys.stderr
        )
    if args.report:
        write_report(Path(args.report), flight, lander, args, code)
    if args.plot:
        plot(flight, Path(args.plot), f"Lunar Lander: {flight.status}")
    for record in lander.repairs if lander is not None else []:
        print(f"repair: {summarize(record)}", file=sys.stderr)
    faults = len(lander.faults) if lander is not None else 0
    queries = lander.report()["queries"] if lander is not None else 0
    print(
        f"faults {faults}, model queries {queries}, report {args.report or '-'}, "
        f"plot {args.plot or '-'}",
        file=sys.stderr,
    )
    return code


if __name__ == "__main__":
    sys.exit(main())
