"""The strength ladder: seed-paired round robins between policies, and an endgame check.

    python benchmarks/ladder.py [--scenario NAME ...] [--games N] [--policies A,B,...]
                                [--pairs A:B,...] [--workers K] [--endgame GAMES] [--out FILE]
                                [--same-opponent]

For every pairing of the policies (strength names such as ``hard`` or policy names such as
``lookahead``; every pair unless ``--pairs`` names some), GAMES games are played: for seeds
0, 1, 2, ... each policy takes every seat once against the other on the same seed. A policy's
score in a pairing is its **seat-averaged win rate**: for each seat, the share of games it won
by the aim (a strictly higher score than every other role; a draw counts half), averaged over
the seats (every rate printed and written is the FIRST policy's of the pair, ``A`` of ``A:B``), with a 95% Wilson interval over the games. The same games are also compared by the
aim itself: the mean difference between the two policies' scores in the same seat on the same
seed, with its standard error. Bradley-Terry strengths are fitted to all pairings' wins (draws
half) on the Elo scale (400 points is 10 to 1), the first policy at 0. The CPU time of every
decision is kept, and its median and 95th percentile printed per policy.

In a game that is not zero-sum the seat-paired rate mixes two things: how well a policy plays
its seat, and how it makes the other policy play in the game it is compared with (a policy that
blunders into an ending bad for both lowers the other side's score in that game too).
``--same-opponent`` separates them: on every seed it also plays ``B`` against itself, and
compares ``A`` in each seat against ``B`` with ``B`` in that seat against the same ``B``.

``--endgame GAMES`` plays that many games of the expert (or ``--endgame-policy``, such as
``expert/exact=100000``) against the peeking lookahead (seats alternating) and, at each of the expert's decisions in the scenario's last turn that the exact
solver can solve within ``--endgame-budget`` states, checks that its move is the exact best
(its exact value for the role equals the best option's, by the aim). Lookahead's decisions in
the same games are checked the same way, for comparison. The true state is a standard an honest
player cannot know where starts are drawn, so each decision is also judged by what the mover
knows: every truth of its belief solved exactly and averaged with the belief's weights. A
position whose belief was resampled or holds more than ``--endgame-belief`` truths, or one of
whose truths the solver cannot solve within the budget, is left out of that standard and
counted; so are last-turn positions the solver cannot solve in the true state. The CPU time of
the checked policy's decisions is printed too: of every decision in those games, and of the
last-turn ones alone.

Results are written to ``--out`` (JSON) as the run goes, so a long run can be read part-way.
The endgame part keeps every check there, each with the (move, outcome) path that led to its
position, so a position can be rebuilt (``rebuilt``) and looked at again without replaying the
policies that reached it.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from game.ai import FACTORIES, STRENGTHS, make_policy  # noqa: E402
from game.ai.exact import TooBig  # noqa: E402
from game.analysis import backward  # noqa: E402
from game.analysis.plan import Plan  # noqa: E402
from game.analysis.stats import wilson  # noqa: E402
from game.core import aim  # noqa: E402
from game.core.match import Match  # noqa: E402
from game.core.model import WORLD  # noqa: E402
from game.paths import find_scenario  # noqa: E402
from game.scenario.loader import load_scenario  # noqa: E402

DEFAULT_SCENARIOS = ("wagner_mutiny", "august_1991", "tutorial")
DEFAULT_POLICIES = ("easy", "normal", "hard", "expert", "lookahead")
MAX_GAMES = 1_000_000


class Timed:
    """Wraps a policy and keeps the CPU time of each of its decisions."""

    def __init__(self, policy):
        self.policy = policy
        self.name = policy.name
        self.times: list[float] = []

    def choose(self, state, rng):
        start = time.thread_time()
        move = self.policy.choose(state, rng)
        self.times.append(time.thread_time() - start)
        return move


def policy_named(name: str):
    """A policy from a strength name or a policy name, with options as ``name/option=value/...``."""
    base, *given = name.split("/")
    options = dict(item.split("=", 1) for item in given)
    return make_policy(STRENGTHS.get(base, base), **options)


_SCENARIOS: dict[str, object] = {}
_POLICIES: dict[str, object] = {}


def _scenario(name: str):
    if name not in _SCENARIOS:
        _SCENARIOS[name] = load_scenario(find_scenario(name))
    return _SCENARIOS[name]


def _policy(name: str):
    if name not in _POLICIES:
        _POLICIES[name] = policy_named(name)
    return _POLICIES[name]


def play_seed(scenario_name: str, a: str, b: str, seed: int, fixed: bool = False) -> list[dict]:
    """Every seat assignment of ``a`` against ``b`` on one seed: one record per game (with
    ``fixed``, also ``b`` in every seat, whose record has the seat ``None``)."""
    scenario = _scenario(scenario_name)
    roles = list(scenario.roles)
    records = []
    if fixed:
        match = Match(scenario, seed=seed, policies={role: _policy(b) for role in roles})
        match.run()
        records.append({"seed": seed, "seat": None, "scores": match.state.scores(), "times_a": [], "times_b": []})
    for seat in roles:
        timed_a, timed_b = Timed(_policy(a)), Timed(_policy(b))
        policies = {role: timed_a if role == seat else timed_b for role in roles}
        match = Match(scenario, seed=seed, policies=policies)
        match.run()
        scores = match.state.scores()
        records.append(
            {
                "seed": seed,
                "seat": seat,
                "scores": scores,
                "result": aim.result(scores, seat),
                "times_a": timed_a.times,
                "times_b": timed_b.times,
            }
        )
    return records


def _points(result: str) -> float:
    return 1.0 if result == aim.WON else 0.5 if result == aim.DRAWN else 0.0


def _rate(points_by_seat: dict[str, list[float]]) -> dict:
    """A seat-averaged rate of points (1 a win, 0.5 a draw) with its 95% Wilson interval."""
    per_seat = {seat: statistics.fmean(p) if p else 0.0 for seat, p in points_by_seat.items()}
    points = [x for p in points_by_seat.values() for x in p]
    # every seed is played once from every seat, so the pooled rate is the seat average
    low, high = wilson(int(round(sum(points))), len(points))
    return {"rate": statistics.fmean(per_seat.values()), "ci95": [low, high], "per_seat": per_seat, "n": len(points)}


def summarise(records: list[dict], roles: list[str]) -> dict:
    """A pairing's figures: by the aim (scores in the same seat on the same seed) and by game wins."""
    by = {(r["seed"], r["seat"]): r["scores"] for r in records}
    alone = [r for r in records if r["seat"] is None]
    records = [r for r in records if r["seat"] is not None]
    aim_points: dict[str, list[float]] = {seat: [] for seat in roles}
    win_points: dict[str, list[float]] = {seat: [] for seat in roles}
    gaps = []
    for r in records:
        win_points[r["seat"]].append(_points(r["result"]))
        seed, seat = r["seed"], r["seat"]
        for other in roles:
            theirs = by.get((seed, other))
            if other == seat or theirs is None:
                continue  # ``theirs`` is the game in which b held ``seat`` on this seed
            gap = r["scores"][seat] - theirs[seat]
            gaps.append(gap)
            aim_points[seat].append(1.0 if gap > 0 else 0.5 if gap == 0 else 0.0)
    spread = statistics.stdev(gaps) / math.sqrt(len(gaps)) if len(gaps) > 1 else 0.0
    found = {
        "games": len(records),
        "by_aim": _rate(aim_points),
        "by_wins": _rate(win_points),
        "score_gap": statistics.fmean(gaps) if gaps else 0.0,
        "score_gap_se": spread,
    }
    if alone:
        found["same_opponent"] = _same_opponent(records, by, roles)
    return found


