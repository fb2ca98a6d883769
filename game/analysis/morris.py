"""Which numbers matter across their whole ranges: Morris's elementary effects, with SALib.

``crisis balance --sensitivity --method morris`` moves every studied number over its range (the
same low..high as the one-at-a-time analysis of :mod:`game.analysis.sensitivity`) all at once:
SALib's Morris design lays out a few *trajectories*, each a walk through the space of values
that changes one number per step, and every point of every walk is a version of the scenario,
played with common random numbers. For each number and each output (every ending's share,
every role's mean score), SALib's analysis gives

- ``mu_star``: the mean absolute change in the output when the number crosses its range, over
  every other number's values along the walks (with a 95% bootstrap margin);
- ``sigma``: how much that change varies with the other numbers: a large sigma beside mu_star
  says the number acts in combination with others, or not in a straight line.

It costs ``trajectories x (numbers + 1)`` versions against the one-at-a-time analysis's
``2 x numbers + 1``, and answers what that one cannot: whether a number still matters once the
others have moved. SALib is an optional extra (``pip install 'crisis[sensitivity]'``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field

import numpy as np

from game.analysis.batch import play
from game.analysis.cputime import CpuClock, timed
from game.analysis.crn import KeyedDraws
from game.analysis.params import with_values
from game.analysis.plan import Plan
from game.analysis.runner import CHUNK, chunk_rng
from game.analysis.sensitivity import Setup, _scenario, batched_only, studied, table_csv
from game.analysis.vpolicies import VECTORISED
from game.core.errors import CrisisError

TRAJECTORIES = 4
LEVELS = 4
GROUP = 16  # points of the design per job


def _salib():
    try:
        from SALib.analyze import morris as analyze
        from SALib.sample import morris as sample
    except ImportError:
        raise CrisisError("--method morris needs SALib: pip install 'crisis[sensitivity]'") from None
    return sample, analyze


@dataclass(frozen=True)
class Job:
    setup: Setup = field(repr=False)
    points: np.ndarray = field(repr=False)  # rows of the design: one value per studied number
    first: int  # the index of the first row in the design
    chunk: int
    games: int


def run_job(job: Job) -> tuple[int, np.ndarray, np.ndarray]:
    """Play one chunk of games of each design point in the job: ending counts and score sums."""
    setup, scenario = job.setup, _scenario(job.setup)
    chosen = studied(scenario, setup.policies, setup.step)
    counts, scores = [], []
    for row in job.points:
        plan = Plan(with_values(scenario, {p: float(v) for (p, _, _), v in zip(chosen, row)}))
        made = {role: VECTORISED[name]() for role, name in setup.policies}
        games = play(plan, made, job.games, KeyedDraws(chunk_rng(setup.seed, job.chunk)))
        counts.append(np.bincount(games.ending, minlength=len(plan.ending_ids)))
        scores.append(games.scores.sum(axis=0))
    return job.first, np.asarray(counts, dtype=np.int64), np.asarray(scores)


def run(
    setup: Setup,
    executor: Executor,
    progress: Callable[[int, int], None] | None = None,
    trajectories: int = TRAJECTORIES,
) -> dict:
    """The Morris screening of every studied number, as the report's ``sensitivity`` part."""
    sample, analyze = _salib()
    batched_only(setup.policies)
    scenario = _scenario(setup)
    chosen = studied(scenario, setup.policies, setup.step)
    if len(chosen) < 2:
        raise CrisisError("--method morris needs at least two numbers that could change play")
    problem = {
        "num_vars": len(chosen),
        "names": [p.id for p, _, _ in chosen],
        "bounds": [[low, high] for _, low, high in chosen],
    }
    clock, wall = CpuClock(), time.perf_counter()
    design = sample.sample(problem, N=trajectories, num_levels=LEVELS, seed=setup.seed)
    chunks = [(i, min(CHUNK, setup.games - s)) for i, s in enumerate(range(0, setup.games, CHUNK))]
    work = [
        Job(setup, design[first : first + GROUP], first, i, n)
        for i, n in chunks
        for first in range(0, len(design), GROUP)
    ]
    plan = Plan(scenario)
    counts = np.zeros((len(design), len(plan.ending_ids)), dtype=np.int64)
    sums = np.zeros((len(design), len(plan.roles)))
    futures = [executor.submit(timed, run_job, job) for job in work]
    for done, future in enumerate(futures, start=1):
        (first, c, s), cpu, pid = future.result()
        clock.add(cpu, pid)
        counts[first : first + len(c)] += c
        sums[first : first + len(s)] += s
        if progress:
            progress(done, len(work))
    outputs = [("endings", e, counts[:, k] / setup.games) for k, e in enumerate(plan.ending_ids)]
    outputs += [("scores", r, sums[:, k] / setup.games) for k, r in enumerate(plan.roles)]
    effects = {}
    for part, key, y in outputs:
        found = analyze.analyze(problem, design, y, num_levels=LEVELS, seed=setup.seed, num_resamples=200)
        effects[(part, key)] = found
    rows = []
    for i, (p, low, high) in enumerate(chosen):
        row = {"id": p.id, "kind": p.kind, "line": p.line, "col": p.col, "value": p.value, "low": low, "high": high}
        row["text"] = p.text
        for part in ("endings", "scores"):
            row[part] = {
                key: {
                    "mu_star": float(found["mu_star"][i]),
                    "sigma": float(found["sigma"][i]),
                    "conf": float(found["mu_star_conf"][i]),
                }
                for (kind, key), found in effects.items()
                if kind == part
            }
        row["moved"] = 0.5 * sum(e["mu_star"] for e in row["endings"].values())
        rows.append(row)
    rows.sort(key=lambda r: -r["moved"])
    return {
        "method": "morris",
        "games": setup.games,
        "seed": setup.seed,
        "step": setup.step,
        "trajectories": trajectories,
        "levels": LEVELS,
        "policies": dict(setup.policies),
        "versions": len(design),
        "games_played": len(design) * setup.games,
        "cpu_seconds": clock.seconds(),
        "seconds": time.perf_counter() - wall,
        "base": {"endings": {e: None for e in plan.ending_ids}, "scores": {r: None for r in plan.roles}},
        "parameters": rows,
    }


