"""The ``crisis balance`` command: ending shares, win rates and option statistics over many games.

It also checks the scenario's own balance assertions (exit 1 when one fails), sweeps one
number to show how the endings move with it, ranks every number by how much it matters
(``--sensitivity``), and compares two versions of a scenario.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from dataclasses import replace
from functools import partial
from pathlib import Path

import numpy as np

from game import files, flags
from game.analysis import morris, sensitivity
from game.analysis import report as rep
from game.analysis.morris import TRAJECTORIES
from game.analysis.runner import Spec, default_workers, executor_for, plan_of, simulate
from game.analysis.sensitivity import GAMES, STEP, Setup
from game.analysis.vpolicies import VECTORISED
from game.core.errors import CrisisError
from game.core.limits import MAX_GAMES, MAX_SWEEP_STEPS
from game.core.model import Scenario
from game.core.numeric import LIMIT_TEXT, within
from game.paths import find_scenario
from game.scenario.loader import load_bytes
from game.scenario.yamlread import MAX_BYTES

MAX_SENSITIVITY_GAMES = 1_000_000  # per version: a thousand numbers would make a billion games
MAX_TRAJECTORIES = 50


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "balance",
        help="play many games headless and report ending shares, win rates and options",
        description="Play many games of a scenario at once and report how they end.",
    )
    p.add_argument("file", nargs="?", type=flags.path, help="scenario file (or a bundled scenario's name)")
    p.add_argument(
        "--games", type=flags.whole(1, MAX_GAMES), default=10_000, metavar="N", help="games to play (default 10000)"
    )
    p.add_argument("--seed", type=flags.seed, default=1, metavar="S", help="seed of the run (default 1)")
    p.add_argument(
        "--policy", action="append", default=[], metavar="ROLE=NAME", help="a role's policy (default random)"
    )
    p.add_argument(
        "--workers",
        type=flags.whole(0, flags.cores(), "a number of processes, one per core at most,"),
        default=0,
        metavar="K",
        help="local processes (default: one per core)",
    )
    p.add_argument("--scheduler", default="", metavar="ADDRESS", help="run the chunks on a Dask cluster")
    p.add_argument("--json", metavar="OUT", type=flags.path, help="write the report as JSON")
    p.add_argument("--csv", metavar="OUT", type=flags.path, help="write the report as CSV")
    p.add_argument("--plot", metavar="OUT.png", type=flags.path, help="draw the report as a PNG picture")
    p.add_argument("--sweep", metavar="VAR=LO:HI:STEPS", help="vary a starting value or a constant")
    p.add_argument(
        "--compare", nargs=2, type=flags.path, metavar=("OLD", "NEW"), help="compare the ending shares of two versions"
    )
    p.add_argument("--force", action="store_true", help="with --compare: compare two different scenarios all the same")
    p.add_argument(
        "--sensitivity",
        action="store_true",
        help="rank every number of the file by how much moving it changes the endings and scores",
    )
    p.add_argument(
        "--sensitivity-games",
        type=flags.integer,
        default=None,
        metavar="N",
        help=f"with --sensitivity: games per version (default {GAMES:,})",
    )
    p.add_argument(
        "--method",
        choices=("oat", "morris"),
        default=None,
        help="with --sensitivity: each number on its own around the file's values (oat, the default), "
        "or Morris screening of all of them over their ranges (morris; needs SALib)",
    )
    p.add_argument(
        "--trajectories",
        type=flags.integer,
        default=None,
        metavar="R",
        help=f"with --method morris: walks through the ranges (default {TRAJECTORIES})",
    )
    p.add_argument(
        "--step",
        type=float,
        default=None,
        metavar="F",
        help=f"with --sensitivity: how far each number is moved down and up, as a share of it (default {STEP:g})",
    )
    p.add_argument("--no-checks", action="store_true", help="skip the scenario's balance assertions")
    p.add_argument(
        "--slow-checks", action="store_true", help="also run assertions whose policies play one game at a time"
    )
    p.add_argument("--no-audit", action="store_true", help="skip the audit of dominated options")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.games <= 0 or args.games > MAX_GAMES:
        raise CrisisError(f"--games must be between 1 and {MAX_GAMES:,}, not {args.games}")
    if not 0 <= args.workers <= flags.cores():
        raise CrisisError(f"--workers takes 1 to {flags.cores()} (the cores of this machine), not {args.workers}")
    for out in (args.json, args.csv, args.plot):
        if out:
            writable(out)
    given = {"--sensitivity-games": args.sensitivity_games, "--method": args.method}
    given |= {"--trajectories": args.trajectories, "--step": args.step}
    stray = next((flag for flag, value in given.items() if value is not None), None)
    if stray and not args.sensitivity:
        raise CrisisError(f"{stray} goes with --sensitivity")
    if args.trajectories is not None and args.method != "morris":
        raise CrisisError("--trajectories goes with --method morris")
    args.sensitivity_games = GAMES if args.sensitivity_games is None else args.sensitivity_games
    args.method = args.method or "oat"
    args.trajectories = TRAJECTORIES if args.trajectories is None else args.trajectories
    args.step = STEP if args.step is None else args.step
    if args.sensitivity and (args.compare or args.sweep):
        raise CrisisError("--sensitivity moves every number itself: give it without --sweep or --compare")
    if args.compare:
        return run_compare(args)
    if not args.file:
        raise CrisisError("name a scenario file (or give --compare OLD NEW)")
    base = load_spec(args.file, args)
    not_the_scenario(args, base.path)
    if args.sensitivity:
        return run_sensitivity(base, args)
    if args.sweep:
        return run_sweep(base, args)
    return run_balance(base, args)


# setting up ------------------------------------------------------------------------------------


def not_the_scenario(args: argparse.Namespace, *scenarios: str) -> None:
    """Refuse an output path that is a scenario file the run reads: a report never replaces it."""
    for out in (args.json, args.csv, args.plot):
        if out and any(files.same_file(out, path) for path in scenarios):
            raise CrisisError(f"cannot write {out}: it is the scenario file being read; choose another file")


def writable(path: str) -> None:
    """Refuse an output path that cannot be written, before any game is played."""
    target = files.resolve(path)
    folder = target.parent
    try:
        files.check_writable(target)
    except OSError as exc:
        raise CrisisError(f"cannot write {path}: {exc.strerror}") from None
    if not folder.is_dir():
        blocking = next((part for part in (folder, *folder.parents) if os.path.lexists(part)), None)
        if blocking is not None and not blocking.is_dir():
            raise CrisisError(f"cannot write {path}: {blocking} is a file, not a folder")
        raise CrisisError(f"cannot write {path}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK) or (target.exists() and not os.access(target, os.W_OK)):
        raise CrisisError(f"cannot write {path}: permission denied")


def load_spec(name: str, args: argparse.Namespace) -> Spec:
    path = find_scenario(name)
    try:
        raw = files.read_regular(path, MAX_BYTES)
    except OSError as exc:
        raise CrisisError(f"cannot read {path}: {exc.strerror or exc}") from None
    scenario = load_bytes(raw, str(path))
    policies = parse_policies(args.policy, scenario)
    return Spec(raw, str(path), policies, args.games, args.seed)


def parse_policies(given: list[str], scenario: Scenario) -> tuple[tuple[str, str], ...]:
    """ROLE=NAME pairs checked against the scenario's roles and the known policies."""
    from game.ai import FACTORIES

    known = sorted(set(VECTORISED) | set(FACTORIES))
    chosen = dict.fromkeys(scenario.roles, "random")
    named: set[str] = set()
    for item in given:
        role, sep, name = item.partition("=")
        if not sep:
            raise CrisisError(f"--policy takes ROLE=NAME, not '{item}'")
        if role not in scenario.roles:
            raise CrisisError(f"unknown role '{role}' (roles: {', '.join(scenario.roles)})")
        if role in named:
            raise CrisisError(f"--policy names '{role}' twice: give each role one policy")
        named.add(role)
        base, slash, _ = name.partition("/")
        if slash and base in known:
            raise CrisisError(f"--policy takes a policy's name only ('{base}'), without options ('{name}')")
        if name not in known:
            raise CrisisError(f"unknown policy '{name}' (known: {', '.join(known)})")
        chosen[role] = name
    return tuple(chosen.items())