def _same_opponent(records: list[dict], by: dict, roles: list[str]) -> dict:
    """The first policy against the second, each seat compared with the second policy in that
    seat against itself on the same seed: the same opponent, so only the seat's own play differs."""
    points: dict[str, list[float]] = {seat: [] for seat in roles}
    gaps: dict[str, list[float]] = {seat: [] for seat in roles}
    for r in records:
        theirs = by.get((r["seed"], None))
        if theirs is None:
            continue
        gap = r["scores"][r["seat"]] - theirs[r["seat"]]
        gaps[r["seat"]].append(gap)
        points[r["seat"]].append(1.0 if gap > 0 else 0.5 if gap == 0 else 0.0)
    every = [g for seat in roles for g in gaps[seat]]
    return {
        "by_aim": _rate(points),
        "score_gap": {seat: statistics.fmean(g) if g else 0.0 for seat, g in gaps.items()},
        "score_gap_se": {
            seat: statistics.stdev(g) / math.sqrt(len(g)) if len(g) > 1 else 0.0 for seat, g in gaps.items()
        },
        "score_gap_all": statistics.fmean(every) if every else 0.0,
    }


def bradley_terry(wins: dict[tuple[str, str], float], names: list[str], iterations: int = 2000) -> dict[str, float]:
    """Strengths on the Elo scale from pairwise wins (draws as halves), the first name at 0.

    The minorisation-maximisation iteration of the Bradley-Terry model, with a half win added
    each way to every pair played so that a policy that won (or lost) everything stays finite.
    """
    played = {pair for pair in wins if wins[pair] + wins.get((pair[1], pair[0]), 0.0) > 0}
    w = {pair: wins.get(pair, 0.0) + (0.5 if pair in played or pair[::-1] in played else 0.0) for pair in wins}
    strength = dict.fromkeys(names, 1.0)
    for _ in range(iterations):
        new = {}
        for i in names:
            total = sum(w.get((i, j), 0.0) for j in names if j != i)
            denominator = 0.0
            for j in names:
                n = w.get((i, j), 0.0) + w.get((j, i), 0.0)
                if j != i and n:
                    denominator += n / (strength[i] + strength[j])
            new[i] = total / denominator if denominator else strength[i]
        scale = new[names[0]] or 1.0
        strength = {k: v / scale for k, v in new.items()}
    return {k: 400 * math.log10(v) if v > 0 else float("-inf") for k, v in strength.items()}


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    k = min(int(math.ceil(q * len(ordered))) - 1, len(ordered) - 1)
    return ordered[max(k, 0)]