def text(report: dict, scenario_id: str, top: int = 20) -> str:
    """The screening as lines for a terminal."""
    rows = report["parameters"]
    lines = [
        f"{scenario_id}: which numbers matter across their ranges (Morris screening with SALib: "
        f"{len(rows)} numbers, {report['trajectories']} trajectories, {report['games']:,} games per version, "
        f"common random numbers, seed {report['seed']})",
        f"  {report['versions']:,} versions, {report['games_played']:,} games in {report['seconds']:.1f} s "
        f"({report['cpu_seconds']:.1f} s of CPU)",
        "",
        "Numbers that move the endings most across their ranges (half the sum of mu* over the endings):",
    ]
    for rank, row in enumerate(rows[:top], start=1):
        ending, e = max(row["endings"].items(), key=lambda kv: kv[1]["mu_star"])
        lines.append(
            f"  {rank:>3}. {row['id']} (line {row['line']}, {row['kind']} {row['low']:g} .. {row['high']:g}) "
            f"moves {row['moved']:.1%}; most {ending}: mu* {100 * e['mu_star']:.1f} points "
            f"(±{100 * e['conf']:.1f}), sigma {100 * e['sigma']:.1f}"
        )
    lines += ["", "Each output's three strongest numbers (mu*; sigma well above mu* means it acts with others):"]
    for part in ("endings", "scores"):
        keys = rows[0][part] if rows else {}
        for key in keys:
            best = sorted(rows, key=lambda r: -r[part][key]["mu_star"])[:3]
            scale, unit = (100, " points") if part == "endings" else (1, "")
            said = "; ".join(
                f"{r['id']} {scale * r[part][key]['mu_star']:.1f}{unit} (sigma {scale * r[part][key]['sigma']:.1f})"
                for r in best
                if r[part][key]["mu_star"]
            )
            label = f"ending {key}" if part == "endings" else f"mean score of {key}"
            lines.append(f"  {label}: {said or 'nothing moves it'}")
    return "\n".join(lines)


def csv_text(report: dict) -> str:
    """One row per number and output: its range, mu*, its margin and sigma."""
    columns = ["mu_star", "mu_star_conf", "sigma"]
    return table_csv(report, columns, lambda e: [e["mu_star"], e["conf"], e["sigma"]])