def parse_sweep(text: str, scenario: Scenario) -> tuple[str, list[float]]:
    name, sep, rest = text.partition("=")
    parts = rest.split(":")
    if not sep or len(parts) != 3:
        raise CrisisError(f"--sweep takes VAR=LO:HI:STEPS, not '{text}'")
    try:
        lo, hi, steps = float(parts[0]), float(parts[1]), int(parts[2][:20])
    except ValueError:
        raise CrisisError(f"--sweep takes numbers in LO:HI:STEPS, not '{rest}'") from None
    if not 1 <= steps <= MAX_SWEEP_STEPS or not (within(lo) and within(hi)):
        raise CrisisError(f"--sweep needs bounds within ±{LIMIT_TEXT} and 1 to {MAX_SWEEP_STEPS} steps")
    own = {v: var for v, var in scenario.variables.items() if not var.internal}  # the loader's own are not the file's
    if name in own:
        var = own[name]
        if var.type != "number":
            raise CrisisError(f"--sweep can vary numbers only; '{name}' is a {var.type}")
        if not (var.min <= min(lo, hi) and max(lo, hi) <= var.max):
            raise CrisisError(f"--sweep {name} must stay within its bounds {var.min:g}..{var.max:g}")
    elif name not in scenario.constants:
        known = [*(v for v, var in own.items() if var.type == "number"), *scenario.constants]
        names = ", ".join(known[:20]) + (f" and {len(known) - 20:,} more" if len(known) > 20 else "")
        raise CrisisError(f"--sweep: no variable or constant '{name[:64]}' (numbers there: {names or 'none'})")
    return name, [float(v) for v in np.linspace(lo, hi, steps)]


