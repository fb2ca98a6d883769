"""What the designer's analyses cost: the causes of each ending, and the sensitivity of every number.

Usage: .venv/bin/python benchmarks/analysis.py [SCENARIO] [--games N] [--sensitivity-games M] [--repeat K]

On one core, in this process: N games of random play with and without counting what led to each
ending (CPU seconds, best and worst of K runs), then one ``--sensitivity`` analysis with M games
per version (versions, games and CPU seconds).
"""

from __future__ import annotations

import argparse
import time

from game.analysis import sensitivity
from game.analysis.runner import InlineExecutor, Spec, jobs, run_chunk
from game.paths import default_scenario, find_scenario
from game.scenario.loader import load_scenario


def balance_cpu(path, games: int, causes: bool) -> float:
    raw = path.read_bytes()
    roles = tuple((role, "random") for role in load_scenario(path).roles)
    todo = jobs(Spec(raw, str(path), roles, games, seed=1, causes=causes))
    run_chunk(todo[0])  # compile the plan once, as a worker does before its first chunk
    cpu = time.process_time()
    for job in todo:
        run_chunk(job)
    return time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", nargs="?", default=str(default_scenario()))
    parser.add_argument("--games", type=int, default=1_000_000, help="games of the balance runs")
    parser.add_argument("--sensitivity-games", type=int, default=sensitivity.GAMES, help="games per version")
    parser.add_argument("--repeat", type=int, default=3, help="balance runs of each kind")
    args = parser.parse_args()
    path = find_scenario(args.scenario)
    plain = [balance_cpu(path, args.games, False) for _ in range(args.repeat)]
    traced = [balance_cpu(path, args.games, True) for _ in range(args.repeat)]
    print(f"scenario: {path.name}, random against random, one core")
    print(f"balance, {args.games:,} games:              {min(plain):6.2f} .. {max(plain):6.2f} s CPU")
    print(f"  with what led to each ending:  {min(traced):6.2f} .. {max(traced):6.2f} s CPU")
    roles = tuple((role, "random") for role in load_scenario(path).roles)
    setup = sensitivity.Setup(path.read_bytes(), str(path), roles, args.sensitivity_games, 1)
    found = sensitivity.run(setup, InlineExecutor())
    print(
        f"sensitivity, {len(found['parameters'])} numbers: {found['versions']:,} versions, "
        f"{found['games_played']:,} games, {found['cpu_seconds']:.1f} s CPU ({found['seconds']:.1f} s wall)"
    )


if __name__ == "__main__":
    main()
