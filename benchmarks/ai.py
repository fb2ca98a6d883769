"""Figures for the AI policies: decisions per second of each policy on each scenario.

    python benchmarks/ai.py [--seconds S] [--scenario NAME] [--strength GAMES]

Every policy plays every role of whole games against itself (seeds 0, 1, 2, ...) for about
``S`` seconds of wall time (at least one game). The figures count the CPU time spent inside
``choose`` only (so other work on the machine does not inflate them); the engine's own steps
are left out. Lookahead runs with its defaults.

With ``--strength GAMES`` it prints instead how well each policy plays: for every role and two
opponents (random and greedy on the other roles), the mean score and its standard error over
GAMES games (seeds 0 to GAMES - 1) of random, greedy and lookahead in that role.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from game.ai import FACTORIES, make_policy  # noqa: E402
from game.core.match import Match  # noqa: E402
from game.core.model import Scenario  # noqa: E402
from game.scenario.loader import load_scenario  # noqa: E402


class Timed:
    """Wraps a policy and adds up the CPU time its choices take."""

    def __init__(self, policy):
        self.policy = policy
        self.name = policy.name
        self.seconds = 0.0
        self.decisions = 0

    def choose(self, state, rng):
        start = time.process_time()
        move = self.policy.choose(state, rng)
        self.seconds += time.process_time() - start
        self.decisions += 1
        return move


def measure(scenario: Scenario, name: str, seconds: float) -> tuple[float, float, float, int]:
    """Decisions per second, milliseconds per decision, choosing seconds per game, games played."""
    timed = {role: Timed(make_policy(name)) for role in scenario.roles}
    games = 0
    deadline = time.perf_counter() + seconds
    while games == 0 or time.perf_counter() < deadline:
        Match(scenario, seed=games, policies=timed).run()
        games += 1
    spent = sum(t.seconds for t in timed.values())
    decisions = sum(t.decisions for t in timed.values())
    return decisions / spent, 1000 * spent / decisions, spent / games, games


def mean_score(scenario: Scenario, role: str, name: str, opponent: str, games: int) -> tuple[float, float]:
    """The role's mean score with ``name`` against ``opponent`` everywhere else, and its standard error."""
    policies = {other: make_policy(opponent) for other in scenario.roles}
    policies[role] = make_policy(name)
    scores = []
    for seed in range(games):
        match = Match(scenario, seed=seed, policies=policies)
        match.run()
        scores.append(match.state.scores()[role])
    return statistics.mean(scores), statistics.stdev(scores) / games**0.5


def strength(scenario: Scenario, stem: str, games: int) -> None:
    for role in scenario.roles:
        for opponent in ("random", "greedy"):
            cells = []
            for name in ("random", "greedy", "lookahead"):
                mean, error = mean_score(scenario, role, name, opponent, games)
                cells.append(f"{mean:>6.1f} ±{error:>4.1f}")
            print(f"{stem:<16} {role:<12} {opponent:<8} " + "  ".join(cells), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="wall time per policy and scenario")
    parser.add_argument("--scenario", help="only this scenario (file stem)")
    parser.add_argument("--strength", type=int, metavar="GAMES", help="mean scores instead of speed")
    args = parser.parse_args()
    paths = sorted((ROOT / "scenarios").glob("*.yaml"))
    if args.scenario:
        paths = [p for p in paths if p.stem == args.scenario]
    if args.strength:
        print(f"{'scenario':<16} {'role':<12} {'against':<8} {'random':>12}  {'greedy':>12}  {'lookahead':>12}")
        for path in paths:
            strength(load_scenario(path), path.stem, args.strength)
        return
    print(f"{'scenario':<16} {'policy':<11} {'decisions/s':>12} {'ms/decision':>12} {'s/game':>8} {'games':>6}")
    for path in paths:
        scenario = load_scenario(path)
        for name in FACTORIES:
            rate, ms, per_game, games = measure(scenario, name, args.seconds)
            print(f"{path.stem:<16} {name:<11} {rate:>12.0f} {ms:>12.3f} {per_game:>8.3f} {games:>6}", flush=True)


if __name__ == "__main__":
    main()