def override(spec: Spec, name: str, value: float) -> Spec:
    scenario = plan_of(spec).scenario
    if name in scenario.variables:
        return replace(spec, initial=((name, value),))
    return replace(spec, constants=((name, value),))


# running ---------------------------------------------------------------------------------------


class Progress:
    """A progress bar on stderr, only when stderr is a terminal."""

    def __init__(self, unit: str = "games (checks included)") -> None:
        self.live = sys.stderr.isatty()
        self.unit = unit

    def __call__(self, done: int, total: int) -> None:
        if not self.live:
            return
        width = 30
        filled = int(width * done / total) if total else width
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,} {self.unit}")
        sys.stderr.flush()

    def close(self) -> None:
        if self.live:
            sys.stderr.write("\r" + " " * 80 + "\r")
            sys.stderr.flush()


def play_specs(specs: list[Spec], args: argparse.Namespace):
    progress = Progress()
    workers = args.workers or default_workers()
    with executor_for(workers, args.scheduler) as executor:
        outcome = simulate(specs, executor, progress)
    progress.close()
    return outcome


def run_balance(spec: Spec, args: argparse.Namespace) -> int:
    plan = plan_of(spec)
    checks = () if args.no_checks else plan.scenario.balance
    skipped = [] if args.slow_checks else [c for c in checks if not _fast(_check_policies(c, plan.scenario))]
    checks = [c for c in checks if c not in skipped]
    check_specs = [
        replace(spec, policies=_check_policies(c, plan.scenario), games=c.games, seed=c.seed) for c in checks
    ]
    outcome = play_specs([replace(spec, causes=True), *check_specs], args)
    audit = None
    if _fast(spec.policies) and not args.no_audit and not outcome.interrupted:
        from game.analysis.audit import as_dict, audit_options

        audit = as_dict(audit_options(plan, dict(spec.policies), seed=spec.seed))
    report = rep.build(plan, outcome.summaries[0], spec.seed, dict(spec.policies), audit)
    verdicts = []
    if not outcome.interrupted:
        for check, summary in zip(checks, outcome.summaries[1:]):
            check_report = rep.build(plan, summary, check.seed, dict(_check_policies(check, plan.scenario)))
            verdicts += rep.check(check, check_report)
    report["assertions"] = [{"text": v.text, "ok": v.ok, "observed": v.observed} for v in verdicts]
    report["skipped_assertions"] = [c.name for c in skipped]
    print(rep.text(report))
    if verdicts or skipped:
        print("\nBalance assertions:")
        print("\n".join(rep.verdict_line(v) for v in verdicts))
        for check in skipped:
            print(f"  skip  {check.name}: its policies play one game at a time (add --slow-checks to run it)")
    write_outputs(report, args, lambda path: _plot(report, path))
    if outcome.interrupted:
        print(f"\ninterrupted: the figures above cover the {report['games']:,} games played", file=sys.stderr)
        return 130
    return 1 if any(not v.ok for v in verdicts) else 0