def run_pairings(args, scenario_name: str, out: dict) -> None:
    scenario = _scenario(scenario_name)
    roles = list(scenario.roles)
    names = args.policies
    pairs = args.pairs or list(itertools.combinations(names, 2))
    seeds = max(1, args.games // len(roles))
    section = out.setdefault(scenario_name, {"pairings": {}, "times": {}})
    times: dict[str, list[float]] = {}
    wins: dict[str, dict[tuple[str, str], float]] = {"by_aim": {}, "by_wins": {}}
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        for a, b in pairs:
            started = time.perf_counter()
            records = []
            futures = [
                pool.submit(play_seed, scenario_name, a, b, args.seed + s, args.same_opponent) for s in range(seeds)
            ]
            for done, future in enumerate(futures, 1):
                records += future.result()
                if args.out and done < len(futures):  # a long run can be read part-way
                    section["pairings"][f"{a} vs {b}"] = {**summarise(records, roles), "partial": True}
                    _write(args, out)
            found = summarise(records, roles)
            found["seconds"] = time.perf_counter() - started
            times.setdefault(a, []).extend(t for r in records for t in r["times_a"])
            times.setdefault(b, []).extend(t for r in records for t in r["times_b"])
            for kind in ("by_aim", "by_wins"):
                points = found[kind]["rate"] * found[kind]["n"]
                wins[kind][(a, b)], wins[kind][(b, a)] = points, found[kind]["n"] - points
            section["pairings"][f"{a} vs {b}"] = found
            print(_line(scenario_name, a, b, found), flush=True)
            _write(args, out)
    present = list(dict.fromkeys(name for pair in pairs for name in pair))
    section["bradley_terry"] = {kind: bradley_terry(wins[kind], present) for kind in wins}
    for name, spent in times.items():
        section["times"][name] = {
            "decisions": len(spent),
            "median_ms": 1000 * statistics.median(spent) if spent else 0.0,
            "p95_ms": 1000 * _percentile(spent, 0.95),
            "max_ms": 1000 * max(spent, default=0.0),
        }
    for kind, found in section["bradley_terry"].items():
        strengths = ", ".join(f"{k} {v:+.0f}" for k, v in found.items())
        print(f"{scenario_name:<14} Bradley-Terry {kind.replace('_', ' ')} (Elo scale, {present[0]} = 0): {strengths}")
    for name, t in section["times"].items():
        print(
            f"{scenario_name:<14} {name:>9}: {t['decisions']:,} decisions, median {t['median_ms']:.1f} ms, "
            f"p95 {t['p95_ms']:.1f} ms, max {t['max_ms']:.1f} ms (CPU time)"
        )
    _write(args, out)


def _line(scenario_name: str, a: str, b: str, found: dict) -> str:
    parts = [f"{scenario_name:<14} {a:>9} vs {b:<9} {found['games']:>6} games; {a}'s figures:"]
    for kind in ("by_aim", "by_wins"):
        f = found[kind]
        low, high = f["ci95"]
        seats = ", ".join(f"{s} {v:.0%}" for s, v in f["per_seat"].items())
        parts.append(f"{kind.replace('_', ' ')} {f['rate']:6.1%} [{low:.1%}, {high:.1%}] ({seats})")
    parts.append(f"score gap ({a} minus {b}) {found['score_gap']:+.2f} ± {found['score_gap_se']:.2f}")
    same = found.get("same_opponent")
    if same:
        f = same["by_aim"]
        low, high = f["ci95"]
        seats = ", ".join(
            f"{s} {f['per_seat'][s]:.0%}, {same['score_gap'][s]:+.2f} ± {same['score_gap_se'][s]:.2f}"
            for s in f["per_seat"]
        )
        parts.append(
            f"against the same {b}: by aim {f['rate']:6.1%} [{low:.1%}, {high:.1%}] (seat, share, gap: {seats})"
        )
    return "  ".join(parts)


HONEST_BELIEF = 64  # truths of the mover's belief the honest standard solves at most
TOLERANCE = 1e-9  # weighted sums of exact values that differ by less are equal


def honest_values(plan, state, role: str, budget: int, cap: int = HONEST_BELIEF):
    """Each legal move's exact value by what ``role`` knows: every truth of its belief solved
    exactly (each within ``budget`` states) and averaged with the belief's weights. A string
    saying why not where that cannot be done: the belief was resampled or holds more than
    ``cap`` truths ("belief"), a truth's solve is past the budget ("solve"), or the mover's
    open moves differ between truths ("moves")."""
    from game.ai.exact import Value
    from game.ai.worlds import belief

    known = belief(state, role)
    particles = [p for p in known.particles if p.weight > 0]
    if not known.exact or len(particles) > cap:
        return "belief"
    ids = [m.id for m in state.legal_actions()]
    n = len(plan.roles)
    scores, wins = [[0.0] * n for _ in ids], [[0.0] * n for _ in ids]
    total = sum(p.weight for p in particles)
    for particle in particles:
        if [m.id for m in particle.state.legal_actions()] != ids:
            return "moves"
        try:
            found = backward.solve(plan, particle.state, budget)
        except TooBig:
            return "solve"
        for m, value in enumerate(found.options):
            for r in range(n):
                scores[m][r] += particle.weight / total * value.scores[r]
                wins[m][r] += particle.weight / total * value.wins[r]
    return [Value(tuple(s), tuple(w)) for s, w in zip(scores, wins)]


def _judged(values, index: int, chosen: int) -> tuple[bool, float]:
    """Whether option ``chosen`` is the best of ``values`` by role ``index``'s aim (within
    ``TOLERANCE``), and how many points it loses against the best."""
    top = max(values, key=lambda v: v.key(index))
    mine = values[chosen]
    score, top_score = mine.scores[index], top.scores[index]
    if score < top_score - TOLERANCE:
        return False, top_score - score
    best = score > top_score + TOLERANCE or mine.wins[index] >= top.wins[index] - TOLERANCE
    return best, top_score - score


def path_of(state) -> list[list[str]]:
    """The (move, outcome) ids that led from the start to ``state``, so a position can be rebuilt
    (:func:`rebuilt`) and looked at again without replaying the policies."""
    steps = []
    while state.prev is not None:
        move, outcome = state.last
        steps.append([move.id, outcome.id])
        state = state.prev
    return steps[::-1]


def rebuilt(scenario, path: list[list[str]]):
    """The state that ``path`` (from :func:`path_of`) leads to from the scenario's start."""
    from game.core.state import State

    state = State.initial(scenario)
    for move, outcome in path:
        state, _ = state.apply(move, outcome)
    return state


def endgame_seed(
    scenario_name: str, seed: int, budget: int, expert: str = "expert", honest: int = HONEST_BELIEF
) -> list[dict]:
    """One game of expert against lookahead; every last-turn decision checked against the solver."""
    scenario = _scenario(scenario_name)
    plan = Plan(scenario)
    roles = list(scenario.roles)
    seat = roles[seed % len(roles)]
    timed = Timed(_policy(expert))
    policies = {role: timed if role == seat else _policy("lookahead") for role in roles}
    match = Match(scenario, seed=seed, policies=policies)
    checks = []
    while not match.is_over():
        state = match.state
        role = state.current_role()
        if role != WORLD and state.turn == scenario.calendar.turn_limit and len(state.legal_actions()) > 1:
            try:
                solution = backward.solve(plan, state, budget)
            except TooBig:
                solution = None
            if solution is None:
                checks.append({"policy": "expert" if role == seat else "lookahead", "seed": seed, "unsolved": True})
            else:
                chooser, how = policies[role], {}
                if chooser is timed:  # the expert says how it chose and among which moves
                    start = time.thread_time()
                    finding = chooser.policy.find(state)
                    timed.times.append(time.thread_time() - start)
                    move, how = finding.move, {"solved": finding.exact, "searched": [m.id for m, _ in finding.options]}
                    how["seconds"] = timed.times[-1]
                else:
                    move = chooser.choose(state, match.rng)
                match.play(move)
                index = roles.index(role)
                top = max(v.key(index) for v in solution.options)
                ids = [m.id for m in state.legal_actions()]
                mine = solution.options[ids.index(move.id)]
                if how:
                    bests = {ids[i] for i, v in enumerate(solution.options) if v.key(index) >= top}
                    how = {
                        "solved": how["solved"],
                        "best_searched": bool(bests & set(how["searched"])),
                        "seconds": how["seconds"],
                    }
                known = honest_values(plan, state, role, budget, honest) if honest else "off"
                if isinstance(known, str):
                    how["honest_skipped"] = known
                else:
                    fair, fair_loss = _judged(known, index, ids.index(move.id))
                    how["honest_best"], how["honest_loss"] = fair, fair_loss
                    if not fair:
                        order = sorted(range(len(ids)), key=lambda i: known[i].key(index), reverse=True)
                        how["honest_top"] = [(ids[i], round(known[i].scores[index], 3)) for i in order[:3]]
                checks.append(
                    {
                        "policy": "expert" if role == seat else "lookahead",
                        "seed": seed,
                        "role": role,
                        "step": state.step,
                        "path": path_of(state),
                        "move": move.id,
                        "best": mine.key(index) >= top,
                        "loss": top[0] - mine.scores[index],
                        **how,
                    }
                )
                continue
        match.play()
    checks.append({"policy": "expert", "seed": seed, "times": timed.times})  # every decision's CPU time
    return checks


def run_endgame(args, scenario_name: str, out: dict) -> None:
    checks, times = [], []
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        futures = [
            pool.submit(
                endgame_seed,
                scenario_name,
                args.seed + s,
                args.endgame_budget,
                args.endgame_policy,
                args.endgame_belief,
            )
            for s in range(args.endgame)
        ]
        for done, future in enumerate(futures, 1):
            for check in future.result():
                if "times" in check:
                    times += check["times"]
                else:
                    checks.append(check)
            if args.out and done < len(futures):  # a long run can be read part-way
                section = out.setdefault(scenario_name, {}).setdefault("endgame", {})
                _endgame_summary(checks, section, done)
                section["missed"], section["checks"] = _missed(checks), checks
                _write(args, out)
    section = out.setdefault(scenario_name, {}).setdefault("endgame", {})
    _endgame_summary(checks, section, len(futures))
    section["missed"], section["checks"] = _missed(checks), checks
    last = [c["seconds"] for c in checks if "seconds" in c]
    section["times"] = {"every_decision": _times(times), "last_turn": _times(last)}
    for name in ("expert", "lookahead"):
        unsolved = sum(1 for c in checks if c["policy"] == name and "unsolved" in c)
        mine = [c for c in checks if c["policy"] == name and "unsolved" not in c]
        judged = [c for c in mine if "honest_best" in c]
        skipped = {why: sum(c.get("honest_skipped") == why for c in mine) for why in ("belief", "solve", "moves")}
        head = f"{scenario_name:<14} endgame {name:>9}: "
        truth = _judged_words("exact best", [(c["best"], c["loss"]) for c in mine], " solvable last-turn positions")
        print(head + truth + f"; {unsolved} more past the solver's budget")
        known = _judged_words("best by what it knows", [(c["honest_best"], c["honest_loss"]) for c in judged], "")
        print(
            head + known + f"; skipped: {skipped['belief']} belief too big, {skipped['solve']} solve too big, "
            f"{skipped['moves']} moves differing"
        )
    for kind, t in section["times"].items():
        print(
            f"{scenario_name:<14} endgame {args.endgame_policy}, {kind.replace('_', ' ')}: {t['decisions']:,} "
            f"decisions, median {t['median_ms']:.1f} ms, p95 {t['p95_ms']:.1f} ms, max {t['max_ms']:.1f} ms (CPU time)"
        )
    _write(args, out)


def _times(spent: list[float]) -> dict:
    return {
        "decisions": len(spent),
        "median_ms": 1000 * statistics.median(spent) if spent else 0.0,
        "p95_ms": 1000 * _percentile(spent, 0.95),
        "max_ms": 1000 * max(spent, default=0.0),
    }


def _judged_words(standard: str, judged: list[tuple[bool, float]], what: str) -> str:
    """'exact best in 25 of 32 positions (78.1%, 95% interval ...), losing 4.82 points on average where not'."""
    best = sum(ok for ok, _ in judged)
    losses = [loss for ok, loss in judged if not ok]
    low, high = wilson(best, len(judged)) if judged else (0.0, 0.0)
    return (
        f"{standard} in {best} of {len(judged)}{what} ({best / max(len(judged), 1):.1%}, "
        f"95% interval {low:.1%} .. {high:.1%})"
        + (f", losing {statistics.fmean(losses):.2f} points on average where not" if losses else "")
    )


def _missed(checks: list[dict]) -> list[dict]:
    """The checks where the move was not the best by either standard."""
    return [c for c in checks if "unsolved" not in c and (not c["best"] or not c.get("honest_best", True))]


def _endgame_summary(checks: list[dict], section: dict, games: int) -> None:
    section["games"] = games
    for name in ("expert", "lookahead"):
        mine = [c for c in checks if c["policy"] == name and "unsolved" not in c]
        losses = [c["loss"] for c in mine if not c["best"]]
        judged = [c for c in mine if "honest_best" in c]
        fair_losses = [c["honest_loss"] for c in judged if not c["honest_best"]]
        section[name] = {
            "positions": len(mine),
            "exact_best": sum(c["best"] for c in mine),
            "mean_loss": statistics.fmean(losses) if losses else 0.0,
            "honest_positions": len(judged),
            "honest_best": sum(c["honest_best"] for c in judged),
            "honest_mean_loss": statistics.fmean(fair_losses) if fair_losses else 0.0,
            "honest_skipped": sum("honest_skipped" in c for c in mine),
            "unsolved": sum(1 for c in checks if c["policy"] == name and "unsolved" in c),
        }


def _write(args, out: dict) -> None:
    if args.out:
        Path(args.out).write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenario", action="append", default=[], help="a bundled scenario (default: all three)")
    parser.add_argument("--games", type=int, default=1000, help="games per pairing, both seats (default 1000)")
    parser.add_argument("--policies", default=",".join(DEFAULT_POLICIES), help="strengths or policies, weakest first")
    parser.add_argument("--pairs", default="", help="only these pairings, as A:B,C:D")
    parser.add_argument("--seed", type=int, default=0, help="first seed (default 0)")
    parser.add_argument("--workers", type=int, default=1, help="processes (default 1)")
    parser.add_argument("--endgame", type=int, default=0, metavar="GAMES", help="also check endgames in GAMES games")
    parser.add_argument("--endgame-budget", type=int, default=200_000, help="solver budget for the endgame check")
    parser.add_argument("--endgame-policy", default="expert", help="the policy checked there (default expert)")
    parser.add_argument(
        "--endgame-belief",
        type=int,
        default=HONEST_BELIEF,
        help=f"truths of the mover's belief the honest standard solves at most, 0 for none (default {HONEST_BELIEF})",
    )
    parser.add_argument("--no-pairings", action="store_true", help="only the endgame check")
    parser.add_argument(
        "--same-opponent",
        action="store_true",
        help="also play B against itself on each seed and compare A's seat with B's facing the same B",
    )
    parser.add_argument("--out", default="", help="write the results as JSON here")
    args = parser.parse_args(argv)
    if not 1 <= args.games <= MAX_GAMES:
        parser.error(f"--games must be between 1 and {MAX_GAMES:,}")
    args.policies = [p for p in args.policies.split(",") if p]
    args.pairs = [tuple(p.split(":")) for p in args.pairs.split(",") if p]
    for name in {*args.policies, *(n for pair in args.pairs for n in pair), args.endgame_policy}:
        if name.split("/")[0] not in STRENGTHS and name.split("/")[0] not in FACTORIES:
            parser.error(f"unknown policy or strength '{name}'")
    out: dict = {"games_per_pairing": args.games, "policies": args.policies, "strengths": dict(STRENGTHS)}
    for scenario_name in args.scenario or DEFAULT_SCENARIOS:
        if not args.no_pairings:
            run_pairings(args, scenario_name, out)
        if args.endgame:
            run_endgame(args, scenario_name, out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
