"""Which numbers matter: every parameter moved down and up, its effect on every ending and score.

``crisis balance --sensitivity`` plays the scenario as written (the base), then for every
parameter (:mod:`game.analysis.params`) two versions: the number lowered and raised by a step
(20% of its value by default; a number that is 0 moves by the step itself, 0.2; each stays
within its range). Every version plays the same games
with common random numbers (:mod:`game.analysis.crn`): game *g* of one version draws what game
*g* of every other version draws at the same position, so the difference between two versions
is the parameter's doing, game by game, and not the luck of the draw.

For each parameter and each output (every ending's share, every role's mean score) the report
gives the change from the base at the low and the high value and the *swing* (high minus low)
with a 95% interval from the paired games. Parameters are ranked by how far they move the
endings: half the sum of the endings' swings, the share of games whose ending changes with it at
the least (the total variation distance between the two versions' ending shares).

This is one-at-a-time analysis around the scenario as written: it says what each number does
from where the designer stands, not what it would do after other numbers have changed too.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field

import numpy as np

from game.analysis.batch import play
from game.analysis.cputime import CpuClock, timed
from game.analysis.crn import KeyedDraws
from game.analysis.params import Parameter, parameters, with_values
from game.analysis.plan import Plan
from game.analysis.runner import CHUNK, chunk_rng
from game.analysis.stats import Z95
from game.analysis.vpolicies import VECTORISED
from game.core.errors import CrisisError
from game.core.model import Scenario
from game.scenario.loader import load_bytes

STEP = 0.2
GAMES = 2_000
GROUP = 24  # parameters per job: each job plays the base once for its group


@dataclass(frozen=True)
class Setup:
    """One sensitivity run: the scenario (as its file's bytes), policies, games per version, seed, step."""

    raw: bytes = field(repr=False)
    path: str
    policies: tuple[tuple[str, str], ...]
    games: int = GAMES
    seed: int = 1
    step: float = STEP


def span(p: Parameter, step: float) -> tuple[float, float]:
    """The low and high values a parameter is moved to: by ``step`` of itself (by ``step`` from 0)."""
    d = step * abs(p.value) if p.value else step
    return p.clamp(p.value - d), p.clamp(p.value + d)


def studied(
    scenario: Scenario, policies: Sequence[tuple[str, str]], step: float
) -> list[tuple[Parameter, float, float]]:
    """The parameters that can change play under these policies, with their low and high values.

    AI hints count only where a role plays ``weighted``, objectives only where one plays
    ``greedy`` or ``historical`` (which falls back on greedy); a parameter with no room to move
    either way is left out.
    """
    names = {name for _, name in policies}
    out = []
    for p in parameters(scenario):
        if p.kind == "ai hint" and "weighted" not in names:
            continue
        if p.kind == "objective" and not names & {"greedy", "historical"}:
            continue
        low, high = span(p, step)
        if low < high:
            out.append((p, low, high))
    return out


# playing ---------------------------------------------------------------------------------------


@dataclass
class Sums:
    """Sums over games that merge by adding: the base's, and each parameter's low and high versions'."""

    games: int
    base_endings: np.ndarray  # int64[endings]
    base_scores: np.ndarray  # float64[roles]
    low_endings: np.ndarray  # int64[params, endings]
    high_endings: np.ndarray
    flips: np.ndarray  # int64[params, endings]: games in that ending in exactly one of low and high
    low_scores: np.ndarray  # float64[params, roles]
    high_scores: np.ndarray
    swing_squares: np.ndarray  # float64[params, roles]: sum of (high score - low score) squared

    def merge(self, other: Sums) -> Sums:
        return Sums(*(getattr(self, f) + getattr(other, f) for f in self.__dataclass_fields__))


@dataclass(frozen=True)
class Job:
    setup: Setup = field(repr=False)
    chunk: int
    games: int
    first: int  # the group's parameters: studied(...)[first:last]
    last: int


_SCENARIOS: dict[tuple[bytes, str], Scenario] = {}


def _scenario(setup: Setup) -> Scenario:
    key = (setup.raw, setup.path)
    if key not in _SCENARIOS:
        _SCENARIOS.clear()
        _SCENARIOS[key] = load_bytes(setup.raw, setup.path)
    return _SCENARIOS[key]


def _games(plan: Plan, setup: Setup, job: Job):
    made = {role: VECTORISED[name]() for role, name in setup.policies}
    draws = KeyedDraws(chunk_rng(setup.seed, job.chunk))
    return play(plan, made, job.games, draws)


def run_job(job: Job) -> tuple[int, Sums]:
    """Play one chunk of games of the base and of the group's versions (in a worker, or here)."""
    setup, scenario = job.setup, _scenario(job.setup)
    group = studied(scenario, setup.policies, setup.step)[job.first : job.last]
    base_plan = Plan(scenario)
    base = _games(base_plan, setup, job)
    n_end, n_roles, k = len(base_plan.ending_ids), len(base_plan.roles), len(group)
    sums = Sums(
        job.games,
        np.bincount(base.ending, minlength=n_end).astype(np.int64),
        base.scores.sum(axis=0),
        np.zeros((k, n_end), dtype=np.int64),
        np.zeros((k, n_end), dtype=np.int64),
        np.zeros((k, n_end), dtype=np.int64),
        np.zeros((k, n_roles)),
        np.zeros((k, n_roles)),
        np.zeros((k, n_roles)),
    )
    for i, (p, low, high) in enumerate(group):
        lo = _games(Plan(with_values(scenario, {p: low})), setup, job)
        hi = _games(Plan(with_values(scenario, {p: high})), setup, job)
        sums.low_endings[i] = np.bincount(lo.ending, minlength=n_end)
        sums.high_endings[i] = np.bincount(hi.ending, minlength=n_end)
        differ = lo.ending != hi.ending
        sums.flips[i] = np.bincount(lo.ending[differ], minlength=n_end) + np.bincount(
            hi.ending[differ], minlength=n_end
        )
        sums.low_scores[i] = lo.scores.sum(axis=0)
        sums.high_scores[i] = hi.scores.sum(axis=0)
        sums.swing_squares[i] = ((hi.scores - lo.scores) ** 2).sum(axis=0)
    return job.first, sums


def jobs(setup: Setup, count: int, group: int = GROUP) -> list[Job]:
    chunks = [(i, min(CHUNK, setup.games - start)) for i, start in enumerate(range(0, setup.games, CHUNK))]
    return [
        Job(setup, i, n, first, min(first + group, count))
        for i, n in chunks
        for first in range(0, max(count, 1), group)
    ]


def batched_only(policies) -> None:
    """Refuse a lineup with a policy the batch engine cannot play (sensitivity runs many batches)."""
    for role, name in policies:
        if name not in VECTORISED:
            raise CrisisError(
                f"--sensitivity needs batched policies; {role} plays {name}, which plays one game at a time"
            )


def run(setup: Setup, executor: Executor, progress: Callable[[int, int], None] | None = None) -> dict:
    """The whole analysis: every studied parameter's effects, as the report's ``sensitivity`` part."""
    batched_only(setup.policies)
    scenario = _scenario(setup)
    chosen = studied(scenario, setup.policies, setup.step)
    if not chosen:
        raise CrisisError("--sensitivity: the scenario has no number that could change play under these policies")
    clock = CpuClock()
    wall = time.perf_counter()
    work = jobs(setup, len(chosen))
    futures = [executor.submit(timed, run_job, job) for job in work]
    by_group: dict[int, Sums] = {}
    for done, future in enumerate(futures, start=1):
        (first, sums), cpu, pid = future.result()
        clock.add(cpu, pid)
        by_group[first] = sums if first not in by_group else by_group[first].merge(sums)
        if progress:
            progress(done, len(work))
    plan = Plan(scenario)
    rows = []
    for first in sorted(by_group):
        sums = by_group[first]
        for i, (p, low, high) in enumerate(chosen[first : first + sums.low_endings.shape[0]]):
            rows.append(_effects(plan, p, low, high, sums, i))
    rows.sort(key=lambda r: -r["moved"])
    merged = by_group[0]
    versions = 1 + 2 * len(chosen)
    return {
        "games": setup.games,
        "seed": setup.seed,
        "step": setup.step,
        "policies": dict(setup.policies),
        "versions": versions,
        "games_played": setup.games * (len(by_group) + 2 * len(chosen)),  # each group replays the base
        "cpu_seconds": clock.seconds(),
        "seconds": time.perf_counter() - wall,
        "base": {
            "endings": {e: int(merged.base_endings[k]) / merged.games for k, e in enumerate(plan.ending_ids)},
            "scores": {r: float(merged.base_scores[k]) / merged.games for k, r in enumerate(plan.roles)},
        },
        "parameters": rows,
    }


def _effects(plan: Plan, p: Parameter, low: float, high: float, sums: Sums, i: int) -> dict:
    n = sums.games
    endings = {}
    for k, e in enumerate(plan.ending_ids):
        lo, hi, base = sums.low_endings[i, k] / n, sums.high_endings[i, k] / n, sums.base_endings[k] / n
        swing = hi - lo
        spread = math.sqrt(max(sums.flips[i, k] / n - swing * swing, 0.0) / n)
        endings[e] = {
            "low": lo - base,
            "high": hi - base,
            "swing": swing,
            "ci95": [swing - Z95 * spread, swing + Z95 * spread],
        }
    scores = {}
    for k, r in enumerate(plan.roles):
        lo, hi, base = sums.low_scores[i, k] / n, sums.high_scores[i, k] / n, sums.base_scores[k] / n
        swing = hi - lo
        spread = math.sqrt(max(sums.swing_squares[i, k] / n - swing * swing, 0.0) / n)
        scores[r] = {
            "low": lo - base,
            "high": hi - base,
            "swing": swing,
            "ci95": [swing - Z95 * spread, swing + Z95 * spread],
        }
    return {
        "id": p.id,
        "kind": p.kind,
        "line": p.line,
        "col": p.col,
        "value": p.value,
        "low": low,
        "high": high,
        "text": p.text,
        "moved": 0.5 * sum(abs(e["swing"]) for e in endings.values()),
        "endings": endings,
        "scores": scores,
    }


# reading it ------------------------------------------------------------------------------------


def _points(share: float) -> str:
    return f"{100 * share:+.1f}"


def _most(row: dict) -> tuple[str, dict]:
    return max(row["endings"].items(), key=lambda kv: abs(kv[1]["swing"]))


def text(report: dict, scenario_id: str, top: int = 20) -> str:
    """The ranking as lines for a terminal: the numbers that move the endings most, then by output."""
    rows = report["parameters"]
    lines = [
        f"{scenario_id}: which numbers matter ({len(rows)} numbers, each moved down and up by "
        f"{report['step']:.0%}; {report['games']:,} games per version, common random numbers, seed {report['seed']})",
        f"  {report['versions']:,} versions, {report['games_played']:,} games in {report['seconds']:.1f} s "
        f"({report['cpu_seconds']:.1f} s of CPU)",
        "",
        "Numbers that move the endings most (share of games whose ending changes between low and high, at least):",
    ]
    for rank, row in enumerate(rows[:top], start=1):
        ending, e = _most(row)
        low, high = e["ci95"]
        scores = ", ".join(f"{r} {s['swing']:+.2f}" for r, s in row["scores"].items())
        lines.append(
            f"  {rank:>3}. {row['id']} (line {row['line']}, {row['kind']} {row['value']:g}: "
            f"{row['low']:g} .. {row['high']:g}) moves {row['moved']:.1%}; most {ending} "
            f"{_points(e['swing'])} points ({_points(low)} .. {_points(high)}); mean score {scores}"
        )
    quiet = sum(1 for r in rows if r["moved"] == 0 and all(s["swing"] == 0 for s in r["scores"].values()))
    if quiet:
        lines.append(f"  ... {quiet} of the {len(rows)} numbers changed no game at all")
    lines += ["", "Each output's three strongest numbers (swing from low to high):"]
    outputs = [(f"ending {e}", "endings", e) for e in report["base"]["endings"]]
    outputs += [(f"mean score of {r}", "scores", r) for r in report["base"]["scores"]]
    for label, part, key in outputs:
        best = sorted(rows, key=lambda r: -abs(r[part][key]["swing"]))[:3]
        unit = (lambda v: f"{_points(v)} points") if part == "endings" else (lambda v: f"{v:+.2f}")
        said = "; ".join(f"{r['id']} {unit(r[part][key]['swing'])}" for r in best if r[part][key]["swing"])
        lines.append(f"  {label}: {said or 'nothing moves it'}")
    return "\n".join(lines)


def csv_text(report: dict) -> str:
    """One row per number and output: its value, range, the changes at low and high, and the swing."""
    columns = ["delta_low", "delta_high", "swing", "ci95_low", "ci95_high"]
    return table_csv(report, columns, lambda e: [e["low"], e["high"], e["swing"], *e["ci95"]])


def table_csv(report: dict, columns: list[str], measures: Callable[[dict], Sequence[float]]) -> str:
    """The CSV of a study's report: one row per number and output (an ending's share or a role's
    mean score), the number's place and range, then ``measures`` of that output."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["parameter", "line", "kind", "value", "low", "high", "output", *columns])
    for row in report["parameters"]:
        place = [row["id"], row["line"], row["kind"], f"{row['value']:g}", f"{row['low']:g}", f"{row['high']:g}"]
        for part, prefix in (("endings", "ending:"), ("scores", "score:")):
            for key, e in row[part].items():
                writer.writerow([*place, prefix + key, *(f"{x:.6f}" for x in measures(e))])
    return out.getvalue()