def _fast(policies: tuple[tuple[str, str], ...]) -> bool:
    """Whether every policy has a vectorised version (the others play one game at a time)."""
    return all(name in VECTORISED for _, name in policies)


def _check_policies(check, scenario: Scenario) -> tuple[tuple[str, str], ...]:
    given = dict(check.policies)
    return tuple((role, given.get(role, "random")) for role in scenario.roles)


def run_sweep(base: Spec, args: argparse.Namespace) -> int:
    plan = plan_of(base)
    name, values = parse_sweep(args.sweep, plan.scenario)
    specs = [override(base, name, v) for v in values]
    outcome = play_specs(specs, args)
    points = []
    for value, spec, summary in zip(values, specs, outcome.summaries):
        point = rep.build(plan_of(spec), summary, spec.seed, dict(spec.policies))
        points.append({"value": value, **point})
    print(sweep_text(name, points))
    report = {**points[0], "sweep": {"name": name, "points": points}} if points else {}
    write_outputs(report, args, lambda path: _plot_sweep(name, points, path), rep.sweep_csv(name, points))
    return 130 if outcome.interrupted else 0


def sweep_text(name: str, points: list[dict]) -> str:
    if not points:
        return "no games played"
    endings = list(points[0]["endings"])
    roles = list(points[0]["roles"])
    columns = [*endings, *(f"win {r}" for r in roles)]
    widths = [max(len(c), 7) + 2 for c in columns]
    first = max(len(name), 6) + 2
    head = f"  {name:>{first}}" + "".join(f"{c:>{w}}" for c, w in zip(columns, widths))
    lines = [f"Ending shares as {name} varies ({points[0]['games']:,} games each, seed {points[0]['seed']})", head]
    for p in points:
        shares = [p["endings"][e]["share"] for e in endings] + [p["roles"][r]["win_rate"] for r in roles]
        lines.append(f"  {p['value']:>{first}g}" + "".join(f"{s:>{w}.2%}" for s, w in zip(shares, widths)))
    return "\n".join(lines)


def run_sensitivity(spec: Spec, args: argparse.Namespace) -> int:
    if not 1 <= args.sensitivity_games <= MAX_SENSITIVITY_GAMES:
        raise CrisisError(
            f"--sensitivity-games must be between 1 and {MAX_SENSITIVITY_GAMES:,}, not {args.sensitivity_games}"
        )
    if not (math.isfinite(args.step) and 0 < args.step <= 1):
        raise CrisisError(f"--step must be above 0 and at most 1, not {args.step}")
    if not 1 <= args.trajectories <= MAX_TRAJECTORIES:
        raise CrisisError(f"--trajectories must be between 1 and {MAX_TRAJECTORIES}, not {args.trajectories}")
    setup = Setup(spec.raw, spec.path, spec.policies, args.sensitivity_games, spec.seed, args.step)
    method = morris if args.method == "morris" else sensitivity
    progress = Progress("parts of the analysis")
    with executor_for(args.workers or default_workers(), args.scheduler) as executor:
        if method is morris:
            found = morris.run(setup, executor, progress, args.trajectories)
        else:
            found = sensitivity.run(setup, executor, progress)
    progress.close()
    scenario_id = plan_of(spec).scenario.meta.id
    print(method.text(found, scenario_id))
    report = {"scenario": scenario_id, "sensitivity": found}
    write_outputs(report, args, lambda path: _plot_tornado(scenario_id, found, path), method.csv_text(found))
    return 0


def run_compare(args: argparse.Namespace) -> int:
    old_name, new_name = args.compare
    old, new = load_spec(old_name, args), load_spec(new_name, args)
    not_the_scenario(args, old.path, new.path)
    notes = same_scenario(plan_of(old).scenario, plan_of(new).scenario, args.force)
    outcome = play_specs([old, new], args)
    reports = [rep.build(plan_of(s), m, s.seed, dict(s.policies)) for s, m in zip((old, new), outcome.summaries)]
    rows = rep.compare(*reports)
    print(rep.compare_text(rows, old_name, new_name))
    for note in notes:
        print(note)
    names = (Path(old_name).name, Path(new_name).name)
    draw = partial(_plot_compare, reports[0], reports[1], names)
    write_outputs({"old": reports[0], "new": reports[1], "changes": rows}, args, draw, rep.compare_csv(rows))
    return 130 if outcome.interrupted else 0


def same_scenario(old: Scenario, new: Scenario, force: bool) -> list[str]:
    """Refuse to compare two different scenarios unless forced; notes on the endings only one has."""
    only = [
        f"  only in {which}: {', '.join(ids)}"
        for which, ids in (
            ("the old file", [e for e in old.endings if e not in new.endings]),
            ("the new file", [e for e in new.endings if e not in old.endings]),
        )
        if ids
    ]
    if old.meta.id != new.meta.id and not force:
        endings = "; ".join(line.strip() for line in only) or "they have the same ending ids"
        raise CrisisError(
            f"--compare: these are two different scenarios ('{old.meta.id}' and '{new.meta.id}'; {endings}); "
            "compare two versions of one scenario, or add --force"
        )
    notes = []
    if old.meta.id != new.meta.id:
        notes.append(f"Note: two different scenarios ('{old.meta.id}' and '{new.meta.id}'), compared as --force asks.")
    if only:
        notes += ["Endings that only one version has (their share there is compared with 0):", *only]
    return notes


# writing ---------------------------------------------------------------------------------------


def write_outputs(report: dict, args: argparse.Namespace, draw, table: str | None = None) -> None:
    """Write the JSON, CSV and picture asked for; ``table`` replaces the run's CSV when given."""
    writes = []
    if args.json:
        writes.append(
            (args.json, lambda path: files.write_atomic(path, (json.dumps(report, indent=2) + "\n").encode()))
        )
    if args.csv:
        text = rep.csv_text(report) if table is None else table
        writes.append((args.csv, lambda path: files.write_atomic(path, text.encode("utf-8"))))
    if args.plot and draw is not None:
        writes.append((args.plot, draw))
    for path, write in writes:
        try:
            write(path)
        except OSError as exc:  # the path is named here: a full disk's error carries no file name
            raise CrisisError(f"cannot write {path}: {exc.strerror or exc}") from None


def _plot(report: dict, path: str) -> None:
    from game.analysis.plot import draw_report

    draw_report(report, path)


def _plot_sweep(name: str, points: list[dict], path: str) -> None:
    from game.analysis.plot import draw_sweep

    draw_sweep(name, points, path)


def _plot_tornado(scenario_id: str, found: dict, path: str) -> None:
    from game.analysis.plot import draw_tornado

    draw_tornado(scenario_id, found, path)


def _plot_compare(old: dict, new: dict, names: tuple[str, str], path: str) -> None:
    from game.analysis.plot import draw_compare

    draw_compare(old, new, names, path)
